"""Checking a file someone attaches: what it really is (by its bytes), and its size."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

# The first bytes of each accepted kind of file, and the type it is served as.
SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"%PDF-", "application/pdf", ".pdf"),
)


def sniff(head: bytes) -> tuple[str, str] | None:
    """The (content type, suffix) the file's first bytes show, or None if not accepted."""
    for magic, content_type, suffix in SIGNATURES:
        if head.startswith(magic):
            return content_type, suffix
    return None


def check_attachment(upload: UploadedFile) -> tuple[str, str]:
    """Return (content type, suffix) of an acceptable attachment or raise ValidationError.

    The name and the browser's stated type are ignored: only the content counts.
    Pictures must also open as pictures.
    """
    limit = settings.MESSAGE_ATTACHMENT_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            _("The file is too large; the limit is %(limit)s.") % {"limit": filesizeformat(limit)}
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."))
    upload.seek(0)
    found = sniff(upload.read(16))
    upload.seek(0)
    if found is None:
        raise ValidationError(_("Attach a photo (JPEG or PNG) or a PDF."))
    content_type, suffix = found
    if content_type == "application/pdf" and not _ends_like_pdf(upload):
        raise ValidationError(_("This PDF seems to be damaged."))
    if content_type.startswith("image/"):
        try:
            with Image.open(upload) as image:
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise ValidationError(_("That picture could not be opened.")) from exc
        finally:
            upload.seek(0)
    return content_type, suffix


def _ends_like_pdf(upload: UploadedFile) -> bool:
    """A whole PDF ends with an end-of-file marker near its last bytes."""
    size = upload.size or 0
    upload.seek(max(0, size - 2048))
    tail = upload.read()
    upload.seek(0)
    return b"%%EOF" in tail


def display_name(name: str) -> str:
    """A file name safe to show and to send back in a download header."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(c for c in base if c.isprintable() and c not in '"<>;')
    return cleaned.strip()[:150] or "attachment"
