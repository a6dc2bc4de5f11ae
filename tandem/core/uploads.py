"""Checking an uploaded file by what its bytes are, not by its name or the browser's claim.

Handouts, resource files and message attachments all accept the same kinds: PNG and
JPEG pictures, which must open in Pillow, and PDFs, which must start with the PDF
signature and carry an end-of-file marker. Each caller sets its size limit and says
in its own words what may be uploaded.
"""

import io
import re
import uuid
import zlib
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

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


# A picture is decoded (to be encoded again without its metadata) only when it has at most
# this many pixels: a few hundred KB of PNG can otherwise take gigabytes to decode. A phone's
# largest photos (48-50 megapixels) fit.
MAX_PICTURE_PIXELS = 50_000_000


def _too_many_pixels() -> ValidationError:
    return ValidationError(
        _("This picture has too many pixels (the limit is %(limit)s million).")
        % {"limit": MAX_PICTURE_PIXELS // 1_000_000},
        code="too_many_pixels",
    )


def _image_opens(data: bytes, kind: str) -> bool:
    """Whether the bytes open as a picture of ``kind``; ValidationError if it is too big."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PICTURE_PIXELS:
                raise _too_many_pixels()
            image.verify()
            return (image.format or "").lower() == kind
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return False


# A PDF may carry scripts (run by some viewers), programs to launch or files inside it:
# none belongs in a handout, so such a PDF is refused. Names are looked for in the file
# and in its compressed object streams, where dictionaries can hide (read up to a bound:
# a stream can be a bomb too); pictures and fonts are not read.
ACTIVE_PDF_NAMES = {b"JavaScript", b"JS", b"Launch", b"EmbeddedFile", b"RichMedia", b"XFA"}
PDF_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
PDF_STREAM = re.compile(rb"stream\r?\n")
PDF_INFLATED_LIMIT = 50 * 1024 * 1024


def _pdf_names(data: bytes) -> set[bytes]:
    """The names in PDF bytes, their ``#xx`` escapes undone (``/J#61vaScript``)."""
    return {
        re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m[1], 16)]), n)
        for n in PDF_NAME.findall(data)
    }


def pdf_is_active(data: bytes) -> bool:
    """Whether a PDF holds a script, a launch action or an embedded file."""
    if _pdf_names(data) & ACTIVE_PDF_NAMES:
        return True
    budget = PDF_INFLATED_LIMIT
    for start in PDF_STREAM.finditer(data):
        end = data.find(b"endstream", start.end())
        if end < 0 or budget <= 0:
            break
        if b"/ObjStm" not in data[max(0, start.start() - 400) : start.start()]:
            continue
        inflater = zlib.decompressobj()
        try:
            inflated = inflater.decompress(data[start.end() : end], budget)
        except zlib.error:
            continue  # not Flate-compressed (or not compressed at all: read above)
        budget -= len(inflated)
        if _pdf_names(inflated) & ACTIVE_PDF_NAMES:
            return True
    return False


def check_file(
    upload: UploadedFile,
    *,
    max_bytes: int,
    unsupported: str,
    damaged_picture: str | None = None,
) -> str:
    """Return the file's sniffed kind ("png", "jpeg" or "pdf"), or raise ValidationError
    with a plain message: too large, empty, not an accepted kind (``unsupported``),
    damaged, a picture of too many pixels, or a PDF with a script or a file inside."""
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
        if pdf_is_active(data):
            raise ValidationError(
                _(
                    "This PDF holds a script or another file. Save it again as a plain PDF "
                    "(print it to a PDF) and upload that."
                ),
                code="active_pdf",
            )
    elif not _image_opens(data, kind):
        message = damaged_picture or _("This picture seems to be damaged.")
        raise ValidationError(message, code="damaged")
    return kind


# --- Pictures are stored without their metadata -------------------------------------
#
# A phone's photo carries EXIF: where it was taken (GPS), when, with which device. A
# child's photo, a picture on the child's board, a handout or a message attachment must
# not: every stored picture is decoded and encoded again, which keeps only the pixels
# (turned upright first, as the EXIF orientation said) and the colour profile.

PICTURE_FORMATS = {
    "JPEG": ("image/jpeg", ".jpg"),
    "PNG": ("image/png", ".png"),
    "WEBP": ("image/webp", ".webp"),
}


def clean_picture(upload: IO[bytes], *, name: str | None = None) -> ContentFile:
    """Return the picture encoded again without metadata, named ``<name or random>.<ext>``
    from what the bytes are (JPEG, PNG or WebP), never from the uploader's file name.

    Raises ValidationError if the bytes are not such a picture."""
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image_format = (image.format or "").upper()
            if image_format not in PICTURE_FORMATS:
                raise ValidationError(_("This picture seems to be damaged."), code="damaged")
            if image.width * image.height > MAX_PICTURE_PIXELS:  # before it is decoded
                raise _too_many_pixels()
            upright = ImageOps.exif_transpose(image)
            options: dict = {"format": image_format}
            if image.info.get("icc_profile"):
                options["icc_profile"] = image.info["icc_profile"]
            if image_format == "JPEG":
                if upright.mode not in ("RGB", "L", "CMYK"):
                    upright = upright.convert("RGB")
                options.update(quality=90, optimize=True)
            elif image_format == "PNG" and "transparency" in upright.info:
                options["transparency"] = upright.info["transparency"]
            out = io.BytesIO()
            upright.save(out, **options)
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
    ) as exc:
        raise ValidationError(_("This picture seems to be damaged."), code="damaged") from exc
    finally:
        upload.seek(0)
    suffix = PICTURE_FORMATS[image_format][1]
    return ContentFile(out.getvalue(), name=f"{name or uuid.uuid4().hex}{suffix}")


def clean_upload(upload: UploadedFile, kind: str) -> File:
    """What to store for a checked upload of ``kind`` (``check_file``): a picture encoded
    again without metadata, a PDF as it came."""
    if kind == "pdf":
        return upload
    return clean_picture(upload)


def stored_content_type(stored: IO[bytes]) -> str | None:
    """The content type of a stored file from its first bytes (PNG, JPEG, WebP, PDF), or
    None: a stored name's extension is never trusted."""
    stored.seek(0)
    head = stored.read(16)
    stored.seek(0)
    kind = sniff(head)
    if kind is not None:
        return CONTENT_TYPES[kind]
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


EXTENSIONS = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/webp": ".webp",
    "application/pdf": ".pdf",
}


def download_name(name: str, content_type: str, *, fallback: str = "file") -> str:
    """A file name to send back: the person's name for it, with the extension of what the
    file really is (a picture uploaded as ``page.html`` downloads as ``page.png``)."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    cleaned = "".join(c for c in stem if c.isprintable() and c not in '"<>;').strip()
    return (cleaned[:150] or fallback) + EXTENSIONS.get(content_type, ".bin")
