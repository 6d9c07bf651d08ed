# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models


class VpAnnualReportPdf(models.AbstractModel):
    """Values of the PDF: refuses, before rendering anything, a report the user may not read."""

    _name = "report.vertrouwenspersoon.vp_annual_report_pdf"
    _description = "Annual report (PDF)"

    def _get_report_values(self, docids, data=None):
        docs = self.env["vp.annual.report"].browse(docids)
        docs.check_access("read")
        return {"doc_ids": docids, "doc_model": "vp.annual.report", "docs": docs}
