# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Outbox of appointment e-mails and calendar updates.

The booker's request only writes what must be atomic with the booking: the
appointment (held by the database constraint) and one notice row. The calendar block
and the e-mails follow from this outbox a few seconds later, in a cron worker that the
request wakes up. Because the notice is written in the same transaction as the
booking, a confirmed booking never loses its e-mail, and a crashed request leaves
neither; a failing e-mail does not undo a booking.
"""

import logging

from odoo import api, fields, models, modules
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

_logger = logging.getLogger(__name__)


MAX_ATTEMPTS = 5


KINDS = [
    ("booked", "Booked"),
    ("moved", "Moved"),
    ("cancelled", "Cancelled"),
    ("confirmed", "Confirmed"),
    ("declined", "Declined"),
    ("proposed", "Other time proposed"),
    ("email_confirmed", "E-mail address confirmed"),
]


# what the counsellor hears of (the other kinds are their own actions)
FOR_COUNSELLOR = ("booked", "moved", "cancelled")


class VpAppointmentNotice(models.Model):
    _name = "vp.appointment.notice"
    _description = "Appointment e-mail and calendar update to send (outbox)"
    _order = "id"
    _log_access = False

    appointment_id = fields.Many2one(
        "vp.appointment", required=True, ondelete="cascade", index=True
    )
    kind = fields.Selection(KINDS, required=True)
    attempts = fields.Integer(default=0)

    @api.model
    def _cron_send(self, limit=200):
        """Send what is waiting, oldest first; each notice in its own transaction.

        Rows another worker is sending are skipped (SKIP LOCKED), so a notice goes out
        once even when the cron and a counsellor's action run at the same time. A notice
        whose appointment the booker changes at that very moment is tried again with a
        fresh snapshot; one that fails otherwise waits for the next run.
        """
        skipped = [0]
        conflicts = {}
        handled = 0
        while handled < limit:
            self.flush_model()
            self.env.cr.execute(
                """
                SELECT id FROM vp_appointment_notice WHERE attempts < %s AND id != ALL(%s)
                 ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED
                """,
                [MAX_ATTEMPTS, skipped],
            )
            row = self.env.cr.fetchone()
            if not row:
                break
            handled += 1
            outcome = self.browse(row[0]).sudo()._send()
            if outcome == "conflict":
                conflicts[row[0]] = conflicts.get(row[0], 0) + 1
                if conflicts[row[0]] >= 3:
                    skipped.append(row[0])
            elif outcome == "failed":
                skipped.append(row[0])
            if not modules.module.current_test:
                self.env.cr.commit()  # pylint: disable=invalid-commit
        if conflicts:
            self.env.ref("vertrouwenspersoon.ir_cron_vp_appointment_notices")._trigger()
        return handled

    def _send(self):
        """Update the calendar block and send the e-mails; then forget the notice.

        Returns "sent", "conflict" (a concurrent change: try again) or "failed".
        """
        self.ensure_one()
        appointment = self.appointment_id
        try:
            with self.env.cr.savepoint():
                appointment._sync_event()
                appointment._notify_booker(self.kind)
                if self.kind in FOR_COUNSELLOR:
                    appointment._notify_counsellor(self.kind)
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            _logger.info("appointment %s changed while sending notice %s", appointment.id, self.id)
            self.env.invalidate_all()
            return "conflict"
        except Exception:
            # logged without content; retried on the next runs, then left for a look
            _logger.exception("appointment %s: sending notice %s failed", appointment.id, self.id)
            self.env.invalidate_all()
            self.attempts += 1
            return "failed"
        self.unlink()
        return "sent"
