# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The portal and public booking flows over HTTP, including bad input and attacks."""

from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from .booking_common import BookingHttp


@tagged("post_install", "-at_install")
class TestAppointmentPortal(BookingHttp, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_booking()

    def _count(self):
        return self.Appointment.search_count([])

    # ------------------------------------------------------------- portal

    def test_portal_user_books_moves_and_cancels(self):
        self.authenticate("vp_b_portal", "vp_b_portal")
        home = self.url_open("/my/vertrouwenspersoon")
        self.assertEqual(home.status_code, 200)
        self.assertIn("Anna Counsellor", home.text)
        self.assertIn("Bert Counsellor", home.text)
        form = f"/my/vertrouwenspersoon/book/{self.profile.id}"
        slot = self.free()
        response = self._post(
            form,
            {
                "channel": "video",
                "start": fields.Datetime.to_string(slot),
                "callback_phone": "0612345678",
                "note": "Please call me after 5",
            },
            csrf_from=form,
        )
        self.assertEqual(response.status_code, 303, response.text[:500])
        appointment = self.Appointment.search([("user_id", "=", self.portal_user.id)])
        self.assertEqual(len(appointment), 1)
        self.assertEqual((appointment.start, appointment.channel), (slot, "video"))
        # the note is stored encrypted for the counsellor (see test_appointment_vault)
        self.assertTrue(appointment.note_enc)
        self.assertNotIn("call me", appointment.note_enc)
        self.assertTrue(
            response.headers["Location"].endswith(
                f"/my/vertrouwenspersoon/{appointment.id}?done=booked"
            )
        )
        page = self.url_open(f"/my/vertrouwenspersoon/{appointment.id}?done=booked")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Cancel appointment", page.text)
        # move
        base = f"/my/vertrouwenspersoon/{appointment.id}"
        new_slot = self.free(index=5)
        response = self._post(
            f"{base}/move", {"start": fields.Datetime.to_string(new_slot)}, csrf_from=f"{base}/move"
        )
        self.assertEqual(response.status_code, 303, response.text[:500])
        self.assertEqual(appointment.start, new_slot)
        self.send_notices()
        self.assertEqual(appointment.event_id.start, new_slot)
        # cancel
        response = self._post(f"{base}/cancel", {}, csrf_from=f"{base}/cancel")
        self.assertEqual(response.status_code, 303)
        self.assertEqual(appointment.state, "cancelled")
        self.send_notices()
        self.assertFalse(appointment.event_id)

    def test_internal_employee_books_through_the_portal(self):
        self.authenticate("vp_b_employee", "vp_b_employee")
        form = f"/my/vertrouwenspersoon/book/{self.other_profile.id}"
        response = self._post(
            form,
            {"channel": "phone", "start": fields.Datetime.to_string(self.free(self.other_profile))},
            csrf_from=form,
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(
            self.Appointment.search([("user_id", "=", self.employee.id)]).counsellor_id,
            self.other_counsellor,
        )

    def test_portal_home_shows_entry(self):
        self.authenticate("vp_b_portal", "vp_b_portal")
        response = self.url_open("/my/home")
        self.assertIn("/my/vertrouwenspersoon", response.text)

    def test_bad_input_gives_a_message_and_writes_nothing(self):
        self.authenticate("vp_b_portal", "vp_b_portal")
        form = f"/my/vertrouwenspersoon/book/{self.profile.id}"
        slot = self.free()
        count = self._count()
        night = slot.replace(hour=1) if slot.hour > 2 else slot + timedelta(hours=12)
        bad = [
            ({"channel": "phone", "start": "2020-01-01 09:00:00"}, 409),  # past
            ({"channel": "phone", "start": fields.Datetime.to_string(night)}, 409),
            ({"channel": "phone", "start": "not a date"}, 409),
            ({"channel": "teleport", "start": fields.Datetime.to_string(slot)}, 409),
            (
                {"channel": "phone", "start": fields.Datetime.to_string(slot), "note": "x" * 5000},
                409,
            ),
            (
                {
                    "channel": "phone",
                    "start": fields.Datetime.to_string(slot),
                    "callback_phone": "1" * 500,
                },
                409,
            ),
        ]
        for data, status in bad:
            with self.subTest(data=str(data)[:80]):
                response = self._post(form, data, csrf_from=form)
                self.assertEqual(response.status_code, status, response.text[-800:])
                self.assertIn("alert-warning", response.text)
        self.assertEqual(self._count(), count)
        # missing CSRF token
        response = self._post(form, {"channel": "phone", "start": fields.Datetime.to_string(slot)})
        self.assertEqual(response.status_code, 400)
        self.assertIn("expired", response.text)
        # unknown and inactive counsellor
        for profile_id in (999999, self.other_profile.id):
            if profile_id == self.other_profile.id:
                self.other_profile.active = False
            response = self.url_open(f"/my/vertrouwenspersoon/book/{profile_id}")
            self.assertEqual(response.status_code, 404)
            self.assertIn("cannot be booked", response.text)
        self.assertEqual(self._count(), count)

    def test_slot_taken_between_view_and_submit(self):
        self.authenticate("vp_b_portal", "vp_b_portal")
        form = f"/my/vertrouwenspersoon/book/{self.profile.id}"
        slot = self.free()
        csrf = self._csrf(form)
        self.book(user=self.employee, start=slot)  # someone else is faster
        response = self._post(
            form, {"channel": "phone", "start": fields.Datetime.to_string(slot), "csrf_token": csrf}
        )
        self.assertEqual(response.status_code, 409)
        self.assertIn("just taken", response.text)
        self.assertNotIn(f'value="{fields.Datetime.to_string(slot)}"', response.text)
        self.assertFalse(self.Appointment.search([("user_id", "=", self.portal_user.id)]))

    def test_cannot_see_or_cancel_someone_elses_booking(self):
        victim = self.book(user=self.employee, note="Victim's secret")
        new_test_user(self.env, "vp_b_attacker", groups="base.group_portal")
        self.authenticate("vp_b_attacker", "vp_b_attacker")
        base = f"/my/vertrouwenspersoon/{victim.id}"
        response = self.url_open(base)
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("Victim", response.text)
        csrf = self._csrf(f"/my/vertrouwenspersoon/book/{self.profile.id}")
        for action in ("cancel", "move", "accept"):
            response = self._post(f"{base}/{action}", {"csrf_token": csrf})
            self.assertEqual(response.status_code, 404)
        # the token route does not open an account holder's booking either
        token = victim._portal_ensure_token()
        response = self.url_open(f"/vertrouwenspersoon/afspraak/{victim.id}/{token}")
        self.assertEqual(response.status_code, 404)
        home = self.url_open("/my/vertrouwenspersoon")
        self.assertNotIn(f"/my/vertrouwenspersoon/{victim.id}", home.text)
        self.assertEqual(victim.state, "requested")

    # ------------------------------------------------------------- public

    def _public_book(self, index=0, headers=None, **extra):
        return super()._public_book(index, headers, **{"contact_email": "jan@example.com", **extra})

    def test_public_booking_with_token_link(self):
        self.assertEqual(self.url_open("/vertrouwenspersoon/afspraak").status_code, 200)
        response = self._public_book(note="Call me")
        self.assertEqual(response.status_code, 303, response.text[-800:])
        appointment = self.Appointment.search([("contact_email", "=", "jan@example.com")])
        self.assertTrue(appointment)
        self.assertFalse(appointment.user_id)
        # the booker lands on a URL without a token, opened by this browser's session
        manage = f"/vertrouwenspersoon/afspraak/manage/{appointment.id}"
        self.assertIn(f"{manage}?done=booked", response.headers["Location"])
        self.assertEqual(self.url_open(manage).status_code, 200)
        # a mailed link: the token works, and is exchanged for a URL without it
        token = appointment._portal_ensure_token()
        base = f"/vertrouwenspersoon/afspraak/{appointment.id}/{token}"
        self.opener.cookies.clear()
        self.assertEqual(self.url_open(manage).status_code, 404)
        response = self.url_open(base, allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith(manage))
        self.assertEqual(self.url_open(manage).status_code, 200)
        # wrong or truncated token, or another id
        for url in (
            f"/vertrouwenspersoon/afspraak/{appointment.id}/wrong",
            f"/vertrouwenspersoon/afspraak/{appointment.id}/{token[:-1]}",
            f"/vertrouwenspersoon/afspraak/{appointment.id + 1}/{token}",
        ):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 404, url)
            self.assertIn("not valid", response.text)
        # cancel on the page without token
        response = self._post(f"{manage}/cancel", {}, csrf_from=f"{manage}/cancel")
        self.assertEqual(response.status_code, 303)
        self.assertEqual(appointment.state, "cancelled")

    def test_public_token_expires_at_start(self):
        response = self._public_book()
        self.assertEqual(response.status_code, 303)
        appointment = self.Appointment.search([("contact_email", "=", "jan@example.com")])
        token = appointment._portal_ensure_token()
        appointment.write(
            {
                "start": fields.Datetime.now() - timedelta(minutes=1),
                "stop": fields.Datetime.now() + timedelta(minutes=59),
            }
        )
        response = self.url_open(f"/vertrouwenspersoon/afspraak/{appointment.id}/{token}")
        self.assertEqual(response.status_code, 404)
        # the grant of the booking session ends with it too
        response = self.url_open(f"/vertrouwenspersoon/afspraak/manage/{appointment.id}")
        self.assertEqual(response.status_code, 404)

    def test_public_honeypot_contact_and_rate_limit(self):
        count = self._count()
        response = self._public_book(website="http://spam.example.com")
        self.assertEqual(response.status_code, 400)
        response = self._public_book(contact_email="", contact_phone="")
        self.assertEqual(response.status_code, 400)
        self.assertIn("phone number", response.text)
        response = self._public_book(contact_email="not-an-address")
        self.assertEqual(response.status_code, 400)
        response = self._public_book(contact_name="x" * 300)
        self.assertEqual(response.status_code, 409)
        self.assertEqual(self._count(), count)
        self.env["ir.config_parameter"].sudo().set_param(
            "vertrouwenspersoon.public_booking_per_hour", "2"
        )
        self.env["vp.booking.attempt"].sudo().search([]).unlink()
        statuses = [
            self._public_book(
                contact_email=f"p{i}@example.com",
                start=fields.Datetime.to_string(self.free(index=i)),
            ).status_code
            for i in range(3)
        ]
        self.assertEqual(statuses, [303, 303, 429])
        self.assertEqual(self._count(), count + 2)

    def test_public_missing_csrf(self):
        form = f"/vertrouwenspersoon/afspraak/book/{self.profile.id}"
        response = self.url_open(
            form,
            data={
                "channel": "phone",
                "start": fields.Datetime.to_string(self.free()),
                "contact_name": "Jan",
                "contact_email": "jan@example.com",
            },
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.Appointment.search([("contact_email", "=", "jan@example.com")]))

    def test_photo_route_serves_only_active_profiles(self):
        pixel = (
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGA"
            "hKmMIQAAAABJRU5ErkJggg=="
        )
        self.profile.image_1920 = pixel
        self.assertEqual(
            self.url_open(f"/vertrouwenspersoon/photo/{self.profile.id}").status_code, 200
        )
        self.profile.active = False
        self.assertEqual(
            self.url_open(f"/vertrouwenspersoon/photo/{self.profile.id}").status_code, 404
        )
