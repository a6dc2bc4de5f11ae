"""Check a handout by what its bytes are (``core.uploads``): a PNG or JPEG picture or a
PDF, up to 5 MB."""

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from tandem.core.uploads import CONTENT_TYPES, check_file

__all__ = ["CONTENT_TYPES", "MAX_HANDOUT_BYTES", "check_handout"]

MAX_HANDOUT_BYTES = 5 * 1024 * 1024


def check_handout(upload: UploadedFile) -> str:
    """Return the handout's sniffed kind; raise ValidationError with a plain message if refused."""
    return check_file(
        upload,
        max_bytes=MAX_HANDOUT_BYTES,
        unsupported=_("Use a PNG or JPEG picture or a PDF handout."),
    )
