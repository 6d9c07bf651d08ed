"""Finishing of the annual report PDF (no ORM): page footers and the pages of the contents.

Page numbers are stamped on the finished PDF rather than left to wkhtmltopdf: the
wkhtmltopdf builds of most Linux distributions ignore header and footer pages, and the
contents need to know on which page every section landed anyway.

The footer is appended to each page as one more content stream, with a standard font
(Helvetica): the page itself is not parsed, which keeps stamping a report well under a
tenth of a second.
"""

import io
import re
import shutil
import subprocess

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from odoo.tools.pdf import ArrayObject as PdfArray
from odoo.tools.pdf import (
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    PdfFileReader,
    PdfFileWriter,
)

FONT = "/FVpFooter"
FONT_SIZE = 8
MARGIN = 15 * mm


def _squash(text):
    return re.sub(r"\s+", " ", text or "").strip()


def page_texts(pdf):
    """The text of every page, whitespace squashed (pdftotext when installed: fast)."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        result = subprocess.run(
            [pdftotext, "-", "-"], input=pdf, capture_output=True, check=True, timeout=60
        )
        pages = result.stdout.decode(errors="replace").split("\f")
        return [_squash(page) for page in pages[:-1] or pages]
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    extract = [getattr(p, "extract_text", None) or p.extractText for p in reader.pages]
    return [_squash(text()) for text in extract]


def section_pages(pdf, headings, first_page=1):
    """{key: page number} of every heading, searched in order from ``first_page`` (0-based).

    :param headings: [(key, heading text)] in the order of the document; a heading is
        looked for from the page of the previous one, so a word of a section title that
        also occurs earlier in the text cannot move it.
    """
    texts = page_texts(pdf)
    pages, page = {}, first_page
    for key, heading in headings:
        wanted = _squash(heading)
        for number in range(page, len(texts)):
            if wanted in texts[number]:
                pages[key] = number + 1
                page = number
                break
    return pages


def _pdf_string(text):
    raw = text.encode("cp1252", "replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _stream(writer, data):
    stream = DecodedStreamObject()
    if hasattr(stream, "set_data"):
        stream.set_data(data)
    else:  # PyPDF2 1.x
        stream.setData(data)
    return writer._addObject(stream)


def _width(page):
    box = page.mediabox if hasattr(page, "mediabox") else page.mediaBox
    return float(box[2]) - float(box[0])


def stamp_footer(pdf, left, right, skip_first=True):
    """The PDF with a footer line on every page: ``left`` text and ``right(page, pages)``.

    :param right: a function (page number, number of pages) -> text, e.g. "Page 2 of 9".
    """
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    writer = PdfFileWriter()
    total = len(reader.pages)
    font = writer._addObject(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
    )
    save = _stream(writer, b"q\n")
    for index, page in enumerate(reader.pages):
        if index or not skip_first:
            width = _width(page)
            label = right(index + 1, total)
            x_right = width - MARGIN - stringWidth(label, "Helvetica", FONT_SIZE)
            ops = (
                f"Q q 0.7 G 0.5 w {MARGIN:.2f} {13 * mm:.2f} m {width - MARGIN:.2f} "
                f"{13 * mm:.2f} l S 0.33 g BT {FONT} {FONT_SIZE} Tf {MARGIN:.2f} "
                f"{9 * mm:.2f} Td "
            ).encode()
            ops += _pdf_string(left) + b" Tj ET BT " + f"{FONT} {FONT_SIZE} Tf ".encode()
            ops += f"{x_right:.2f} {9 * mm:.2f} Td ".encode() + _pdf_string(label)
            ops += b" Tj ET Q\n"
            contents = page.get("/Contents")
            contents = contents.get_object() if contents is not None else PdfArray()
            if not isinstance(contents, list):
                contents = PdfArray([page["/Contents"]])
            page[NameObject("/Contents")] = PdfArray([save, *contents, _stream(writer, ops)])
            resources = page["/Resources"].get_object()
            fonts = resources.get("/Font")
            fonts = fonts.get_object() if fonts is not None else DictionaryObject()
            fonts[NameObject(FONT)] = font
            resources[NameObject("/Font")] = fonts
        (writer.add_page if hasattr(writer, "add_page") else writer.addPage)(page)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()
