import base64
import secrets

from odoo import fields, models


class VpAppointment(models.Model):
    """A short booking code a booker without an account can read out to the counsellor.

    Random (40 bits), not derived from the link's token: it names the booking on the
    phone and opens nothing.
    """

    _inherit = "vp.appointment"

    booking_code = fields.Char(
        string="Booking code",
        default=lambda self: new_booking_code(),
        copy=False,
        readonly=True,
        index=True,
        help="The code the booker sees on the confirmation page, to name the appointment "
        "on the phone.",
    )

    def init(self):
        result = super().init()
        # appointments of earlier builds get a code too
        self.env.cr.execute(
            "SELECT id FROM vp_appointment WHERE booking_code IS NULL OR booking_code = ''"
        )
        for (appointment_id,) in self.env.cr.fetchall():
            self.env.cr.execute(
                "UPDATE vp_appointment SET booking_code = %s WHERE id = %s",
                (new_booking_code(), appointment_id),
            )
        return result


def new_booking_code():
    code = base64.b32encode(secrets.token_bytes(5)).decode()
    return f"{code[:4]}-{code[4:8]}"
