import hashlib
from datetime import timedelta

from odoo import api, fields, models


class VpBookingAttempt(models.Model):
    """Rate limiting of the public booking page: one row per attempt, keys hashed.

    No IP address or e-mail address is stored in the clear; rows older than a day
    are purged on the fly.
    """

    _name = "vp.booking.attempt"
    _description = "Public booking attempt (rate limiting)"
    _log_access = False

    key = fields.Char(required=True, index=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)

    @api.model
    def _hash(self, kind, value):
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret", "")
        digest = hashlib.sha256(f"{secret}:{kind}:{value}".lower().encode()).hexdigest()
        return f"{kind}:{digest[:32]}"

    @api.model
    def _limit(self):
        icp = self.env["ir.config_parameter"].sudo()
        try:
            return max(int(icp.get_param("vertrouwenspersoon.public_booking_per_hour", 5)), 1)
        except ValueError:
            return 5

    @api.model
    def _record_attempt(self, **values):
        """Record an attempt for each (kind, value); False if any key is over the limit."""
        attempts = self.sudo()
        now = fields.Datetime.now()
        attempts.search([("date", "<", now - timedelta(days=1))]).unlink()
        keys = [self._hash(kind, value) for kind, value in values.items() if value]
        counts = {
            key: attempts.search_count([("key", "=", key), ("date", ">", now - timedelta(hours=1))])
            for key in keys
        }
        if any(count >= self._limit() for count in counts.values()):
            return False
        attempts.create([{"key": key, "date": now} for key in keys])
        return True
