# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging

from odoo import api, fields, models
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import mute_logger

_logger = logging.getLogger(__name__)


class VpBookingGuard(models.Model):
    """One row per booker or client key, written by each booking attempt of that key.

    Odoo runs a request in one REPEATABLE READ transaction: two requests of the same
    key that started together would each count the other's attempt or booking as not
    there yet, and both pass a limit. Every such request first writes the row of its
    keys; PostgreSQL lets the first one through and makes a later one fail with a
    serialization error (it waits for the first to commit), and that request is
    refused. A request that starts after the first committed sees its rows and counts
    them. So the count and the insert after it are atomic per key. Keys are hashed.
    """

    _name = "vp.booking.guard"
    _description = "Booking limit guard (one row per hashed key)"
    _log_access = False

    key = fields.Char(required=True)
    touched = fields.Datetime(string="Last attempt", required=True)

    _sql_constraints = [("key_unique", "unique(key)", "One guard row per key.")]

    @api.model
    def _claim(self, keys):
        """Write the guard rows of ``keys``; False if a concurrent request holds one.

        Sorted, so two requests sharing keys lock them in the same order (no deadlock).
        """
        keys = sorted({key for key in keys if key})
        if not keys:
            return True
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                self.env.cr.execute(
                    """
                    INSERT INTO vp_booking_guard (key, touched)
                    SELECT key, %s FROM unnest(%s::varchar[]) AS key ORDER BY key
                    ON CONFLICT (key) DO UPDATE SET touched = EXCLUDED.touched
                    """,
                    [fields.Datetime.now(), keys],
                )
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            _logger.info("booking refused: a concurrent request of the same booker or client")
            return False
        return True

    @api.model
    def _purge(self, before):
        """Forget keys untouched since ``before`` (skipped when a request holds one)."""
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                self.env.cr.execute("DELETE FROM vp_booking_guard WHERE touched < %s", [before])
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            _logger.debug("booking guards: purge left to a concurrent request")
