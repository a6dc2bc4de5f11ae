"""Checking an uploaded file by what its bytes are, not by its name or the browser's claim.

Handouts, resource files and message attachments all accept the same kinds: PNG and
JPEG pictures, which must open in Pillow, and PDFs, which must start with the PDF
signature and carry an end-of-file marker. Each caller sets its size limit and says
in its own words what may be uploaded.
"""

import io

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

# Each accepted kind: the first bytes that show it, its content type, its file suffix.
KINDS = {
    "png": (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    "jpeg": (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    "pdf": (b"%PDF-", "application/pdf", ".pdf"),
}
CONTENT_TYPES = {kind: content_type for kind, (_magic, content_type, _s) in KINDS.items()}
SUFFIXES = {kind: suffix for kind, (_magic, _type, suffix) in KINDS.items()}


def sniff(head: bytes) -> str | None:
    """Return "png", "jpeg" or "pdf" from a file's first bytes, else None."""
    for kind, (magic, _type, _suffix) in KINDS.items():
        if head.startswith(magic):
            return kind
    return None


def _image_opens(data: bytes, kind: str) -> bool:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            return (image.format or "").lower() == kind
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return False


def check_file(
    upload: UploadedFile,
    *,
    max_bytes: int,
    unsupported: str,
    damaged_picture: str | None = None,
) -> str:
    """Return the file's sniffed kind ("png", "jpeg" or "pdf"), or raise ValidationError
    with a plain message: too large, empty, not an accepted kind (``unsupported``), or
    damaged."""
    too_large = _("The file is too large; the limit is %(limit)s.") % {
        "limit": filesizeformat(max_bytes)
    }
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(too_large, code="too_large")
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    upload.seek(0)
    if len(data) > max_bytes:
        raise ValidationError(too_large, code="too_large")
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    kind = sniff(data[:16])
    if kind is None:
        raise ValidationError(unsupported, code="unsupported_type")
    if kind == "pdf":
        if b"%%EOF" not in data[-2048:]:
            raise ValidationError(_("This PDF seems to be damaged."), code="damaged")
    elif not _image_opens(data, kind):
        message = damaged_picture or _("This picture seems to be damaged.")
        raise ValidationError(message, code="damaged")
    return kind
