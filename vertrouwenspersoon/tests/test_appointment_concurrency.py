# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Two real transactions racing for one slot: the database lets only one win."""

from datetime import timedelta

from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase, tagged

from .booking_common import REFUSED_BY_DB, make_calendar, make_counsellor, run_concurrently


@tagged("post_install", "-at_install")
class TestBookingConcurrency(TransactionCase):
    def _committed_fixture(self, login):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            calendar = make_calendar(env, name=f"race {login}")
            user, profile = make_counsellor(env, login, calendar)
            slot = profile._free_slots()[profile.id][0]
            ids = (calendar.id, user.id, profile.id)
        self.addCleanup(self._cleanup, *ids)
        return profile.id, slot

    def _cleanup(self, calendar_id, user_id, profile_id):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            appointments = env["vp.appointment"].search([("profile_id", "=", profile_id)])
            appointments.event_id.unlink()
            appointments.unlink()
            env["vp.counsellor"].browse(profile_id).unlink()
            env["res.users"].browse(user_id).active = False
            env["resource.calendar"].browse(calendar_id).active = False

    def _race(self, profile_id, slot, book):
        """Run ``book`` in two transactions that both started before either commits."""

        def attempt(env, index):
            book(env, env["vp.counsellor"].browse(profile_id), slot, index)
            return "booked"

        results = run_concurrently(self, 2, attempt)
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM vp_appointment WHERE profile_id = %s AND start = %s"
                " AND state IN ('requested', 'confirmed')",
                [profile_id, slot],
            )
            held = cr.fetchone()[0]
        return results, held

    def test_two_bookings_race_for_the_same_slot(self):
        profile_id, slot = self._committed_fixture("vp_race_a")

        def book(env, profile, start, index):
            env["vp.appointment"]._book(
                profile,
                start,
                "phone",
                {"contact_name": f"Racer {index}", "contact_email": f"r{index}@example.com"},
            )

        results, held = self._race(profile_id, slot, book)
        # the loser is stopped by the slot lock (at once) or, if the winner had already
        # committed, by the unique index
        self.assertEqual(len(results), 2)
        self.assertEqual(results.count("booked"), 1, results)
        self.assertIn(
            next(r for r in results if r != "booked"),
            ("SlotTakenError", REFUSED_BY_DB),
        )
        self.assertEqual(held, 1)

    def _raw_create(self, offset_minutes):
        """Insert without any Python check (no slot check): only the database guards."""

        def book(env, profile, start, index):
            start = start + timedelta(minutes=offset_minutes * index)
            env["vp.appointment"].create(
                {
                    "profile_id": profile.id,
                    "counsellor_id": profile.user_id.id,
                    "start": start,
                    "stop": start + timedelta(hours=1),
                    "channel": "video",
                }
            )
            env.flush_all()

        return book

    def test_database_refuses_the_same_start_without_python_checks(self):
        profile_id, slot = self._committed_fixture("vp_race_b")
        results, held = self._race(profile_id, slot, self._raw_create(0))
        self.assertEqual(sorted(results), ["booked", REFUSED_BY_DB])
        self.assertEqual(held, 1)

    def test_database_refuses_overlapping_times_without_python_checks(self):
        profile_id, slot = self._committed_fixture("vp_race_c")
        results, _held = self._race(profile_id, slot, self._raw_create(30))
        self.assertEqual(sorted(results), ["booked", REFUSED_BY_DB])
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM vp_appointment WHERE profile_id = %s"
                " AND state IN ('requested', 'confirmed')",
                [profile_id],
            )
            self.assertEqual(cr.fetchone()[0], 1)
