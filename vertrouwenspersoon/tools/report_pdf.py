"""Finishing of the annual report PDF (no ORM): page footers and the pages of the contents.

Page numbers are stamped on the finished PDF rather than left to wkhtmltopdf: the
wkhtmltopdf builds of most Linux distributions ignore header and footer pages, and the
contents need to know on which page every section landed anyway.
"""

import io
import re

from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from odoo.tools.pdf import PdfFileReader, PdfFileWriter


def _squash(text):
    return re.sub(r"\s+", " ", text or "").strip()


def page_texts(pdf):
    """The text of every page, whitespace squashed."""
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    return [_squash(reader.getPage(i).extractText()) for i in range(reader.getNumPages())]


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


def stamp_footer(pdf, left, right, skip_first=True):
    """The PDF with a footer line on every page: ``left`` text and ``right(page, pages)``.

    :param right: a function (page number, number of pages) -> text, e.g. "Page 2 of 9".
    """
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    total = reader.getNumPages()
    packet = io.BytesIO()
    sheet = canvas.Canvas(packet)
    for index in range(total):
        page = reader.getPage(index)
        width = float(abs(page.mediaBox.getWidth()))
        height = float(abs(page.mediaBox.getHeight()))
        sheet.setPageSize((width, height))
        if index or not skip_first:
            sheet.setStrokeColorRGB(0.7, 0.7, 0.7)
            sheet.setLineWidth(0.5)
            sheet.line(15 * mm, 13 * mm, width - 15 * mm, 13 * mm)
            sheet.setFillColorRGB(0.33, 0.33, 0.33)
            sheet.setFont("Helvetica", 8)
            sheet.drawString(15 * mm, 9 * mm, left)
            sheet.drawRightString(width - 15 * mm, 9 * mm, right(index + 1, total))
        sheet.showPage()
    sheet.save()
    stamps = PdfFileReader(packet, strict=False)
    writer = PdfFileWriter()
    for index in range(total):
        page = reader.getPage(index)
        page.mergePage(stamps.getPage(index))
        writer.addPage(page)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()
