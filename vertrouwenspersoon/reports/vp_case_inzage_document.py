# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

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
        # Content is decrypted here, by the addon's own code: the vault gives no key to
        # code running inside a template (vault_gate), so the template only prints these.
        content = {
            case.id: {
                "melder_name": case.melder_name,
                "description": case.description,
                "notes": case.notes,
                "contacts": [
                    {"contact": contact, "notes": contact.notes}
                    for contact in case.contact_ids.filtered(
                        lambda c: not c.concerns_third_party
                    ).sorted("date")
                ],
            }
            for case in cases
        }
        # nothing decrypted stays in the cache where the template could reach it
        cases.invalidate_recordset()
        cases.contact_ids.invalidate_recordset()
        return {
            "doc_ids": cases.ids,
            "doc_model": "vp.case",
            "docs": cases,
            "content": content,
            "data": data,
        }
