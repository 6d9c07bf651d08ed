# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class VpConversationKey(models.Model):
    """The key of an anonymous conversation, wrapped for one counsellor's public key.

    Written with public keys only (the writer's request needs no vault); opened only with
    the counsellor's unlocked private key, through the vault gate.
    """

    _name = "vp.conversation.key"
    _description = "Conversation key wrapped for a counsellor"
    _log_access = False

    conversation_id = fields.Many2one(
        "vp.conversation", required=True, ondelete="cascade", index=True
    )
    user_id = fields.Many2one("res.users", required=True, ondelete="cascade", index=True)
    wrapped_key = fields.Char(required=True)

    _sql_constraints = [
        (
            "conversation_user_unique",
            "unique(conversation_id, user_id)",
            "One wrapped key per reader.",
        ),
    ]
