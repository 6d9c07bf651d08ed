# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Journeys in a real browser (Odoo tours in headless Chromium, static/tests/tours/).

Every other test posts forms or calls the ORM; these look at the rendered page, so a
missing note box or a dashboard stuck at 0 fails here. Each tour is followed by checks of
what the browser stored. Without Chromium Odoo skips browser tests; in CI (CI=true) a
missing browser fails instead, so the journeys cannot silently stop running.
"""

import os
import re
import unittest
from datetime import timedelta

from lxml import etree

from odoo import fields
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged
from odoo.tests.common import _find_executable

from ..models.vault import vp_vault as vault_module
from .booking_common import BookingFixture
from .common import MELDER, VAULT_PASS

# the texts the tours type (static/tests/tours/*.js)
BOOKING_NOTE = "I would like to talk about my team"
CONTACT_NOTE = "Follow-up call: things are calmer"


class TourCase(BookingFixture, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not _find_executable():
            message = "Chromium (or Chrome) is not installed: the browser journeys cannot run"
            if os.environ.get("CI"):
                raise AssertionError(message)
            raise unittest.SkipTest(message)
        cls.setup_booking()
        # the tours read English texts, whatever languages the database has
        (cls.counsellor | cls.portal_user).write({"lang": "en_US"})

    def setUp(self):
        super().setUp()
        self.addCleanup(vault_module._PROCESS_KEYS.clear)

    def read_as_counsellor(self, records):
        """``records`` as the unlocked counsellor sees them (the vault decrypts)."""
        self.env(user=self.counsellor)["vp.vault"].unlock(VAULT_PASS)
        self.env.invalidate_all()
        return records.with_user(self.counsellor)


@tagged("post_install", "-at_install")
class TestBookingFormHtml(BookingFixture, HttpCase):
    """The note box in the HTML itself: public form, and the form shown again after an
    error with the typed note still in it (no browser needed)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_booking()

    def test_note_box_on_public_form_and_after_an_error(self):
        public = self.url_open(f"/vertrouwenspersoon/afspraak/book/{self.profile.id}").text
        self.assertRegex(public, r'<textarea[^>]*name="note"')
        self.authenticate("vp_b_portal", "vp_b_portal")
        form = f"/my/vertrouwenspersoon/book/{self.profile.id}"
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', self.url_open(form).text)
        response = self.url_open(
            form,
            data={
                "csrf_token": csrf.group(1),
                "channel": "video",
                "start": "2020-01-06 09:00:00",  # in the past: refused with a message
                "note": BOOKING_NOTE,
            },
        )
        self.assertEqual(response.status_code, 409)
        self.assertRegex(
            response.text, rf'<textarea[^>]*name="note"[^>]*>{BOOKING_NOTE}</textarea>'
        )


@tagged("post_install", "-at_install")
class TestBookingTour(TourCase):
    def _book_move_cancel(self):
        first_slot = self.free()
        self.start_tour("/my/vertrouwenspersoon", "vp_portal_book_move_cancel", login="vp_b_portal")
        appointment = self.Appointment.search([("user_id", "=", self.portal_user.id)])
        self.assertEqual(len(appointment), 1)
        self.assertEqual((appointment.state, appointment.channel), ("cancelled", "video"))
        self.assertNotEqual(appointment.start, first_slot, "the appointment was not moved")
        self.assertEqual(self.read_as_counsellor(appointment).note, BOOKING_NOTE)

    def test_portal_user_books_with_a_note_moves_and_cancels(self):
        self._book_move_cancel()


@tagged("post_install", "-at_install")
class TestBookingTourPhone(TestBookingTour):
    """The same journey on a phone-sized touch screen; the tour also fails if the page
    scrolls sideways. (Odoo collects only the test methods a class defines itself.)"""

    browser_size = "375x740"
    touch_enabled = True

    def test_on_a_phone_books_with_a_note_moves_and_cancels(self):
        self._book_move_cancel()


