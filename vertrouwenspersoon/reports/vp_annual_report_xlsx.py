# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class VpAnnualReportXlsx(models.AbstractModel):
    """The annual report as a workbook: the same protected figures and labels as the PDF.

    Published counts are numbers (a reader can add and chart them); a hidden count is
    its marker as text, with a note on the cell and a legend under the table that say
    what the marker means. One sheet per section, named in the report language.
    """

    _name = "report.vertrouwenspersoon.vp_annual_report_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Annual report (XLSX)"

    def generate_xlsx_report(self, workbook, data, objs):
        objs.check_access("read")
        for report in objs:
            lang = report._report_lang()
            report = report.with_context(lang=lang)
            self._write_report(workbook, report)

    def _sheet_names(self, report):
        _ = report.env._
        return {
            "summary": _("Summary"),
            "category": _("Kinds of behaviour"),
            "reporter_type": _("Reporters"),
            "accused_role": _("Person causing it"),
            "route": _("Routes"),
            "referral": _("Referrals"),
            "outcome": _("Outcomes"),
            "time": _("Time"),
            "budget": _("Budget"),
            "awareness": _("Awareness"),
            "signals": _("Signals"),
            "wbk": _("Wbk reports"),
        }

    def _formats(self, workbook, currency_symbol):
        add = workbook.add_format
        return {
            "title": add({"bold": True, "font_size": 14, "font_color": "#1f5f7f"}),
            "bold": add({"bold": True}),
            "head": add({"bold": True, "align": "right", "bottom": 1}),
            "wrap": add({"text_wrap": True, "valign": "top"}),
            "count": add({"num_format": "#,##0"}),
            "count_bold": add({"num_format": "#,##0", "bold": True}),
            "hours": add({"num_format": "#,##0.0"}),
            "hours_bold": add({"num_format": "#,##0.0", "bold": True}),
            "money": add({"num_format": f'"{currency_symbol}" #,##0.00'}),
            "money_bold": add({"num_format": f'"{currency_symbol}" #,##0.00', "bold": True}),
            "marker": add({"align": "right", "font_color": "#555555", "bg_color": "#eeeeee"}),
            "marker_bold": add(
                {"align": "right", "bold": True, "font_color": "#555555", "bg_color": "#eeeeee"}
            ),
            "date": add({"num_format": "d mmmm yyyy", "align": "left"}),
        }

    def _write_report(self, workbook, report):
        _ = report.env._
        values = report._render_values()
        figures = values["figures"]
        years = figures["years"]
        names = self._sheet_names(report)
        currency = report.env["res.currency"].search(
            [("name", "=", figures["budget"]["currency"])], limit=1
        )
        formats = self._formats(workbook, currency.symbol or figures["budget"]["currency"])
        legend = values["legend"]
        notes = {"p": legend["small"], "c": legend["hidden"], "h": legend["hidden"]}

        sheet = workbook.add_worksheet(names["summary"])
        sheet.set_column(0, 0, 48)
        sheet.set_column(1, 3, 14)
        sheet.write(0, 0, report._report_title(), formats["title"])
        sheet.write(1, 0, report.company_id.name, formats["bold"])
        sheet.write(2, 0, _("Counsellors"))
        sheet.write(2, 1, ", ".join(values["counsellors"]))
        if report.state == "published":
            sheet.write(3, 0, _("Published"))
            sheet.write_datetime(3, 1, report.published_date, formats["date"])
        sheet.write(5, 0, "", formats["head"])
        for col, year in enumerate(years, start=1):
            sheet.write_string(5, col, year, formats["head"])
        for row, (key, label) in enumerate(
            [("new", _("New cases")), ("carried", _("Cases carried over from earlier years"))],
            start=6,
        ):
            sheet.write(row, 0, label)
            for col, year in enumerate(years, start=1):
                self._write_cell(sheet, row, col, figures["headline"][year][key], formats, notes)
        current = len(years)
        sheet.write(9, 0, _("Contact moments in %(year)s", year=years[-1]))
        self._write_cell(sheet, 9, current, figures["contacts"]["count"], formats, notes)
        if figures["contacts"]["hours"] is not None:
            sheet.write(10, 0, _("Contact hours in %(year)s", year=years[-1]))
            sheet.write_number(10, current, figures["contacts"]["hours"], formats["hours"])
        self._write_legend(sheet, 12, values, formats, _)

        for table in figures["tables"]:
            sheet = workbook.add_worksheet(names[table["key"]])
            sheet.set_column(0, 0, 48)
            sheet.set_column(1, 3, 14)
            sheet.write(0, 0, values["titles"][table["key"]], formats["title"])
            sheet.write(2, 0, "", formats["head"])
            for col, year in enumerate(years, start=1):
                sheet.write_string(2, col, year, formats["head"])
            row = 3
            for line in table["rows"]:
                sheet.write(row, 0, line["label"])
                for col, year in enumerate(years, start=1):
                    self._write_cell(sheet, row, col, line["cells"][year], formats, notes)
                row += 1
            sheet.write(row, 0, _("Number of cases"), formats["bold"])
            for col, year in enumerate(years, start=1):
                self._write_cell(sheet, row, col, table["total"][year], formats, notes, bold=True)
            row += 2
            note = values["notes"].get(table["key"])
            if note:
                sheet.merge_range(row, 0, row, 3, note, formats["wrap"])
                sheet.set_row(row, 30)
                row += 2
            self._write_legend(sheet, row, values, formats, _)

        time = figures["time"]
        sheet = workbook.add_worksheet(names["time"])
        sheet.set_column(0, 0, 48)
        sheet.set_column(1, 1, 14)
        sheet.write(0, 0, _("Time spent"), formats["title"])
        sheet.write(2, 1, _("Hours"), formats["head"])
        row = 3
        for line in time["rows"]:
            sheet.write(row, 0, line["label"])
            sheet.write_number(row, 1, line["hours"], formats["hours"])
            row += 1
        sheet.write(row, 0, _("Total"), formats["bold"])
        sheet.write_number(row, 1, time["total"], formats["hours_bold"])
        sheet.write(row + 2, 0, _("Guideline (hours per week)"))
        sheet.write_number(row + 2, 1, time["guideline_per_week"], formats["hours"])
        sheet.write(row + 3, 0, _("Guideline (hours per year)"))
        sheet.write_number(row + 3, 1, time["guideline"], formats["hours"])
        sheet.write(row + 4, 0, _("Average hours per week"))
        sheet.write_number(row + 4, 1, time["per_week"], formats["hours"])

        budget = figures["budget"]
        for line in budget["rows"]:
            line["remaining"] = round(line["planned"] - line["spent"], 2)
        budget["remaining"] = round(budget["planned"] - budget["spent"], 2)
        amount_sheets = (
            (
                "budget",
                _("Budget"),
                [
                    ("planned", _("Planned"), "money"),
                    ("spent", _("Spent"), "money"),
                    ("remaining", _("Remaining"), "money"),
                ],
            ),
            (
                "awareness",
                _("Awareness activities"),
                [
                    ("activities", _("Activities"), "count"),
                    ("participants", _("Participants"), "count"),
                    ("hours", _("Hours"), "hours"),
                ],
            ),
        )
        for key, title, columns in amount_sheets:
            sheet = workbook.add_worksheet(names[key])
            self._write_amount_sheet(sheet, title, columns, figures[key], formats, _)

        sheet = workbook.add_worksheet(names["signals"])
        sheet.set_column(0, 0, 18)
        sheet.set_column(1, 1, 90)
        sheet.write(0, 0, _("Signals sent to the board during the year"), formats["title"])
        for row, signal in enumerate(figures["signals"], start=2):
            sheet.write_datetime(row, 0, fields.Date.to_date(signal["date"]), formats["date"])
            sheet.write(row, 1, signal["subject"])
        self._write_wbk_sheet(workbook, names["wbk"], values, formats, notes)

    def _write_wbk_sheet(self, workbook, name, values, formats, notes):
        """Reports of wrongdoing (Wbk): a sheet of their own, organisation only."""
        figures = values["figures"]
        if not figures.get("wbk"):
            return
        _ = self.env._
        sheet = workbook.add_worksheet(name)
        sheet.set_column(0, 0, 45)
        sheet.set_column(1, 3, 14)
        sheet.write(0, 0, _("Reports of wrongdoing (Wbk)"), formats["title"])
        sheet.write(2, 0, "", formats["head"])
        for col, year in enumerate(figures["years"], start=1):
            sheet.write_string(2, col, year, formats["head"])
        sheet.write(3, 0, _("Wbk reports"))
        for col, year in enumerate(figures["years"], start=1):
            self._write_cell(sheet, 3, col, figures["wbk"]["received"][year], formats, notes)
        self._write_legend(sheet, 5, values, formats, _)

    def _write_legend(self, sheet, row, values, formats, _):
        """The markers and the rule, under every table of counts."""
        threshold = values["figures"]["threshold"]
        legend = values["legend"]
        sheet.write(row, 0, _("How to read the tables."), formats["bold"])
        sheet.write(row + 1, 0, f"< {threshold}", formats["marker"])
        sheet.write(row + 1, 1, legend["small"])
        sheet.write(row + 2, 0, "x", formats["marker"])
        sheet.write(row + 2, 1, legend["hidden"])
        sheet.merge_range(row + 3, 0, row + 3, 3, values["suppression_note"], formats["wrap"])
        sheet.set_row(row + 3, 120)

    def _write_amount_sheet(self, sheet, heading, columns, section, formats, _):
        """A sheet of amounts or activity numbers (not counts of cases: not suppressed)."""
        sheet.set_column(0, 0, 48)
        sheet.set_column(1, len(columns), 16)
        sheet.write(0, 0, heading, formats["title"])
        sheet.write(2, 0, "", formats["head"])
        for col, (_key, label, _fmt) in enumerate(columns, start=1):
            sheet.write(2, col, label, formats["head"])
        row = 3
        for line in section["rows"]:
            sheet.write(row, 0, line["label"])
            for col, (key, _label, fmt) in enumerate(columns, start=1):
                sheet.write_number(row, col, line[key], formats[fmt])
            row += 1
        sheet.write(row, 0, _("Total"), formats["bold"])
        for col, (key, _label, fmt) in enumerate(columns, start=1):
            sheet.write_number(row, col, section[key], formats[f"{fmt}_bold"])

    def _write_cell(self, sheet, row, col, cell, formats, notes, bold=False):
        """A published count as a number; a hidden one as its marker, with a note."""
        if not cell:
            sheet.write(row, col, "-", formats["marker_bold" if bold else "marker"])
        elif cell["v"] is not None:
            sheet.write_number(row, col, cell["v"], formats["count_bold" if bold else "count"])
        else:
            sheet.write_string(row, col, cell["d"], formats["marker_bold" if bold else "marker"])
            sheet.write_comment(row, col, notes.get(cell["s"], notes["c"]), {"x_scale": 2})
