"""Check a resource file by what its bytes are (``core.uploads``): a PDF, or a PNG or
JPEG picture, up to 10 MB."""

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from tandem.core.uploads import CONTENT_TYPES, check_file

__all__ = ["CONTENT_TYPES", "MAX_RESOURCE_BYTES", "check_resource_file"]

MAX_RESOURCE_BYTES = 10 * 1024 * 1024


def check_resource_file(upload: UploadedFile) -> str:
    """Return the file's sniffed kind; raise ValidationError with a plain message if refused."""
    return check_file(
        upload,
        max_bytes=MAX_RESOURCE_BYTES,
        unsupported=_("Use a PDF, or a PNG or JPEG picture."),
    )
