# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import _, models


class VpTimeStatementXlsx(models.AbstractModel):
    """XLSX: hours per activity type of one counsellor in one month, with the amount."""

    _name = "report.vertrouwenspersoon.time_statement_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Monthly statement of counsellor hours (XLSX)"

    def generate_xlsx_report(self, workbook, data, objs):
        bold = workbook.add_format({"bold": True})
        hours_fmt = workbook.add_format({"num_format": "0.00"})
        money_fmt = workbook.add_format({"num_format": "#,##0.00"})
        for statement in objs:
            lines = statement._statement_lines()
            contract = statement._contract()
            sheet = workbook.add_worksheet(f"{statement.year}-{int(statement.month):02d}")
            sheet.set_column(0, 0, 60)
            sheet.set_column(1, 2, 14)
            sheet.write(0, 0, _("Statement of hours"), bold)
            sheet.write(1, 0, _("Counsellor"))
            sheet.write(1, 1, statement.counsellor_id.name)
            sheet.write(2, 0, _("Period"))
            sheet.write(2, 1, f"{statement._month_label(statement.month)} {statement.year}")
            sheet.write(3, 0, _("Organisation"))
            sheet.write(3, 1, statement.company_id.name)
            sheet.write(5, 0, _("Activity"), bold)
            sheet.write(5, 1, _("Hours"), bold)
            row = 6
            for _key, label, hours in lines:
                sheet.write(row, 0, label)
                sheet.write_number(row, 1, hours, hours_fmt)
                row += 1
            total = sum(hours for _key, _label, hours in lines)
            sheet.write(row, 0, _("Total"), bold)
            sheet.write_number(row, 1, total, hours_fmt)
            if contract:
                sheet.write(row + 2, 0, _("Hourly rate"))
                sheet.write_number(row + 2, 1, contract.hourly_rate, money_fmt)
                sheet.write(row + 3, 0, _("Amount"), bold)
                sheet.write_number(row + 3, 1, contract.hourly_rate * total, money_fmt)
