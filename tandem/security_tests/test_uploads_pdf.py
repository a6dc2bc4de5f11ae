"""What counts as a PDF with active content (``core.uploads.pdf_is_active``): a script, a
launch action, an embedded file, an XFA form — written plainly, with escaped names, or in
a compressed object stream — while ordinary PDFs (WeasyPrint's, a view to open at) pass."""

import zlib

import pytest

from tandem.core.uploads import pdf_is_active


def pdf(*objects: bytes) -> bytes:
    body = b"".join(b"%d 0 obj%s endobj\n" % (n + 1, o) for n, o in enumerate(objects))
    return b"%PDF-1.7\n" + body + b"trailer<</Root 1 0 R>>\n%%EOF\n"


CATALOG = b"<</Type/Catalog/Pages 2 0 R/OpenAction 3 0 R>>"
PAGES = b"<</Type/Pages/Kids[]/Count 0>>"


def in_object_stream(hidden: bytes) -> bytes:
    packed = zlib.compress(b"3 0 " + hidden)
    stream = b"<</Type/ObjStm/N 1/First 4/Filter/FlateDecode/Length %d>>stream\n" % len(packed)
    return stream + packed + b"\nendstream"


@pytest.mark.parametrize(
    "action",
    [
        b"<</S/JavaScript/JS(app.alert\\(1\\))>>",
        b"<</S/J#61vaScript/J#53(app.alert\\(1\\))>>",  # names written with #xx escapes
        b"<</S/Launch/F(calc.exe)>>",
        b"<</Type/EmbeddedFile/Length 3>>",
        b"<</XFA 5 0 R>>",
    ],
    ids=["script", "escaped names", "launch", "embedded file", "XFA form"],
)
def test_a_pdf_with_active_content_is_found(action: bytes) -> None:
    assert pdf_is_active(pdf(CATALOG, PAGES, action))


def test_a_script_hidden_in_a_compressed_object_stream_is_found() -> None:
    hidden = b"<</S/JavaScript/JS(app.alert\\(1\\))>>"
    assert pdf_is_active(pdf(CATALOG, PAGES, in_object_stream(hidden)))


def test_ordinary_pdfs_pass() -> None:
    from weasyprint import HTML

    made = HTML(string="<h1>Pinch the pegs</h1><p>Ten pegs on a box.</p>").write_pdf()
    assert not pdf_is_active(made)
    view = pdf(CATALOG, PAGES, b"[2 0 R/Fit]")  # opens at a page, fitted: no action
    assert not pdf_is_active(view)
    assert not pdf_is_active(pdf(CATALOG, PAGES, in_object_stream(b"<</Type/Font>>")))


def test_a_compressed_bomb_is_read_only_up_to_a_bound() -> None:
    packer = zlib.compressobj(9)
    packed = b"".join(packer.compress(b"\0" * 1_000_000) for _ in range(200)) + packer.flush()
    stream = b"<</Type/ObjStm/Filter/FlateDecode>>stream\n" + packed + b"\nendstream"
    assert not pdf_is_active(pdf(CATALOG, PAGES, stream))  # 200 MB of zeros: read 50 MB
