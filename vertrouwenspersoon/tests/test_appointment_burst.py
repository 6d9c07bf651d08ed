# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A parallel burst from one client or one booker, in real concurrent transactions:
the limits hold (their count and insert are atomic per key)."""

from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase, new_test_user, tagged

from .booking_common import make_calendar, make_counsellor, run_concurrently

BURST = 6


@tagged("post_install", "-at_install")
class TestBookingBurst(TransactionCase):
    def _set_param(self, key, value):
        with self.registry.cursor() as cr:
            icp = api.Environment(cr, SUPERUSER_ID, {})["ir.config_parameter"]
            old = icp.get_param(key)
            icp.set_param(key, value)
        self.addCleanup(self._reset_param, key, old)

    def _reset_param(self, key, value):
        with self.registry.cursor() as cr:
            api.Environment(cr, SUPERUSER_ID, {})["ir.config_parameter"].set_param(key, value)

    def test_public_rate_limit_holds_under_a_burst(self):
        self._set_param("vertrouwenspersoon.public_booking_per_hour", "3")
        address = "198.51.100.7"

        def attempt(env, index):
            return env["vp.booking.attempt"]._record_attempt(
                ip=address, email=f"burst{index}@example.com"
            )

        results = run_concurrently(self, BURST, attempt)
        self.addCleanup(self._forget_attempts, address)
        self.assertLessEqual(results.count(True), 3, results)
        self.assertGreaterEqual(results.count(True), 1, results)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            key = env["vp.booking.attempt"]._hash("ip", address)
            cr.execute("SELECT count(*) FROM vp_booking_attempt WHERE key = %s", [key])
            self.assertLessEqual(cr.fetchone()[0], 3)

    def _forget_attempts(self, address):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            key = env["vp.booking.attempt"]._hash("ip", address)
            cr.execute("DELETE FROM vp_booking_attempt WHERE key = %s", [key])

    def test_active_limit_holds_under_a_burst(self):
        """One account sends its bookings of six different times at the same moment."""
        self._set_param("vertrouwenspersoon.booking_max_active", "2")
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            calendar = make_calendar(env, name="burst hours")
            counsellor, profile = make_counsellor(env, "vp_burst_counsellor", calendar)
            booker = new_test_user(env, "vp_burst_booker", groups="base.group_portal")
            slots = profile._free_slots()[profile.id][:BURST]
            ids = (calendar.id, counsellor.id, profile.id, booker.id)
        self.addCleanup(self._cleanup, *ids)

        def attempt(env, index):
            booker_user = env["res.users"].browse(ids[3])
            env["vp.appointment"]._book(
                env["vp.counsellor"].browse(ids[2]),
                slots[index],
                "phone",
                {"user_id": booker_user.id, "partner_id": booker_user.partner_id.id},
            )
            env.flush_all()
            return "booked"

        results = run_concurrently(self, BURST, attempt)
        self.assertGreaterEqual(results.count("booked"), 1, results)
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM vp_appointment WHERE user_id = %s"
                " AND state IN ('requested', 'confirmed')",
                [ids[3]],
            )
            self.assertLessEqual(cr.fetchone()[0], 2, results)

    def _cleanup(self, calendar_id, counsellor_id, profile_id, booker_id):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            appointments = env["vp.appointment"].search([("profile_id", "=", profile_id)])
            env["vp.appointment.notice"].search(
                [("appointment_id", "in", appointments.ids)]
            ).unlink()
            appointments.event_id.unlink()
            appointments.unlink()
            env["vp.counsellor"].browse(profile_id).unlink()
            env["res.users"].browse([counsellor_id, booker_id]).active = False
            env["resource.calendar"].browse(calendar_id).active = False
