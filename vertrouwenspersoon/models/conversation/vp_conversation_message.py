# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from ...tools import vault_crypto as vc
from ..vault.security_log_text import _lt
from ..vault.vp_vault_drop_mixin import VaultIntegrityError

CONTENT_FIELDS = ("body", "attachment_name", "attachment")


class VpConversationMessage(models.Model):
    """One message of an anonymous conversation, encrypted under the conversation key.

    Nothing here says who wrote it beyond "the writer" or the answering counsellor: no
    ``create_uid`` (``_log_access = False``), no partner, no address.
    """

    _name = "vp.conversation.message"
    _inherit = ["vp.sudo.only.mixin"]
    _description = "Message of an anonymous conversation"
    _order = "id"
    _log_access = False
    _vp_refused = {
        "create": _lt("Messages are written through the conversation."),
        "write": _lt("A message cannot be changed."),
        "unlink": _lt("A message cannot be deleted."),
    }

    conversation_id = fields.Many2one(
        "vp.conversation", required=True, ondelete="cascade", index=True, readonly=True
    )
    author = fields.Selection(
        [("writer", "Writer"), ("counsellor", "Counsellor")], required=True, readonly=True
    )
    counsellor_id = fields.Many2one(
        "res.users", string="Answered by", readonly=True, ondelete="set null"
    )
    date = fields.Datetime(required=True, readonly=True)
    has_attachment = fields.Boolean(readonly=True)
    is_wbk_confirmation = fields.Boolean(string="Wbk confirmation of receipt", readonly=True)
    body_enc = fields.Text(readonly=True)
    attachment_name_enc = fields.Char(readonly=True)
    attachment_enc = fields.Text(readonly=True)
    body = fields.Text(string="Message", compute="_compute_content")
    attachment_name = fields.Char(string="File name", compute="_compute_content")
    attachment = fields.Binary(string="File", compute="_compute_content", attachment=False)

    def _decrypt_with(self, data_key, fname):
        """Plaintext of ``fname`` with K (the writer's code, or an unlocked reader).

        No sudo: reading the ciphertext column applies the record rules."""
        self.ensure_one()
        envelope = self[f"{fname}_enc"]
        if not envelope:
            return False
        try:
            return vc.decrypt_field(data_key, envelope, self._name, self.id, fname)
        except (vc.VaultCryptoError, ValueError):
            raise VaultIntegrityError(
                self.env._(
                    "A message of %s does not authenticate: it was tampered with or moved. "
                    "Nothing is shown.",
                    self.conversation_id.sudo().name,
                )
            ) from None

    @api.depends_context("uid")
    def _compute_content(self):
        """Decrypted for an unlocked reader through the vault gate; a placeholder for a
        locked reader; nothing for anyone else (superuser and sudo included)."""
        keys = {}
        for message in self:
            conversation = message.conversation_id
            if conversation.id not in keys:
                keys[conversation.id] = (
                    conversation._conversation_key() if isinstance(message.id, int) else None
                )
            data_key = keys[conversation.id]
            for fname in CONTENT_FIELDS:
                if data_key is None or not isinstance(message.id, int):
                    reader = (
                        not self.env.su
                        and fname == "body"
                        and self.env.user in conversation.sudo().reader_ids
                    )
                    message[fname] = (
                        self.env._("\U0001f512 Locked: unlock your vault to read")
                        if reader
                        else False
                    )
                    continue
                message[fname] = message._decrypt_with(data_key, fname)
