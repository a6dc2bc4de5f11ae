"""Strip metadata (EXIF with GPS, XMP, comments) from pictures stored before Tandem
did so on upload: child photos, home-activity pictures, resource pictures and message
attachments. Each file with metadata is encoded again in place; a clean picture, a PDF
or an unreadable file is left as it is. Safe to run more than once.

    manage.py clean_stored_pictures [--dry-run]
"""

from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandParser
from django.db.models.fields.files import FieldFile
from PIL import Image, UnidentifiedImageError

from tandem.children.models import Child
from tandem.core.uploads import clean_picture, stored_content_type
from tandem.homeprogram.models import HomeActivity
from tandem.messaging.models import MessageAttachment
from tandem.resources.models import Resource


def stored_pictures() -> Iterator[FieldFile]:
    """Every stored file that may be a picture (each record read once, in batches)."""
    for child in Child.objects.exclude(photo="").only("id", "photo").iterator(chunk_size=500):
        yield child.photo
    activities = HomeActivity.objects.filter(handout_type__in=("png", "jpeg"))
    for activity in activities.only("id", "handout").iterator(chunk_size=500):
        yield activity.handout
    resources = Resource.objects.filter(file_type__in=("png", "jpeg"))
    for resource in resources.only("id", "file").iterator(chunk_size=500):
        yield resource.file
    attachments = MessageAttachment.objects.filter(content_type__startswith="image/")
    for attachment in attachments.only("id", "file").iterator(chunk_size=500):
        yield attachment.file


METADATA_KEYS = ("exif", "xmp", "XML:com.adobe.xmp", "comment", "Comment")


def has_metadata(handle: Any) -> bool:
    """Whether the picture carries EXIF, XMP or a comment (a clean one is left alone:
    encoding a JPEG again loses a little each time)."""
    try:
        with Image.open(handle) as image:
            found = bool(image.getexif()) or any(key in image.info for key in METADATA_KEYS)
    except (UnidentifiedImageError, OSError, ValueError):
        found = False
    handle.seek(0)
    return found


class Command(BaseCommand):
    help = "Strip metadata (GPS and the like) from pictures stored before uploads did."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Count, change nothing.")

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        cleaned = skipped = 0
        for stored in stored_pictures():
            try:
                with stored.open("rb") as handle:
                    kind = stored_content_type(handle)
                    if kind is None or not kind.startswith("image/") or not has_metadata(handle):
                        skipped += 1
                        continue
                    picture = clean_picture(handle)
            except (FileNotFoundError, ValidationError):
                skipped += 1
                continue
            if not dry_run:
                with open(stored.path, "wb") as out:  # same name: the records stay as they are
                    out.write(picture.read())
            cleaned += 1
        verb = "Would clean" if dry_run else "Cleaned"
        self.stdout.write(f"{verb} {cleaned} picture(s); left {skipped} as they were.")
