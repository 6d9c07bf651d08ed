"""Bar charts of the annual report as SVG, drawn on the server (no ORM, no JavaScript).

wkhtmltopdf and every browser show an SVG image, so the PDF and the screen show the same
chart. One chart per table: a bar per year and row. A published count is a solid bar; a
count below the threshold ("< 5") is a hatched bar as long as the largest value it may
hide, so the reader sees "something, but fewer than 5"; a cell hidden to protect another
("x") is a short grey block. Zero is no bar. The legend under the chart says so.
"""

import base64

from markupsafe import escape

from . import report_format as fmt

# oldest year first; the year of the report is the darkest
YEAR_COLOURS = ["#b7d0dd", "#78a6bd", "#1f5f7f"]
HIDDEN_COLOUR = "#d5d5d5"
LABEL_W, BAR_W, VALUE_W = 250, 300, 60
BAR_H, BAR_GAP, ROW_GAP = 8, 2, 9
FONT = 'font-family="Liberation Sans, DejaVu Sans, Arial, sans-serif"'


def _patterns(colours):
    return "".join(
        f'<pattern id="hatch{i}" width="5" height="5" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="5" height="5" fill="#ffffff"/>'
        f'<rect width="2" height="5" fill="{colour}"/></pattern>'
        for i, colour in enumerate(colours)
    )


def _label(text, limit=46):
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(rows, years, threshold, legend, lang):
    """An SVG document (bytes) of one count table.

    :param rows: [{"label": str, "cells": {year: cell}}] as in the frozen figures.
    :param years: the year columns, oldest first (strings).
    :param legend: {"small": text for "< t", "hidden": text for "x"}.
    """
    colours = YEAR_COLOURS[-len(years) :]
    published = [
        row["cells"][year]["v"] or 0
        for row in rows
        for year in years
        if row["cells"][year].get("v") is not None
    ]
    peak = max(published + [threshold - 1, 1])
    row_h = len(years) * (BAR_H + BAR_GAP) + ROW_GAP
    legend_y = 8 + row_h * len(rows) + 6
    width = LABEL_W + BAR_W + VALUE_W
    height = legend_y + 40
    parts = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" {FONT} font-size="10">'
        ),
        f"<defs>{_patterns(colours)}</defs>",
    ]
    for r, row in enumerate(rows):
        top = 8 + r * row_h
        parts.append(
            f'<text x="{LABEL_W - 8}" y="{top + row_h / 2}" text-anchor="end" '
            f'fill="#222">{escape(_label(row["label"]))}</text>'
        )
        for i, year in enumerate(years):
            cell = row["cells"][year]
            y = top + i * (BAR_H + BAR_GAP)
            status = cell.get("s", "")
            if cell.get("v") is not None:
                bar = round(BAR_W * cell["v"] / peak)
                fill = colours[i]
                text = fmt.number(cell["v"], lang)
            elif status == "p":
                bar = round(BAR_W * (threshold - 1) / peak)
                fill = f"url(#hatch{i})"
                text = cell["d"]
            else:
                bar = 12
                fill = HIDDEN_COLOUR
                text = cell["d"]
            if bar:
                stroke = f' stroke="{colours[i]}" stroke-width="0.6"' if status == "p" else ""
                parts.append(
                    f'<rect x="{LABEL_W}" y="{y}" width="{bar}" height="{BAR_H}" '
                    f'fill="{fill}"{stroke}/>'
                )
            parts.append(
                f'<text x="{LABEL_W + bar + 4}" y="{y + BAR_H - 1}" font-size="8" '
                f'fill="#333">{escape(text)}</text>'
            )
    # legend: the years, then what hatched and grey mean
    x = 0
    for i, year in enumerate(years):
        parts.append(
            f'<rect x="{x}" y="{legend_y}" width="12" height="8" fill="{colours[i]}"/>'
            f'<text x="{x + 16}" y="{legend_y + 8}" font-size="9">{escape(year)}</text>'
        )
        x += 56
    second = legend_y + 18
    parts.append(
        f'<rect x="0" y="{second}" width="12" height="8" fill="url(#hatch{len(years) - 1})" '
        f'stroke="{colours[-1]}" stroke-width="0.6"/>'
        f'<text x="16" y="{second + 8}" font-size="9">{escape(legend["small"])}</text>'
    )
    offset = 16 + 5.2 * len(legend["small"]) + 18
    parts.append(
        f'<rect x="{offset}" y="{second}" width="12" height="8" fill="{HIDDEN_COLOUR}"/>'
        f'<text x="{offset + 16}" y="{second + 8}" font-size="9">'
        f"{escape(legend['hidden'])}</text>"
    )
    parts.append("</svg>")
    return "".join(parts).encode()


def data_uri(svg):
    """An <img src> for an SVG document."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()
