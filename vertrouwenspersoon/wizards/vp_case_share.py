# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class VpCaseShare(models.TransientModel):
    """Small dialog behind the Share / Revoke / Hand over buttons of a case."""

    _name = "vp.case.share"
    _inherit = ["vp.share.wizard.mixin"]
    _description = "Share a case with a deputy"
    _shared_field = "case_id"

    case_id = fields.Many2one("vp.case", required=True, ondelete="cascade")

    def _allowed_users(self, counsellors):
        case = self.case_id
        if self.mode == "revoke":
            return case.deputy_ids
        return (
            counsellors
            - case.counsellor_id
            - (case.deputy_ids if self.mode == "share" else self.env["res.users"])
        )
