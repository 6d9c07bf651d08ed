# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A booker's e-mails speak the language of the page they booked on."""

from odoo.tests import HttpCase, tagged

from .booking_common import BookingHttp

DUTCH_BROWSER = {"Accept-Language": "nl-NL,nl;q=0.9"}


@tagged("post_install", "-at_install")
class TestBookingLanguage(BookingHttp, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("nl_NL")
        cls.env["ir.module.module"]._load_module_terms(["vertrouwenspersoon"], ["nl_NL"])
        cls.setup_booking()

    def _book_on_the_page(self, headers):
        response = self._public_book(headers=headers, contact_email="jan@example.com")
        self.assertEqual(response.status_code, 303, response.text[-500:])
        return self.Appointment.search([("contact_email", "=", "jan@example.com")])

    def _mails_to(self, address):
        return self.env["mail.mail"].sudo().search([("email_to", "=", address)], order="id")

    def test_public_booker_on_the_dutch_page_gets_dutch_mails(self):
        page = self.url_open(self._public_form(), headers=DUTCH_BROWSER)
        self.assertIn("Afspraak aanvragen", page.text)
        appointment = self._book_on_the_page(DUTCH_BROWSER)
        self.assertEqual(appointment.lang, "nl_NL")
        # the outbox cron runs in English; the mails follow the page, not the cron
        self.env["vp.appointment.notice"].with_context(lang="en_US")._cron_send()
        confirm = self._mails_to("jan@example.com")
        self.assertEqual(confirm.mapped("subject"), ["Bevestig je e-mailadres"])
        appointment._confirm_email()
        self.env["vp.appointment.notice"].with_context(lang="en_US")._cron_send()
        booked = self._mails_to("jan@example.com") - confirm
        self.assertEqual(len(booked), 1)
        self.assertTrue(booked.subject.startswith("Je afspraak op"), booked.subject)
        self.assertIn("Je aanvraag voor een afspraak op", booked.body_html)
        self.assertNotIn("Your appointment", booked.body_html)

    def test_english_page_stays_english(self):
        appointment = self._book_on_the_page({"Accept-Language": "en-US"})
        self.assertEqual(appointment.lang, "en_US")
        self.env["vp.appointment.notice"].with_context(lang="nl_NL")._cron_send()
        self.assertEqual(
            self._mails_to("jan@example.com").mapped("subject"), ["Confirm your e-mail address"]
        )
