from odoo import fields, models
from odoo.exceptions import UserError

from .appointment_slots import to_local


class VpAppointment(models.Model):
    """A booking becomes a case (intake) in one click."""

    _inherit = "vp.appointment"

    case_id = fields.Many2one("vp.case", readonly=True, copy=False, index=True)

    def action_create_case(self):
        """Create the intake case of this appointment, moving the note and contact over.

        Runs as the counsellor (no sudo): the case is theirs, and the content fields go
        through the ORM so the vault encrypts them like any other case content.
        """
        self.ensure_one()
        if self.case_id:
            raise UserError(self.env._("This appointment already has a case."))
        if self.counsellor_id != self.env.user:
            raise UserError(self.env._("Only the counsellor of the appointment can open a case."))
        if self.state not in ("requested", "confirmed", "done"):
            raise UserError(self.env._("A cancelled or declined appointment cannot become a case."))
        contact = ", ".join(
            filter(
                None,
                [
                    self.partner_id.email or self.contact_email,
                    self.partner_id.phone or self.contact_phone,
                    self.callback_phone,
                ],
            )
        )
        case = self.env["vp.case"].create(
            {
                "date_intake": to_local(self.env, self.start, self._tz()).date(),
                "intake_channel": self.channel,
                "melder_name": self.partner_id.name or self.contact_name or False,
                "melder_contact": contact or False,
                "notes": self.note or False,
            }
        )
        # moved, not copied: the case keeps it encrypted, the appointment no longer
        self.write({"case_id": case.id, "note": False, "callback_phone": False})
        return {
            "type": "ir.actions.act_window",
            "res_model": "vp.case",
            "res_id": case.id,
            "view_mode": "form",
            "target": "current",
        }
