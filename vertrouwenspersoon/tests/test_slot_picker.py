# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The booking pages as plain HTML (no script): the slot picker week by week, marked
required fields, moving with the current time shown, cancelling that asks once, and the
list of appointments."""

import re

from lxml import html as lxml_html

from odoo import fields
from odoo.tests import HttpCase, tagged

from .booking_common import BookingFixture

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


@tagged("post_install", "-at_install")
class TestSlotPicker(BookingFixture, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_booking()

    def _page(self, url, status=200):
        response = self.url_open(url)
        self.assertEqual(response.status_code, status, url)
        return response, lxml_html.fromstring(response.text)

    def _post(self, url, data, csrf_from):
        csrf = CSRF_RE.search(self.url_open(csrf_from).text).group(1)
        return self.url_open(url, data={**data, "csrf_token": csrf}, allow_redirects=False)

    def _radios(self, doc):
        return doc.xpath("//form//fieldset[legend]//input[@type='radio'][@name='start']")

    def test_free_times_week_by_week_first_free_time_first(self):
        self.authenticate("vp_b_portal", "vp_b_portal")
        form = f"/my/vertrouwenspersoon/book/{self.profile.id}"
        _response, doc = self._page(form)
        first = fields.Datetime.to_string(self.free())
        values = [radio.get("value") for radio in self._radios(doc)]
        self.assertEqual(values[0], first, "the first free time is on the first page")
        # each day a fieldset with a legend; a label per radio button
        days = doc.xpath("//fieldset[contains(@class, 'o_vp_day')]")
        self.assertTrue(1 <= len(days) <= 7)
        for day in days:
            self.assertTrue(day.xpath("./legend/text()"))
        for radio in self._radios(doc):
            self.assertTrue(doc.xpath(f"//label[@for='{radio.get('id')}']"))
        self.assertFalse(doc.xpath("//a[contains(@class, 'o_vp_week_prev')]"))
        # the next week is a plain link; its page holds other times, and a way back
        (next_link,) = doc.xpath("//a[contains(@class, 'o_vp_week_next')]/@href")
        self.assertIn("week=1", next_link)
        _response, week2 = self._page(next_link.split("#")[0])
        later = [radio.get("value") for radio in self._radios(week2)]
        self.assertTrue(later)
        self.assertFalse(set(later) & set(values))
        self.assertTrue(week2.xpath("//a[contains(@class, 'o_vp_week_prev')]"))
        # a time of the second week is booked by posting the radio value, no script
        response = self._post(form, {"channel": "phone", "start": later[0]}, csrf_from=form)
        self.assertEqual(response.status_code, 303, response.text[:300])
        appointment = self.Appointment.search([("user_id", "=", self.portal_user.id)])
        self.assertEqual(fields.Datetime.to_string(appointment.start), later[0])
        # nonsense in the week parameter shows the first week, not an error
        for week in ("abc", "-1", "999"):
            _response, doc = self._page(f"{form}?week={week}")
            self.assertTrue(self._radios(doc))

    def test_error_keeps_the_week_and_the_chosen_time(self):
        self.authenticate("vp_b_portal", "vp_b_portal")
        form = f"/my/vertrouwenspersoon/book/{self.profile.id}"
        _response, doc = self._page(f"{form}?week=1")
        chosen = self._radios(doc)[3].get("value")
        response = self._post(
            form, {"channel": "phone", "start": chosen, "note": "\x07bell"}, csrf_from=form
        )
        self.assertEqual(response.status_code, 400)
        doc = lxml_html.fromstring(response.text)
        checked = doc.xpath("//input[@name='start'][@checked]/@value")
        self.assertEqual(checked, [chosen])

    def test_required_fields_marked_one_phone_field_pseudonym(self):
        _response, doc = self._page(f"/vertrouwenspersoon/afspraak/book/{self.profile.id}")
        text = doc.text_content()
        self.assertIn("A first name or a pseudonym is fine.", text)
        self.assertIn("are required", text)
        # the name, the time and the channel carry the mark
        for label in doc.xpath("//label[@for='vp_name'] | //label[@for='vp_channel']"):
            self.assertIn("(required)", label.text_content())
        self.assertIn(
            "(required)", doc.xpath("//fieldset[@id='vp_slots']/legend")[0].text_content()
        )
        self.assertEqual(len(doc.xpath("//form//input[@type='tel']")), 1)
        self.authenticate("vp_b_portal", "vp_b_portal")
        _response, doc = self._page(f"/my/vertrouwenspersoon/book/{self.profile.id}")
        self.assertEqual(len(doc.xpath("//form//input[@type='tel']")), 1)

    def test_move_shows_the_current_time_and_changes_the_channel(self):
        appointment = self.book(user=self.portal_user, channel="phone")
        self.authenticate("vp_b_portal", "vp_b_portal")
        base = f"/my/vertrouwenspersoon/{appointment.id}"
        _response, doc = self._page(f"{base}/move")
        current = doc.xpath("//*[contains(@class, 'o_vp_current')]")[0].text_content()
        self.assertIn(appointment._local_label(), current)
        self.assertIn("Phone", current)
        self.assertEqual(doc.xpath("//select[@name='channel']/option[@selected]/@value"), ["phone"])
        new_slot = fields.Datetime.to_string(self.free(index=3))
        response = self._post(
            f"{base}/move", {"start": new_slot, "channel": "video"}, csrf_from=f"{base}/move"
        )
        self.assertEqual(response.status_code, 303, response.text[:300])
        self.assertEqual(appointment.channel, "video")
        self.assertEqual(fields.Datetime.to_string(appointment.start), new_slot)

    def test_cancel_asks_once_and_ends_with_a_way_back(self):
        appointment = self.book(user=self.portal_user)
        self.authenticate("vp_b_portal", "vp_b_portal")
        base = f"/my/vertrouwenspersoon/{appointment.id}"
        _response, doc = self._page(base)
        (cancel_link,) = doc.xpath("//a[contains(@class, 'o_vp_cancel')]/@href")
        # following the link only asks
        _response, ask = self._page(cancel_link)
        self.assertIn("Cancel this appointment?", ask.text_content())
        self.assertEqual(ask.xpath("//a[contains(@class, 'o_vp_keep')]/@href"), [base])
        self.assertEqual(appointment.state, "requested")
        response = self._post(f"{base}/cancel", {}, csrf_from=cancel_link)
        self.assertEqual(response.status_code, 303)
        self.assertEqual(appointment.state, "cancelled")
        _response, done = self._page(response.headers["Location"])
        self.assertIn("cancelled", done.text_content())
        self.assertEqual(
            done.xpath("//a[contains(@class, 'o_vp_back_home')]/@href"), ["/my/vertrouwenspersoon"]
        )
        self.assertFalse(done.xpath("//a[contains(@class, 'o_vp_cancel')]"))

    def test_list_names_the_counsellor_and_keeps_cancelled_ones_aside(self):
        kept = self.book(user=self.portal_user)
        cancelled = self.book(
            user=self.portal_user,
            profile=self.other_profile,
            start=self.free(self.other_profile, index=2),
        )
        cancelled._cancel_by_booker()
        self.authenticate("vp_b_portal", "vp_b_portal")
        _response, doc = self._page("/my/vertrouwenspersoon")
        upcoming = doc.xpath("//ul[contains(@class, 'o_vp_upcoming')]")[0]
        self.assertIn("Anna Counsellor", upcoming.text_content())
        self.assertIn(f"/my/vertrouwenspersoon/{kept.id}", lxml_html.tostring(upcoming).decode())
        self.assertNotIn(f'/{cancelled.id}"', lxml_html.tostring(upcoming).decode())
        aside = doc.xpath("//details[contains(@class, 'o_vp_earlier')]")[0]
        self.assertIn("Bert Counsellor", aside.text_content())
        self.assertIn("Cancelled", aside.text_content())
