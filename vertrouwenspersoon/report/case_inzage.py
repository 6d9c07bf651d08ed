from odoo import api, models


class ReportCaseInzage(models.AbstractModel):
    """Rendering values of the inzage PDF: access is checked before any rendering, so
    /report/html|pdf/... for someone else's case stops with a plain access error."""

    _name = "report.vertrouwenspersoon.vp_case_inzage_document"
    _description = "Case file for the reporter"

    @api.model
    def _get_report_values(self, docids, data=None):
        cases = self.env["vp.case"].browse(docids)
        cases._check_own_case()
        return {"doc_ids": cases.ids, "doc_model": "vp.case", "docs": cases, "data": data}
