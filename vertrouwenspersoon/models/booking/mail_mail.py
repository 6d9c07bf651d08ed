# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo import api, fields, models

MAIL_RETRIES = 3


class MailMail(models.Model):
    """Booking mails that fail are retried a few times, then deleted.

    Odoo keeps a failed mail (with its body and attachments) until someone deletes it;
    a booking mail must not wait in the queue for whoever reads it later.
    """

    _inherit = "mail.mail"

    vp_booking_mail = fields.Boolean(string="Booking e-mail", readonly=True, copy=False)
    vp_retries = fields.Integer(string="Booking e-mail retries", readonly=True, copy=False)

    @api.model
    def _vp_retry_or_purge_failed(self):
        """Hourly: send failed booking mails again, up to MAIL_RETRIES times; then delete."""
        failed = self.sudo().search(
            [
                ("vp_booking_mail", "=", True),
                ("state", "in", ("exception", "cancel")),
                ("write_date", "<", fields.Datetime.now() - timedelta(minutes=30)),
            ]
        )
        last = failed.filtered(lambda mail: mail.vp_retries >= MAIL_RETRIES)
        last.unlink()
        for mail in failed - last:
            mail.write({"vp_retries": mail.vp_retries + 1, "state": "outgoing"})
        return len(last)
