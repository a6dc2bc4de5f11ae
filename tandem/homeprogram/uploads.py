"""Check a handout by what its bytes are, not by its name or the browser's claim.

Only PNG, JPEG and PDF files up to 5 MB are kept. Pictures must open in Pillow;
a PDF must start with the PDF signature and carry an end-of-file marker.
"""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_HANDOUT_BYTES = 5 * 1024 * 1024
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


def _read(upload: UploadedFile) -> bytes:
    upload.seek(0)
    data = upload.read(MAX_HANDOUT_BYTES + 1)
    upload.seek(0)
    return data


def _image_opens(data: bytes, kind: str) -> bool:
    import io

    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            return (image.format or "").lower() == kind
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return False


def check_handout(upload: UploadedFile) -> str:
    """Return the handout's sniffed kind; raise ValidationError with a plain message if refused."""
    if upload.size is not None and upload.size > MAX_HANDOUT_BYTES:
        raise ValidationError(_too_large(), code="too_large")
    data = _read(upload)
    if len(data) > MAX_HANDOUT_BYTES:
        raise ValidationError(_too_large(), code="too_large")
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    kind = sniff(data[:16])
    if kind is None:
        raise ValidationError(
            _("Use a PNG or JPEG picture or a PDF handout."), code="unsupported_type"
        )
    if kind == "pdf":
        if b"%%EOF" not in data[-2048:]:
            raise ValidationError(_("This PDF seems to be damaged."), code="damaged")
    elif not _image_opens(data, kind):
        raise ValidationError(_("This picture seems to be damaged."), code="damaged")
    return kind


def _too_large() -> str:
    return _("The file is too large; the limit is %(limit)s.") % {
        "limit": filesizeformat(MAX_HANDOUT_BYTES)
    }
