"""Strip metadata (EXIF with GPS, XMP, comments) from pictures stored before Tandem
did so on upload: child photos, home-activity pictures, resource pictures and message
attachments (every file field of Tandem's models). Each file with metadata is encoded
again in place; a clean picture or an unreadable file is left as it is, and a file that
is not a picture (a PDF handout) is passed over. Safe to run more than once.

    manage.py clean_stored_pictures [--dry-run]
"""

from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandParser
from django.db import models
from django.db.models.fields.files import FieldFile
from PIL import Image, UnidentifiedImageError

from tandem.core.uploads import clean_picture, stored_content_type


def file_fields() -> Iterator[tuple[type[models.Model], str]]:
    """Each file field of Tandem's own models (the apps' models import nothing from here)."""
    for model in apps.get_models():
        if not model.__module__.startswith("tandem."):
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                yield model, field.name


def stored_pictures() -> Iterator[FieldFile]:
    """Every stored file that may be a picture (each record read once, in batches)."""
    for model, name in file_fields():
        records = model._default_manager.exclude(**{name: ""}).only("pk", name)
        for record in records.iterator(chunk_size=500):
            yield getattr(record, name)


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
                    if kind is not None and not kind.startswith("image/"):
                        continue  # a PDF: not a picture
                    if kind is None or not has_metadata(handle):
                        skipped += 1
                        continue
                    picture = clean_picture(handle)
            except (FileNotFoundError, ValidationError):
                skipped += 1
                continue
            if not dry_run:
                # Same name, so the records stay as they are; through the storage, so a
                # bucket (TANDEM_MEDIA_S3_BUCKET) works as well as a folder.
                assert stored.name  # stored_pictures() leaves out empty names
                with stored.storage.open(stored.name, "wb") as out:
                    out.write(picture.read())
            cleaned += 1
        verb = "Would clean" if dry_run else "Cleaned"
        self.stdout.write(f"{verb} {cleaned} picture(s); left {skipped} as they were.")
