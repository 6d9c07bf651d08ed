# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class VpConversationShare(models.TransientModel):
    """Small dialog behind Share / Revoke / Hand over of an anonymous conversation."""

    _name = "vp.conversation.share"
    _description = "Share an anonymous conversation"

    conversation_id = fields.Many2one("vp.conversation", required=True, ondelete="cascade")
    mode = fields.Selection(
        [("share", "Share"), ("revoke", "Revoke"), ("hand_over", "Hand over")],
        required=True,
        default="share",
    )
    user_id = fields.Many2one(
        "res.users", string="Counsellor", required=True, domain="[('id', 'in', allowed_user_ids)]"
    )
    allowed_user_ids = fields.Many2many("res.users", compute="_compute_allowed_user_ids")

    @api.depends("conversation_id", "mode")
    def _compute_allowed_user_ids(self):
        counsellors = self.env.ref("vertrouwenspersoon.group_vp_counsellor").sudo().users
        for wizard in self:
            conversation = wizard.conversation_id.sudo()
            if wizard.mode == "revoke":
                wizard.allowed_user_ids = conversation.reader_ids - conversation.counsellor_id
            else:
                wizard.allowed_user_ids = counsellors - conversation.reader_ids

    def action_confirm(self):
        self.ensure_one()
        conversation = self.conversation_id
        {
            "share": conversation.action_share_with,
            "revoke": conversation.action_revoke,
            "hand_over": conversation.action_hand_over,
        }[self.mode](self.user_id)
        if self.mode == "hand_over":
            # handed over: the form is no longer ours to see, back to the list
            return self.env["ir.actions.act_window"]._for_xml_id(
                "vertrouwenspersoon.vp_conversation_action"
            )
        return {"type": "ir.actions.act_window_close"}
