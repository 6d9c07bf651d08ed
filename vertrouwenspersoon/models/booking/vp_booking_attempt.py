# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import hashlib
import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import mute_logger

_logger = logging.getLogger(__name__)


# the two rate limits: settings of vp.settings (attempts per hour)
PUBLIC_LIMIT = "vp_public_booking_per_hour"
PORTAL_LIMIT = "vp_portal_booking_per_hour"


class VpBookingAttempt(models.Model):
    """Rate limiting of the booking forms: one row per attempt, keys hashed.

    No IP address, user or e-mail address is stored in the clear; rows older than a
    day are purged by the hourly cron. Counting and recording are atomic per key (see
    vp.booking.guard), so a parallel burst gets no more through than the limit.
    """

    _name = "vp.booking.attempt"
    _description = "Booking attempt (rate limiting)"
    _log_access = False

    key = fields.Char(required=True, index=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)

    @api.model
    def _hash(self, kind, value):
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret", "")
        digest = hashlib.sha256(f"{secret}:{kind}:{value}".lower().encode()).hexdigest()
        return f"{kind}:{digest[:32]}"

    @api.model
    def _limit(self, setting=PUBLIC_LIMIT):
        return self.env["vp.settings"]._vp_value(setting)

    @api.model
    def _purge(self, now):
        """Forget attempts and guard rows older than a day (hourly cron)."""
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                self.env.cr.execute(
                    "DELETE FROM vp_booking_attempt WHERE date < %s", [now - timedelta(days=1)]
                )
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            _logger.debug("booking attempts: purge left to a concurrent request")
        self.env["vp.booking.guard"].sudo()._purge(now - timedelta(days=1))

    @api.model
    def _keys(self, **values):
        return sorted({self._hash(kind, value) for kind, value in values.items() if value})

    @api.model
    def _allowed(self, keys, setting=PUBLIC_LIMIT):
        """Whether each key is under the limit per hour of ``setting``, and no request of
        the same key runs at this very moment (then the caller may ``_add`` them)."""
        now = fields.Datetime.now()
        if not keys:
            return True
        if not self.env["vp.booking.guard"].sudo()._claim(keys):
            return False
        self.env.cr.execute(
            """
            SELECT count(*) FROM vp_booking_attempt
             WHERE key = ANY(%s) AND date > %s GROUP BY key ORDER BY count(*) DESC LIMIT 1
            """,
            [keys, now - timedelta(hours=1)],
        )
        row = self.env.cr.fetchone()
        return not (row and row[0] >= self._limit(setting))

    @api.model
    def _count_recent(self, key):
        self.env.cr.execute(
            "SELECT count(*) FROM vp_booking_attempt WHERE key = %s AND date > %s",
            [key, fields.Datetime.now() - timedelta(hours=1)],
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _add(self, keys):
        self.env.cr.execute(
            "INSERT INTO vp_booking_attempt (key, date)"
            " SELECT key, %s FROM unnest(%s::varchar[]) AS key",
            [fields.Datetime.now(), keys],
        )

    @api.model
    def _record_attempt(self, setting=PUBLIC_LIMIT, **values):
        """Record an attempt for each (kind, value); False if any key is over the limit."""
        keys = self._keys(**values)
        if not self._allowed(keys, setting):
            return False
        if keys:
            self._add(keys)
        return True
