"""Checking a file someone attaches: what it really is (by its bytes), and its size."""

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from tandem.core.uploads import CONTENT_TYPES, SUFFIXES, check_file


def check_attachment(upload: UploadedFile) -> tuple[str, str]:
    """Return (content type, suffix) of an acceptable attachment or raise ValidationError.

    The name and the browser's stated type are ignored: only the content counts
    (``core.uploads``). Pictures must also open as pictures.
    """
    kind = check_file(
        upload,
        max_bytes=settings.MESSAGE_ATTACHMENT_MAX_BYTES,
        unsupported=_("Attach a photo (JPEG or PNG) or a PDF."),
        damaged_picture=_("That picture could not be opened."),
    )
    return CONTENT_TYPES[kind], SUFFIXES[kind]


def display_name(name: str) -> str:
    """A file name safe to show and to send back in a download header."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(c for c in base if c.isprintable() and c not in '"<>;')
    return cleaned.strip()[:150] or "attachment"
