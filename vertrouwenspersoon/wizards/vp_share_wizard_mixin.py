# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class VpShareWizardMixin(models.AbstractModel):
    """The small dialog behind Share / Revoke / Hand over of a vp.share.mixin record: the
    model declares the Many2one to the record (named in ``_shared_field``) and which
    counsellors each mode offers (``_allowed_users``)."""

    _name = "vp.share.wizard.mixin"
    _description = "Share with a colleague counsellor"
    _shared_field = None

    mode = fields.Selection(
        [("share", "Share"), ("revoke", "Revoke"), ("hand_over", "Hand over")],
        required=True,
        default="share",
    )
    user_id = fields.Many2one(
        "res.users", string="Counsellor", required=True, domain="[('id', 'in', allowed_user_ids)]"
    )
    allowed_user_ids = fields.Many2many("res.users", compute="_compute_allowed_user_ids")

    def _allowed_users(self, counsellors):
        """Who can be chosen in this wizard's mode, out of all ``counsellors``."""
        raise NotImplementedError

    @api.depends(lambda self: [name for name in (self._shared_field, "mode") if name])
    def _compute_allowed_user_ids(self):
        counsellors = self.env.ref("vertrouwenspersoon.group_vp_counsellor").sudo().users
        for wizard in self:
            wizard.allowed_user_ids = wizard._allowed_users(counsellors)

    def action_confirm(self):
        self.ensure_one()
        record = self[self._shared_field]
        {
            "share": record.action_share_with,
            "revoke": record.action_revoke,
            "hand_over": record.action_hand_over,
        }[self.mode](self.user_id)
        return {"type": "ir.actions.act_window_close"}
