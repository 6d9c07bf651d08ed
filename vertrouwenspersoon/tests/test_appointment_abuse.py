# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Booking as an abuser tries it (issue: booking that holds against abuse, leaves no
traces): one test per attack, over HTTP for the forms. The bursts with real
concurrent transactions are in test_appointment_burst."""

import base64
import re
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import SQL, mute_logger

from .booking_common import BookingHttp

LINK_RE = re.compile(r'href="[^"]*?(/(?:afspraak|confirm-email)/\d+/[^"?]+)"')


@tagged("post_install", "-at_install")
class TestBookingAbuse(BookingHttp, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_booking()
        cls.icp = cls.env["ir.config_parameter"].sudo()

    # ------------------------------------------------------------------ helpers

    def _mails_to(self, address):
        return self.env["mail.mail"].sudo().search([("email_to", "ilike", address)])

    # ------------------------------------------------------- 1. empty an agenda

    def test_one_booker_cannot_empty_an_agenda(self):
        """A portal account, then a visitor without account (same e-mail, then the same
        phone number written differently) try to book every free time."""
        self.icp.set_param("vertrouwenspersoon.public_booking_per_hour", "50")
        self.authenticate("vp_b_portal", "vp_b_portal")
        form = self._portal_form()
        statuses, response = self._portal_book_times(4)
        self.assertEqual(statuses, [303, 303, 409, 409])
        self.assertIn("You already have 2 appointments planned", response.text)
        self.assertIn("phone or e-mail the counsellor", response.text)
        self.assertEqual(self.Appointment.search_count([("user_id", "=", self.portal_user.id)]), 2)

        self.opener.cookies.clear()  # log out: the same person, now without an account
        results = [
            self._public_book(contact_email="mia@example.com").status_code,
            self._public_book(contact_email="MIA@example.com ", contact_name="M.").status_code,
            self._public_book(contact_email="mia@example.com", contact_name="Mia").status_code,
        ]
        self.assertEqual(results, [303, 303, 409])
        results = [
            self._public_book(contact_phone="06-12345678").status_code,
            self._public_book(contact_phone="+31 6 1234 5678").status_code,
            self._public_book(contact_phone="0612345678").status_code,
        ]
        self.assertEqual(results, [303, 303, 409])
        # a cancelled or past appointment no longer counts
        self.Appointment.search(
            [("user_id", "=", self.portal_user.id)], limit=1
        ).state = "cancelled"
        self.authenticate("vp_b_portal", "vp_b_portal")
        response = self._post(
            form,
            {"channel": "phone", "start": fields.Datetime.to_string(self.free(index=10))},
            csrf_from=form,
        )
        self.assertEqual(response.status_code, 303)

    def test_portal_booking_is_rate_limited(self):
        """Book, cancel, book again: an account's bookings per hour are limited too."""
        self.icp.set_param("vertrouwenspersoon.portal_booking_per_hour", "3")
        self.authenticate("vp_b_employee", "vp_b_employee")

        def cancel():
            self.Appointment.search([("user_id", "=", self.employee.id)]).state = "cancelled"

        statuses, response = self._portal_book_times(4, after=cancel)
        self.assertEqual(statuses, [303, 303, 303, 429])
        self.assertIn("Too many booking requests", response.text)

    # --------------------------------------------------- 3. invitations as busy time

    def test_unanswered_invitation_does_not_block_the_agenda(self):
        """Any internal user can invite the counsellor to weeks of meetings."""
        slots = [self.free(index=index) for index in range(3)]
        event = (
            self.env["calendar.event"]
            .with_user(self.employee)
            .create(
                {
                    "name": "Blocker",
                    "start": slots[0] - timedelta(hours=1),
                    "stop": slots[0] + timedelta(weeks=3),
                    "partner_ids": [
                        fields.Command.set(
                            (self.counsellor.partner_id | self.employee.partner_id).ids
                        )
                    ],
                    "show_as": "busy",
                }
            )
        )
        self.assertEqual(self.profile._free_slots()[self.profile.id][:3], slots)
        attendee = event.attendee_ids.filtered(lambda a: a.partner_id == self.counsellor.partner_id)
        attendee.with_user(self.counsellor).do_decline()
        self.assertIn(slots[0], self.profile._free_slots()[self.profile.id])
        attendee.with_user(self.counsellor).do_accept()  # the counsellor's own choice
        self.assertNotIn(slots[0], self.profile._free_slots()[self.profile.id])
        event.unlink()
        # what the counsellor organises is busy without any answer
        self.env["calendar.event"].with_user(self.counsellor).create(
            {
                "name": "Own meeting",
                "start": slots[1],
                "stop": slots[1] + timedelta(hours=1),
                "show_as": "busy",
            }
        )
        self.assertNotIn(slots[1], self.profile._free_slots()[self.profile.id])

    # ----------------------------------------------------- 4. control characters

    @mute_logger("odoo.http")
    def test_control_characters_in_every_field_of_every_form(self):
        count = self.Appointment.search_count([])
        start = fields.Datetime.to_string(self.free())
        public = {
            "channel": "phone",
            "start": start,
            "contact_name": "Jan",
            "contact_email": "jan@example.com",
            "contact_phone": "0612345678",
            "callback_phone": "0612345678",
            "note": "Hello",
        }
        portal = {key: public[key] for key in ("channel", "start", "callback_phone", "note")}
        forms = [(self._public_form(), public)]
        appointment = self.book(user=self.portal_user, start=self.free(index=8))
        base = f"/my/vertrouwenspersoon/{appointment.id}"
        self.authenticate("vp_b_portal", "vp_b_portal")
        forms += [
            (self._portal_form(), portal),
            (f"{base}/move", {"start": fields.Datetime.to_string(self.free(index=9))}),
            (f"{base}/cancel", {"extra": "x"}),
        ]
        for url, data in forms:
            for key in data:
                for bad in ("\x00", "a\x1b[31mb", "x\x7f", "\x08"):
                    with self.subTest(url=url, field=key, value=repr(bad)):
                        poisoned = {**data, key: data[key] + bad}
                        csrf_from = url  # each form's own page (cancel: the page asking)
                        response = self._post(url, poisoned, csrf_from=csrf_from)
                        self.assertEqual(response.status_code, 400, response.text[-500:])
                        self.assertIn("invisible control characters", response.text)
                        self.assertNotIn("\x00", response.text)
        self.assertEqual(self.Appointment.search_count([]), count + 1)
        self.assertEqual(appointment.state, "requested")
        self.assertNotEqual(appointment.start, self.free(index=9))
        # the model refuses them too, whatever calls it
        with self.assertRaisesRegex(Exception, "control characters"):
            self.Appointment._book(
                self.profile,
                self.free(index=12),
                "phone",
                {"contact_name": "J\x00", "contact_email": "j@example.com"},
            )

    # ------------------------------------------------------------ 5. mail traces

    def test_a_day_of_bookings_leaves_nothing_for_the_settings_admin(self):
        admin = new_test_user(self.env, "vp_b_sysadmin", groups="base.group_system")
        attachments_before = self.env["ir.attachment"].sudo().search([]).ids
        self.profile.room = "Vertrouwenskamer B.14"
        self.book(user=self.employee, start=self.free(index=0))
        self.book(user=self.portal_user, start=self.free(index=1), channel="in_person")
        self._public_book(index=2, contact_email="jan@example.com")
        self.send_notices()
        # what is waiting in the queue says nothing of a confidential counsellor
        waiting = self.env["mail.mail"].with_user(admin).search([("vp_booking_mail", "=", True)])
        self.assertEqual(len(waiting), 6)
        for mail in waiting:
            # (the calendar file is an attachment of the mail's message: not even
            # readable by the admin through the ORM; its content is checked anyway)
            ics = "".join(base64.b64decode(a.datas).decode() for a in mail.sudo().attachment_ids)
            text = f"{mail.subject} {mail.body_html} {ics}".lower()
            for word in ("confidential", "vertrouwens", "counsellor", "b.14", "room"):
                self.assertNotIn(word, text, mail.subject)
        # sent: the mail, its message and its calendar file are gone
        self.env["mail.mail"].sudo().process_email_queue()
        self.assertFalse(waiting.exists())
        self.assertFalse(
            self.env["ir.attachment"]
            .with_user(admin)
            .search([("id", "not in", attachments_before), ("name", "=", "appointment.ics")])
        )
        # a mail that keeps failing is retried, then deleted with its calendar file
        self.book(user=self.employee, start=self.free(index=4)).action_confirm()
        failing = self.env["mail.mail"].sudo().search([("vp_booking_mail", "=", True)])
        self.assertTrue(failing.attachment_ids)
        ics = failing.attachment_ids
        with (
            patch.object(type(self.env["ir.mail_server"]), "connect", side_effect=OSError("down")),
            mute_logger("odoo.addons.mail.models.mail_mail"),
        ):
            for _attempt in range(6):
                failing.exists().send(raise_exception=False)
                self.assertTrue(all(m.state == "exception" for m in failing.exists()))
                self.env.flush_all()
                self.env.cr.execute(
                    "UPDATE mail_mail SET write_date = now() - interval '1 hour'"
                    " WHERE id = ANY(%s)",
                    [failing.ids],
                )
                self.env["mail.mail"].invalidate_model()
                self.env["vp.appointment"]._cron_send_reminders()
        self.assertFalse(failing.exists())
        self.assertFalse(ics.exists())

    # ---------------------------------------------------------- 6. manage tokens

    def test_manage_token_is_hashed_and_leaves_the_url_at_once(self):
        self._public_book(contact_email="jan@example.com")
        appointment = self.Appointment.search([("contact_email", "=", "jan@example.com")])
        self.send_notices()
        confirm_mail = self._mails_to("jan@example.com")
        appointment._confirm_email()
        self.send_notices()
        mail = self._mails_to("jan@example.com") - confirm_mail
        link = LINK_RE.search(mail.body_html).group(1)
        token = link.rsplit("/", 1)[1]
        # a DBA reading the row finds no token, only its digest
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT row(a.*)::text FROM vp_appointment a WHERE id = %s", [appointment.id]
        )
        self.assertNotIn(token, self.env.cr.fetchone()[0])
        # first use: exchanged for the session, redirected to a URL without it
        self.opener.cookies.clear()
        response = self.url_open(link, allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertNotIn(token, response.headers["Location"])
        page = self.url_open(response.headers["Location"])
        self.assertEqual(page.status_code, 200)
        self.assertIn("Cancel appointment", page.text)
        self.assertNotIn(token, page.text)  # no form or link carries it on
        # another browser without the link gets nothing at the token-free URL
        manage = response.headers["Location"].split("?")[0]
        self.opener.cookies.clear()
        self.assertEqual(self.url_open(manage).status_code, 404)
        # once the mail is sent, the token is nowhere in the database
        self.env["mail.mail"].sudo().process_email_queue()
        self.assertIsNone(self._database_holds(token))

    def test_manage_links_of_the_old_database_keep_working(self):
        """Builds before stored the plain token: upgrading hashes it and drops it."""
        appointment = self.book(user=self.employee)
        appointment.write({"user_id": False, "partner_id": False})
        self.env.flush_all()
        self.env.cr.execute("ALTER TABLE vp_appointment ADD COLUMN access_token varchar")
        self.env.cr.execute(
            "UPDATE vp_appointment SET access_token = 'old-link-token' WHERE id = %s",
            [appointment.id],
        )
        self.Appointment._hash_legacy_tokens()
        self.env.cr.execute(
            "SELECT 1 FROM information_schema.columns"
            " WHERE table_name = 'vp_appointment' AND column_name = 'access_token'"
        )
        self.assertFalse(self.env.cr.fetchone())
        appointment.invalidate_recordset()
        response = self.url_open(
            f"/vertrouwenspersoon/afspraak/{appointment.id}/old-link-token", allow_redirects=False
        )
        self.assertEqual(response.status_code, 303)

    def _assert_refused(self, url):
        """A link that does not open: a page that says so, never a server error."""
        response = self.url_open(url, allow_redirects=False)
        self.assertEqual(response.status_code, 404, url)
        self.assertIn("not valid", response.text, url)
        self.assertNotIn("Traceback", response.text)
        return response

    def _public_appointment(self, email, index=0):
        self._public_book(index=index, contact_email=email)
        return self.Appointment.search([("contact_email", "=", email)])

    def _database_holds(self, text):
        """Whether any text column of any table holds ``text``: what a DBA would find."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT c.table_name, c.column_name
              FROM information_schema.columns c
              JOIN information_schema.tables t
                ON t.table_schema = c.table_schema AND t.table_name = c.table_name
             WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
               AND c.data_type IN ('text', 'character varying', 'jsonb')
            """
        )
        for table, column in self.env.cr.fetchall():
            self.env.cr.execute(
                SQL(
                    "SELECT 1 FROM %s WHERE %s::text LIKE %s LIMIT 1",
                    SQL.identifier(table),
                    SQL.identifier(column),
                    f"%{text}%",
                )
            )
            if self.env.cr.fetchone():
                return f"{table}.{column}"
        return None

    def test_tokens_of_others_expired_or_forged_are_refused_with_a_page(self):
        """portal.mixin's building blocks without its clear-text token: every way in is
        one gate (_document_check_access), and only digests are in the database."""
        mine = self._public_appointment("jan@example.com")
        other = self._public_appointment("piet@example.com", index=1)
        token, other_token = mine._portal_ensure_token(), other._portal_ensure_token()
        manage = f"/vertrouwenspersoon/afspraak/manage/{mine.id}"
        # no column for portal.mixin's token, and no token anywhere in the database
        self.env.cr.execute(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_name = 'vp_appointment' AND column_name LIKE %s",
            ["%token%"],
        )
        self.assertEqual([row[0] for row in self.env.cr.fetchall()], ["access_token_hashes"])
        self.assertFalse(mine.access_token)
        self.assertIsNone(self._database_holds(token))
        # a DBA who copies what is stored (the digest) has no link: in the path, in the
        # query of portal's URL, in another appointment's row
        digest = mine.access_token_hashes.split()[-1]
        self.env.cr.execute(
            "UPDATE vp_appointment SET access_token_hashes = %s WHERE id = %s",
            [mine.access_token_hashes, other.id],
        )
        other.invalidate_recordset()
        self.opener.cookies.clear()
        for url in (
            f"/afspraak/{mine.id}/{digest}",
            f"{manage}?access_token={digest}",
            f"/afspraak/{other.id}/{digest}",
            # wrong, another appointment's, a token for the wrong id
            f"/afspraak/{mine.id}/{token[:-2]}",
            f"/afspraak/{mine.id}/{other_token}",
            f"{manage}?access_token={other_token}",
            f"/vertrouwenspersoon/afspraak/{mine.id}/{other_token}/cancel",
            f"/afspraak/{mine.id + 1000}/{token}",
            manage,  # no token and no grant
        ):
            with self.subTest(url=url):
                self._assert_refused(url)
        # the token itself works, also in portal's own form of the URL (get_portal_url),
        # and leaves the address at once
        portal_url = mine.get_portal_url()
        self.assertTrue(portal_url.startswith(f"{manage}?access_token="))
        response = self.url_open(portal_url, allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertNotIn("access_token", response.headers["Location"])
        self.assertEqual(self.url_open(manage).status_code, 200)
        # a wrong token is refused even in the browser that holds a grant
        self._assert_refused(f"/afspraak/{mine.id}/{other_token}")
        # expired: the appointment started
        self.opener.cookies.clear()
        mine.write(
            {
                "start": fields.Datetime.now() - timedelta(minutes=1),
                "stop": fields.Datetime.now() + timedelta(minutes=59),
            }
        )
        self._assert_refused(f"/afspraak/{mine.id}/{token}")
        self._assert_refused(f"{manage}?access_token={token}")
        self.assertEqual((mine.state, other.state), ("requested", "requested"))

    def test_nobody_mints_a_link_through_the_orm(self):
        """portal.mixin's public get_portal_url() would hand out a key to the booking:
        called by RPC (not as superuser) it is refused, for the counsellor too."""
        appointment = self._public_appointment("jan@example.com")
        digests = appointment.access_token_hashes
        users = (self.portal_user, self.employee, self.counsellor, self.other_counsellor)
        for user in users:
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                appointment.with_user(user).get_portal_url()
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                appointment.with_user(user)._portal_ensure_token()
        self.assertEqual(appointment.access_token_hashes, digests)

    def test_the_portal_page_opens_for_its_account_only(self):
        appointment = self.book(user=self.portal_user)
        page = f"/my/vertrouwenspersoon/{appointment.id}"
        # its account: no token needed
        self.authenticate("vp_b_portal", "vp_b_portal")
        self.assertIn("Cancel appointment", self.url_open(page).text)
        self.assertEqual(self.url_open(f"/my/afspraak/{appointment.id}").status_code, 200)
        # another portal user, the appointment's counsellor (who may read it in the
        # back-end, but is not the booker the page acts for), with or without a token
        token = appointment._portal_ensure_token()
        new_test_user(self.env, "vp_b_other_portal", groups="base.group_portal")
        for login in ("vp_b_other_portal", "vp_b_counsellor"):
            self.authenticate(login, login)
            for url in (
                page,
                f"{page}?access_token={token}",
                f"/afspraak/{appointment.id}/{token}",
                f"/vertrouwenspersoon/afspraak/manage/{appointment.id}",
            ):
                with self.subTest(login=login, url=url):
                    self._assert_refused(url)
            response = self._post(f"{page}/cancel", {}, csrf_from=self._portal_form())
            self.assertEqual(response.status_code, 404)
        # nobody logged in: the manage page and the token route do not open it either
        self.opener.cookies.clear()
        self._assert_refused(f"/vertrouwenspersoon/afspraak/manage/{appointment.id}")
        self._assert_refused(f"/afspraak/{appointment.id}/{token}")
        self.assertEqual(appointment.state, "requested")

    # ---------------------------------------------------- 7. someone else's address

    def test_someone_elses_address_gets_no_booking_mail(self):
        form = self.url_open(self._public_form())
        self.assertIn("first send you a short e-mail to confirm it", form.text)
        response = self._public_book(contact_email="victim@example.com", note="about my boss")
        self.assertEqual(response.status_code, 303)
        page = self.url_open(response.headers["Location"])
        self.assertIn("confirm your e-mail address", page.text)
        self.send_notices()
        appointment = self.Appointment.search([("contact_email", "=", "victim@example.com")])
        self.assertEqual(appointment.email_state, "pending")
        # the victim receives one neutral request, nothing about an appointment
        mail = self._mails_to("victim@example.com")
        self.assertEqual(len(mail), 1)
        self.assertFalse(mail.attachment_ids)
        text = f"{mail.subject} {mail.body_html}".lower()
        for word in ("appointment", "afspraak", "counsellor", "vertrouwens", "confidential"):
            self.assertNotIn(word, text)
        # no more mails while unconfirmed (reminders, the counsellor's answer)
        appointment.action_confirm()
        self.assertEqual(len(self._mails_to("victim@example.com")), 1)
        # a mail scanner opening the link confirms nothing; the owner's click does
        link = LINK_RE.search(mail.body_html).group(1)
        self.opener.cookies.clear()
        confirm_page = self.url_open(link)
        self.assertEqual(confirm_page.status_code, 200)
        self.assertEqual(appointment.email_state, "pending")
        self.assertIn("Confirm my e-mail address", confirm_page.text)
        response = self._post(confirm_page.url, {}, csrf_from=confirm_page.url)
        self.assertEqual(response.status_code, 303)
        self.assertEqual(appointment.email_state, "confirmed")
        self.send_notices()
        booked = self._mails_to("victim@example.com") - mail
        self.assertEqual(len(booked), 1)
        self.assertTrue(booked.attachment_ids)
        # a phone-only booking stays possible; the counsellor confirms it
        response = self._public_book(index=3, contact_phone="0687654321")
        self.assertEqual(response.status_code, 303)
        phone_only = self.Appointment.search(
            [("user_id", "=", False), ("contact_email", "=", False)]
        )
        self.assertEqual(phone_only.email_state, "none")
        self.assertIn("will phone you", self.url_open(response.headers["Location"]).text)

    # ------------------------------------------------ 8. the free-time side channel

    def test_free_time_list_side_channel_can_be_closed(self):
        """Polling the public list shows a booking as a time that disappears, exactly
        like a meeting the counsellor accepts (docs/booking.md). An organisation whose
        employees all have an account closes the public list."""
        slot = fields.Datetime.to_string(self.free(index=2))
        self.assertIn(f'value="{slot}"', self.url_open(self._public_form()).text)
        self.env["calendar.event"].with_user(self.counsellor).create(
            {
                "name": "Own meeting",
                "start": self.free(index=2),
                "stop": self.free(index=2) + timedelta(hours=1),
                "show_as": "busy",
            }
        )
        own_meeting = self.url_open(self._public_form()).text
        self.assertNotIn(f'value="{slot}"', own_meeting)
        self.icp.set_param("vertrouwenspersoon.public_booking", "0")
        for url in ("/vertrouwenspersoon/afspraak", self._public_form()):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 404)
            self.assertNotIn('name="start"', response.text)
            self.assertIn("log in", response.text)
        response = self._post(self._public_form(), {"channel": "phone", "start": slot})
        self.assertEqual(response.status_code, 404)
        # people with an account still book
        self.authenticate("vp_b_portal", "vp_b_portal")
        self.assertIn('name="start"', self.url_open(self._portal_form()).text)
