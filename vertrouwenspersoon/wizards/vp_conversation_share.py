# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class VpConversationShare(models.TransientModel):
    """Small dialog behind Share / Revoke / Hand over of an anonymous conversation."""

    _name = "vp.conversation.share"
    _inherit = ["vp.share.wizard.mixin"]
    _description = "Share an anonymous conversation"
    _shared_field = "conversation_id"

    conversation_id = fields.Many2one("vp.conversation", required=True, ondelete="cascade")

    def _allowed_users(self, counsellors):
        conversation = self.conversation_id.sudo()
        if self.mode == "revoke":
            return conversation.reader_ids - conversation.counsellor_id
        return counsellors - conversation.reader_ids

    def action_confirm(self):
        result = super().action_confirm()
        if self.mode == "hand_over":
            # handed over: the form is no longer ours to see, back to the list
            return self.env["ir.actions.act_window"]._for_xml_id(
                "vertrouwenspersoon.vp_conversation_action"
            )
        return result
