"""Encryption at rest of what the booker types (vault drops for the counsellor).

The note, the call-back number and the name and phone number of a booker without an
account are stored only as ciphertext for the public key of the appointment's
counsellor: the booking flow encrypts without anyone unlocking, the counsellor reads
them when unlocked, nobody else ever. The e-mail address of a booker without an
account stays readable by the server: it is needed to send the booker's mails
(confirmation, reminder), like the partner of a booker with an account.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError

from .vault_drop import encrypted_field
from .vault_legacy import _with_vault, encrypt_legacy_columns

COMPUTE = "_compute_vault_drop_content"


class VpAppointment(models.Model):
    _name = "vp.appointment"
    _inherit = ["vp.appointment", "vp.vault.drop.mixin"]

    _vault_fields = ("note", "callback_phone", "contact_name", "contact_phone", "decline_message")
    _vault_counsellor_field = "counsellor_id"

    note = encrypted_field(fields.Text, "note", compute=COMPUTE)
    callback_phone = encrypted_field(fields.Char, "callback_phone", compute=COMPUTE)
    contact_name = encrypted_field(fields.Char, "contact_name", compute=COMPUTE)
    contact_phone = encrypted_field(fields.Char, "contact_phone", compute=COMPUTE)
    note_enc = fields.Text(copy=False)
    callback_phone_enc = fields.Text(copy=False)
    contact_name_enc = fields.Text(copy=False)
    contact_phone_enc = fields.Text(copy=False)
    # the counsellor's reply goes to the booker by e-mail only; kept for the counsellor
    decline_message = encrypted_field(fields.Text, "decline_message", compute=COMPUTE)
    decline_message_enc = fields.Text(copy=False)
    vault_locked = fields.Boolean(compute="_compute_vault_locked", string="Vault locked")

    def init(self):
        result = super().init()
        # plain columns of builds before the vault: encrypted for the counsellor, dropped
        encrypt_legacy_columns(self, self._encrypt_legacy_value)
        return result

    def _encrypt_legacy_value(self, record, fname, value):
        counsellor = record.sudo().counsellor_id.filtered(
            lambda user: user.has_group("vertrouwenspersoon.group_vp_counsellor")
        )
        readers = _with_vault(self.env, counsellor)
        return None if readers is None else record._vault_drop_for(readers, fname, value)

    def _has_vault_content(self):
        return any(self.sudo()[f"{fname}_enc"] for fname in self._vault_fields)

    @api.model
    def _book(self, profile, start, channel, booker, callback_phone=None, note=None, hourly=None):
        """A counsellor without a vault can be booked, but receives nothing in writing.

        The note and call-back number are refused with a message (the booker removes
        them and books again); for a booker without an account only the e-mail address
        is kept, so one is required.
        """
        vault = self.env["vp.vault"]._vault_of(profile.sudo().user_id)
        if not (vault and vault.public_key):
            if (note or "").strip() or (callback_phone or "").strip():
                raise UserError(
                    self.env._(
                        "This counsellor cannot receive a written note or phone number "
                        "securely yet. Leave those fields empty and tell them at the "
                        "appointment."
                    )
                )
            if not booker.get("user_id"):
                if not (booker.get("contact_email") or "").strip():
                    raise UserError(
                        self.env._(
                            "This counsellor can only be reached by e-mail for now: "
                            "please give an e-mail address."
                        )
                    )
                booker = {**booker, "contact_name": None, "contact_phone": None}
        return super()._book(profile, start, channel, booker, callback_phone, note, hourly)

    def write(self, vals):
        if "counsellor_id" in vals:
            moved = self.filtered(lambda a: a.counsellor_id.id != vals["counsellor_id"])
            if moved and moved._has_vault_content():
                raise UserError(
                    self.env._(
                        "This appointment holds content encrypted for its counsellor: it "
                        "cannot move to another counsellor. Ask the employee to book again."
                    )
                )
        return super().write(vals)

    # ------------------------------------------------------------------ replies

    def _booker_message(self):
        """The counsellor's reply in plain, for the e-mail sent now in their request."""
        self.ensure_one()
        message = self.decline_message
        if message and message in self._vault_placeholders():
            raise UserError(
                self.env._(
                    "Unlock your vault first: your message to the employee is stored "
                    "encrypted and goes out by e-mail."
                )
            )
        return message or ""

    def action_decline(self):
        result = True
        for appointment in self:
            message = appointment._booker_message()
            replying = appointment.with_context(vp_booker_message=message)
            result = super(VpAppointment, replying).action_decline()
        return result

    def action_propose(self):
        result = True
        for appointment in self:
            message = appointment._booker_message()
            replying = appointment.with_context(vp_booker_message=message)
            result = super(VpAppointment, replying).action_propose()
        return result