@tagged("post_install", "-at_install")
class TestPublicBookingTour(TourCase):
    def test_phone_only_booker_keeps_the_link_and_code(self):
        self.start_tour("/vertrouwenspersoon/afspraak", "vp_public_book_phone_only")
        appointment = self.Appointment.search([("user_id", "=", False)])
        self.assertEqual(len(appointment), 1)
        self.assertFalse(appointment.contact_email)
        # the link shown to keep exists only as a digest
        self.assertTrue(appointment.access_token_hashes)
        # the counsellor finds the booking by the code the booker reads out
        code = appointment.booking_code
        self.assertRegex(code, r"^[A-Z2-7]{4}-[A-Z2-7]{4}$")
        found = (
            self.env["vp.appointment"]
            .with_user(self.counsellor)
            .search([("booking_code", "=", code)])
        )
        self.assertEqual(found, appointment)


@tagged("post_install", "-at_install")
class TestCounsellorTour(TourCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Case = cls.env["vp.case"].with_user(cls.counsellor)
        today = fields.Date.today()
        cls.env(user=cls.counsellor)["vp.vault"].unlock(VAULT_PASS)

        def case(**values):
            return Case.create(
                {
                    "intake_channel": "phone",
                    "reporter_type": "employee",
                    "melder_name": MELDER,
                    "date_intake": today,
                    **values,
                }
            )

        cls.open_cases = case(description="first") | case(description="second")
        cls.env["vp.case.contact"].with_user(cls.counsellor).create(
            {
                "case_id": cls.open_cases[0].id,
                "date": fields.Datetime.now() + timedelta(days=2),
                "is_aftercare": True,
            }
        )
        closed = case(date_intake=today - timedelta(days=400), outcome="resolved")
        closed.action_close()
        closed.sudo().retention_date = today + timedelta(days=20)
        # the browser has to unlock the vault itself
        vault_module._PROCESS_KEYS.clear()

    def test_counsellor_unlocks_sees_counts_and_adds_a_contact_moment(self):
        Contact = self.env["vp.case.contact"].sudo()
        before = Contact.search([("case_id", "in", self.open_cases.ids)])
        self.start_tour(
            "/odoo",
            "vp_counsellor_dashboard_case",
            login="vp_b_counsellor",
        )
        added = Contact.search([("case_id", "in", self.open_cases.ids)]) - before
        self.assertEqual(len(added), 1)
        self.assertEqual(self.read_as_counsellor(added).notes, CONTACT_NOTE)


@tagged("post_install", "-at_install")
class TestDirectorTour(TourCase):
    def test_director_opens_the_published_report(self):
        director = new_test_user(
            self.env,
            "vp_b_director",
            groups="base.group_user,vertrouwenspersoon.group_vp_director",
            lang="en_US",
        )
        report = self.env["vp.annual.report"].with_user(self.counsellor).create({"year": 2019})
        report.action_publish()
        self.start_tour("/odoo", "vp_director_reads_report", login=director.login)


@tagged("post_install", "-at_install")
class TestLockedPhonePlaceholders(TransactionCase):
    """While the vault is locked an encrypted phone number holds a placeholder text: the
    appointment form must not turn it into a phone link with an SMS button."""

    def test_phone_widget_only_when_unlocked(self):
        arch = self.env["vp.appointment"].get_views([(False, "form")])["views"]["form"]["arch"]
        nodes = etree.fromstring(arch).xpath(
            "//field[@name='callback_phone' or @name='contact_phone']"
        )
        self.assertTrue(nodes)
        for node in nodes:
            invisible = node.get("invisible", "")
            if node.get("widget") == "phone":
                self.assertIn("vault_locked", invisible, etree.tostring(node))
                self.assertNotIn("not vault_locked", invisible, etree.tostring(node))
            else:
                self.assertIn("not vault_locked", invisible, etree.tostring(node))
