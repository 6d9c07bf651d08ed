# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models


class VpAnnualReportXlsx(models.AbstractModel):
    """The annual report as a workbook: the same protected figures, one sheet per section."""

    _name = "report.vertrouwenspersoon.vp_annual_report_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Annual report (XLSX)"

    def generate_xlsx_report(self, workbook, data, objs):
        objs.check_access("read")
        for report in objs:
            lang = report._report_lang()
            report = report.with_context(lang=lang)
            self._write_report(workbook, report)

    def _write_report(self, workbook, report):
        _ = report.env._
        values = report._render_values()
        figures = values["figures"]
        years = figures["years"]
        bold = workbook.add_format({"bold": True})
        title = workbook.add_format({"bold": True, "font_size": 14})
        wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        right = workbook.add_format({"align": "right"})

        sheet = workbook.add_worksheet(_("Summary"))
        sheet.set_column(0, 0, 45)
        sheet.set_column(1, 3, 14)
        sheet.write(0, 0, report.name, title)
        sheet.write(1, 0, report.company_id.name)
        sheet.write(3, 0, _("Year"), bold)
        for col, year in enumerate(years, start=1):
            sheet.write(3, col, year, bold)
        for row, (key, label) in enumerate(
            [("new", _("New cases")), ("carried", _("Cases carried over"))], start=4
        ):
            sheet.write(row, 0, label)
            for col, year in enumerate(years, start=1):
                self._write_cell(sheet, row, col, figures["headline"][year][key], right)
        sheet.write(7, 0, _("Contact moments"))
        self._write_cell(sheet, 7, 3, figures["contacts"]["count"], right)
        sheet.write(8, 0, _("Contact hours"))
        hours = figures["contacts"]["hours"]
        sheet.write(8, 3, hours if hours is not None else "x", right)
        sheet.write(10, 0, values["suppression_note"], wrap)

        for table in figures["tables"]:
            sheet = workbook.add_worksheet(values["titles"][table["key"]][:31])
            sheet.set_column(0, 0, 45)
            sheet.set_column(1, 3, 14)
            sheet.write(0, 0, values["titles"][table["key"]], title)
            sheet.write(2, 0, "", bold)
            for col, year in enumerate(years, start=1):
                sheet.write(2, col, year, bold)
            row = 3
            for line in table["rows"]:
                sheet.write(row, 0, line["label"])
                for col, year in enumerate(years, start=1):
                    self._write_cell(sheet, row, col, line["cells"][year], right)
                row += 1
            sheet.write(row, 0, _("Number of cases"), bold)
            for col, year in enumerate(years, start=1):
                self._write_cell(sheet, row, col, table["total"][year], right)
            note = values["notes"].get(table["key"])
            if note:
                sheet.write(row + 2, 0, note, wrap)
            sheet.write(row + 3, 0, values["suppression_note"], wrap)

        time = figures["time"]
        sheet = workbook.add_worksheet(_("Time"))
        sheet.set_column(0, 0, 45)
        sheet.write(0, 0, _("Time per activity (hours)"), title)
        row = 2
        for line in time["rows"]:
            sheet.write(row, 0, line["label"])
            sheet.write_number(row, 1, line["hours"])
            row += 1
        sheet.write(row, 0, _("Total"), bold)
        sheet.write_number(row, 1, time["total"])
        sheet.write(row + 1, 0, _("Guideline (hours per year)"))
        sheet.write_number(row + 1, 1, time["guideline"])
        sheet.write(row + 2, 0, _("Average hours per week"))
        sheet.write_number(row + 2, 1, time["per_week"])

        budget = figures["budget"]
        self._write_amount_sheet(
            workbook.add_worksheet(_("Budget")),
            _("Budget (%(currency)s)", currency=budget["currency"]),
            [("planned", _("Planned")), ("spent", _("Spent"))],
            budget,
            (title, bold),
        )
        self._write_amount_sheet(
            workbook.add_worksheet(_("Awareness")),
            _("Awareness activities"),
            [
                ("activities", _("Activities")),
                ("participants", _("Participants")),
                ("hours", _("Hours")),
            ],
            figures["awareness"],
            (title, bold),
        )

        sheet = workbook.add_worksheet(_("Signals"))
        sheet.set_column(0, 0, 14)
        sheet.set_column(1, 1, 70)
        sheet.write(0, 0, _("Signals sent to the board during the year"), title)
        for row, signal in enumerate(figures["signals"], start=2):
            sheet.write(row, 0, signal["date"])
            sheet.write(row, 1, signal["subject"])

    def _write_amount_sheet(self, sheet, heading, columns, section, formats):
        """A sheet of amounts or activity numbers (not counts of cases: not suppressed)."""
        title, bold = formats
        sheet.set_column(0, 0, 45)
        sheet.set_column(1, len(columns), 14)
        sheet.write(0, 0, heading, title)
        for col, (_key, label) in enumerate(columns, start=1):
            sheet.write(2, col, label, bold)
        row = 3
        for line in section["rows"]:
            sheet.write(row, 0, line["label"])
            for col, (key, _label) in enumerate(columns, start=1):
                sheet.write_number(row, col, line[key])
            row += 1
        sheet.write(row, 0, self.env._("Total"), bold)
        for col, (key, _label) in enumerate(columns, start=1):
            sheet.write_number(row, col, section[key])

    def _write_cell(self, sheet, row, col, cell, fmt):
        if not cell:
            sheet.write(row, col, "-", fmt)
        elif cell["v"] is not None:
            sheet.write_number(row, col, cell["v"], fmt)
        else:
            sheet.write(row, col, cell["d"], fmt)
