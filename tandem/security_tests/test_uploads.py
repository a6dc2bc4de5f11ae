"""Upload attacks, thrown at every place a file comes in (page and API, see
``test_uploads_surfaces.py``): files that lie about their type, SVG with script, PDFs
with script, files over the limit, decompression bombs, and names that try to leave the
media folder. Each is refused, or kept under a random name inside the media folder and
served back by what it is, with ``nosniff``."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pytest_django import Settings

from tandem.conftest import World
from tandem.core.testing.types import ClientAs, Response

from .test_uploads_surfaces import PDF, SURFACES, Surface, png, png_bomb

pytestmark = pytest.mark.parametrize("surface", SURFACES, ids=lambda s: s.name)

SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(document.domain)</script></svg>"
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64 + b"PE\x00\x00"
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
PDF_WITH_SCRIPT = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R/OpenAction 3 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"3 0 obj<</S/JavaScript/JS(app.alert\\(1\\))>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
LIARS = {
    "HTML named .png": ("photo.png", HTML, "image/png"),
    "HTML named .pdf": ("letter.pdf", HTML, "application/pdf"),
    "JavaScript named .pdf": ("letter.pdf", b"alert(document.cookie)//%%EOF", "application/pdf"),
    "EXE named .png": ("photo.png", EXE, "image/png"),
    "EXE named .pdf": ("letter.pdf", EXE, "application/pdf"),
    "SVG with script": ("drawing.svg", SVG, "image/svg+xml"),
    "SVG named .png": ("drawing.png", SVG, "image/png"),
    "PDF with script": ("letter.pdf", PDF_WITH_SCRIPT, "application/pdf"),
    "GIF": ("a.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "image/gif"),
    "empty": ("photo.png", b"", "image/png"),
}
NAMES = {
    "parent folders": "../../../../etc/tandem-passwd.png",
    "absolute path": "/etc/tandem-passwd.png",
    "Windows path": "..\\..\\..\\Windows\\tandem.png",
    "very long": "a" * 400 + ".png",
    "unicode and RTL": "名前\u202egnp.exe.png",
    "quotes and angle brackets": '"><img src=x onerror=alert(1)>.png',
    "header break": "a.png\r\nX-Injected: 1",
    "NUL": "a\x00.exe.png",
}


@pytest.fixture(autouse=True)
def media(settings: Settings, tmp_path: Path) -> Path:
    folder = tmp_path / "media"
    folder.mkdir()
    settings.MEDIA_ROOT = folder
    return folder


def _fetch(surface: Surface, world: World, client_as: ClientAs) -> tuple[Response, bytes]:
    """The served file and its bytes (read to the end, the test client closes a streamed
    response, which ends its request)."""
    served = surface.served(world, client_as)
    streamed = getattr(served, "streaming_content", None)
    body = b"".join(streamed) if served.streaming and streamed is not None else served.content
    return served, body


def _file(name: str, data: bytes, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def before(surface: Surface, world: World, client_as: ClientAs, media: Path) -> set[str]:
    """The files kept before the attack (a file being replaced, say)."""
    surface.prepare(world, client_as)
    return _kept(media)


def _kept(media: Path) -> set[str]:
    return {str(p) for p in media.rglob("*") if p.is_file()}


def _nothing_kept(media: Path, before: set[str]) -> None:
    assert _kept(media) == before


def test_a_file_that_is_not_what_it_claims_is_refused(
    surface: Surface, world: World, client_as: ClientAs, media: Path, before: set[str]
) -> None:
    for lie, (name, data, content_type) in LIARS.items():
        response = surface.send(world, client_as, _file(name, data, content_type))
        assert not surface.accepted(response), lie
        assert response.status_code < 500, lie
        _nothing_kept(media, before)


def test_a_file_over_the_limit_is_refused(
    surface: Surface, world: World, client_as: ClientAs, media: Path, before: set[str]
) -> None:
    data = png() + b"\x00" * surface.limit  # a real picture, padded past the limit
    response = surface.send(world, client_as, _file("big.png", data, "image/png"))
    assert not surface.accepted(response)
    _nothing_kept(media, before)


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_a_decompression_bomb_is_refused_before_it_is_decoded(
    surface: Surface, world: World, client_as: ClientAs, media: Path, before: set[str]
) -> None:
    """A few hundred KB that would take 300 MB (100 megapixels) or 1.2 GB to decode."""
    for bomb in (png_bomb(10_000, 10_000), png_bomb(20_000, 20_000, whole=False)):
        assert len(bomb) < surface.limit
        response = surface.send(world, client_as, _file("bomb.png", bomb, "image/png"))
        assert not surface.accepted(response)
        _nothing_kept(media, before)


def test_a_file_name_never_chooses_where_the_file_goes(
    surface: Surface, world: World, client_as: ClientAs, media: Path, before: set[str]
) -> None:
    for label, name in NAMES.items():
        kept = _kept(media)
        response = surface.send(world, client_as, _file(name, png(), "image/png"))
        assert response.status_code < 500, label
        outside = [p for p in media.parent.rglob("*") if p.is_file() and media not in p.parents]
        assert outside == [] and not Path("/etc/tandem-passwd.png").exists(), label
        if not surface.accepted(response):  # a name the parser refuses outright: nothing kept
            assert _kept(media) == kept, label
            continue
        stored = surface.stored(world)
        assert stored is not None, label
        path = Path(stored.path).resolve()
        assert media.resolve() in path.parents, label
        name = str(stored.name)
        assert ".." not in name and "tandem-passwd" not in name, label
        assert path.suffix == ".png" and len(path.stem) >= 32, label  # random, from the bytes
        served, _body = _fetch(surface, world, client_as)
        assert served.status_code == 200, label
        assert served["Content-Type"] == "image/png", label
        assert served["X-Content-Type-Options"] == "nosniff", label
        disposition = served.get("Content-Disposition", "")
        assert not set(disposition) & set("\r\n\x00/\\<>"), (label, disposition)


@pytest.mark.parametrize("kind", ["png", "pdf"])
def test_a_kept_file_is_served_by_what_it_is(
    surface: Surface, world: World, client_as: ClientAs, before: set[str], kind: str
) -> None:
    if kind == "pdf" and surface.pictures_only:
        pytest.skip("pictures only")
    # Named and sent as a web page (a photo's name must end like a picture's: a GIF's),
    # the bytes decide.
    data = png() + b"<script>alert(1)</script>" if kind == "png" else PDF
    name = "page.gif" if surface.pictures_only else "page.html"
    response = surface.send(world, client_as, _file(name, data, "text/html"))
    assert surface.accepted(response), response.content[:2000]
    served, body = _fetch(surface, world, client_as)
    assert served["X-Content-Type-Options"] == "nosniff"
    if kind == "png":
        assert served["Content-Type"] == "image/png"
        assert b"<script" not in body  # encoded again: what trailed the picture is gone
    else:
        assert served["Content-Type"] == "application/pdf"
        # Downloaded, or opened in the browser's viewer under a sandbox (no script, no
        # access to Tandem's pages); named for what it is.
        disposition = served.get("Content-Disposition", "")
        policy = served.get("Content-Security-Policy", "")
        assert disposition.startswith("attachment") or "sandbox" in policy.split()
        assert disposition.endswith('.pdf"')
