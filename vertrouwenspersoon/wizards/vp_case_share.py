# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


class VpCaseShare(models.TransientModel):
    """Small dialog behind the Share / Revoke / Hand over buttons of a case."""

    _name = "vp.case.share"
    _description = "Share a case with a deputy"

    case_id = fields.Many2one("vp.case", required=True, ondelete="cascade")
    mode = fields.Selection(
        [("share", "Share"), ("revoke", "Revoke"), ("hand_over", "Hand over")],
        required=True,
        default="share",
    )
    user_id = fields.Many2one(
        "res.users", string="Counsellor", required=True, domain="[('id', 'in', allowed_user_ids)]"
    )
    allowed_user_ids = fields.Many2many("res.users", compute="_compute_allowed_user_ids")

    @api.depends("case_id", "mode")
    def _compute_allowed_user_ids(self):
        counsellors = self.env.ref("vertrouwenspersoon.group_vp_counsellor").sudo().users
        for wizard in self:
            case = wizard.case_id
            if wizard.mode == "revoke":
                wizard.allowed_user_ids = case.deputy_ids
            else:
                wizard.allowed_user_ids = (
                    counsellors
                    - case.counsellor_id
                    - (case.deputy_ids if wizard.mode == "share" else self.env["res.users"])
                )

    def action_confirm(self):
        self.ensure_one()
        method = {
            "share": self.case_id.action_share_with,
            "revoke": self.case_id.action_revoke,
            "hand_over": self.case_id.action_hand_over,
        }[self.mode]
        method(self.user_id)
        return {"type": "ir.actions.act_window_close"}
