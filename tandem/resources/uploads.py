"""Check a resource file by what its bytes are, not by its name or the browser's claim.

Only PNG, JPEG and PDF files up to 10 MB are kept. Pictures must open in Pillow;
a PDF must start with the PDF signature and carry an end-of-file marker.
"""

import io

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_RESOURCE_BYTES = 10 * 1024 * 1024
CONTENT_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "pdf": "application/pdf"}
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"%PDF-", "pdf"),
)


def sniff(head: bytes) -> str | None:
    """Return "png", "jpeg" or "pdf" from a file's first bytes, else None."""
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    return None


def _too_large() -> ValidationError:
    limit = filesizeformat(MAX_RESOURCE_BYTES)
    return ValidationError(
        _("The file is too large; the limit is %(limit)s.") % {"limit": limit}, code="too_large"
    )


def _image_opens(data: bytes, kind: str) -> bool:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            return (image.format or "").lower() == kind
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return False


def check_resource_file(upload: UploadedFile) -> str:
    """Return the file's sniffed kind; raise ValidationError with a plain message if refused."""
    if upload.size is not None and upload.size > MAX_RESOURCE_BYTES:
        raise _too_large()
    upload.seek(0)
    data = upload.read(MAX_RESOURCE_BYTES + 1)
    upload.seek(0)
    if len(data) > MAX_RESOURCE_BYTES:
        raise _too_large()
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    kind = sniff(data[:16])
    if kind is None:
        raise ValidationError(_("Use a PDF, or a PNG or JPEG picture."), code="unsupported_type")
    if kind == "pdf":
        if b"%%EOF" not in data[-2048:]:
            raise ValidationError(_("This PDF seems to be damaged."), code="damaged")
    elif not _image_opens(data, kind):
        raise ValidationError(_("This picture seems to be damaged."), code="damaged")
    return kind
