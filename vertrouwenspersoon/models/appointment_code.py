import base64
import hashlib

from odoo import api, fields, models


class VpAppointment(models.Model):
    """A short booking code a booker without an account can read out to the counsellor.

    Derived from the access token by a one-way hash: the code identifies the booking on
    the phone but opens nothing (40 bits of a SHA-256, never the token itself).
    """

    _inherit = "vp.appointment"

    booking_code = fields.Char(
        string="Booking code",
        compute="_compute_booking_code",
        store=True,
        index=True,
        help="The code the booker sees on the confirmation page, to name the appointment "
        "on the phone.",
    )

    @api.depends("access_token")
    def _compute_booking_code(self):
        for appointment in self:
            token = appointment.access_token
            if not token:
                appointment.booking_code = False
                continue
            digest = base64.b32encode(hashlib.sha256(token.encode()).digest()).decode()
            appointment.booking_code = f"{digest[:4]}-{digest[4:8]}"
