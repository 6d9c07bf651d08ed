# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The dialog asking why a case is kept longer: its reason is content from the start.

A transient record is a table row like any other, so the reason typed in the dialog
is a vault drop for the counsellor typing it, never plaintext.
"""

from odoo import fields, models
from odoo.exceptions import UserError

from ..models.vault.vp_vault_drop_mixin import encrypted_field


class VpCaseRetentionExtend(models.TransientModel):
    _name = "vp.case.retention.extend"
    _description = "Extend the retention of a case"

    case_id = fields.Many2one("vp.case", required=True, ondelete="cascade")
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.case_id.action_extend_retention(self.reason)
        return {"type": "ir.actions.act_window_close"}


class VpCaseRetentionExtendVault(models.TransientModel):
    _name = "vp.case.retention.extend"
    _inherit = ["vp.case.retention.extend", "vp.vault.drop.mixin"]

    _vault_fields = ("reason",)

    reason = encrypted_field(fields.Text, "reason", compute="_compute_vault_drop_content")
    reason_enc = fields.Text()
    vault_locked = fields.Boolean(compute="_compute_vault_locked", string="Vault locked")

    def _vault_drop_readers(self):
        return self.env.user

    def action_confirm(self):
        if not self.env["vp.vault"].is_vault_unlocked():
            raise UserError(
                self.env._("Unlock your vault first: the reason is stored encrypted with the case.")
            )
        return super().action_confirm()
