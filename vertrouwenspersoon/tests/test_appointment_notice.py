# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from unittest.mock import patch

import psycopg2

from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from ..models.booking.vp_appointment_notice import MAX_ATTEMPTS
from .booking_common import BookingFixture


@tagged("post_install", "-at_install")
class TestAppointmentOutbox(BookingFixture, TransactionCase):
    """The booker's request writes the booking and a notice; the cron sends it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_booking()
        cls.Notice = cls.env["vp.appointment.notice"].sudo()
        cls.cron = cls.env.ref("vertrouwenspersoon.ir_cron_vp_appointment_notices")

    def _request_booking(self, index=0):
        """Book as the portal request does: without sending the notices."""
        return self.Appointment._book(
            self.profile,
            self.free(index=index),
            "phone",
            {"user_id": self.employee.id, "partner_id": self.employee.partner_id.id},
        )

    def _new_mails(self, before):
        return self.env["mail.mail"].search([("id", "not in", before)], order="id")

    def test_booking_wakes_the_cron_which_sends_once(self):
        before = self.env["mail.mail"].search([]).ids
        triggers = self.env["ir.cron.trigger"].search_count([("cron_id", "=", self.cron.id)])
        appointment = self._request_booking()
        self.assertEqual(self.Notice.search([]).mapped("kind"), ["booked"])
        self.assertGreater(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", self.cron.id)]), triggers
        )
        self.assertFalse(appointment.event_id)
        self.assertFalse(self._new_mails(before))
        self.assertEqual(self.Notice._cron_send(), 1)
        self.assertTrue(appointment.event_id)
        self.assertEqual(len(self._new_mails(before)), 2)  # booker and counsellor
        self.assertFalse(self.Notice.search([]))
        self.assertEqual(self.Notice._cron_send(), 0)
        self.assertEqual(len(self._new_mails(before)), 2)

    def test_a_failing_mail_keeps_the_booking_and_is_retried(self):
        before = self.env["mail.mail"].search([]).ids
        appointment = self._request_booking()
        Appointment = type(self.env["vp.appointment"])
        with (
            patch.object(Appointment, "_notify_booker", side_effect=RuntimeError("smtp")),
            mute_logger("odoo.addons.vertrouwenspersoon.models.booking.vp_appointment_notice"),
        ):
            for _run in range(MAX_ATTEMPTS + 2):
                self.Notice._cron_send()
        notice = self.Notice.search([])
        self.assertEqual(notice.attempts, MAX_ATTEMPTS, "tried a few times, then left alone")
        self.assertTrue(appointment.exists())
        self.assertEqual(appointment.state, "requested")
        self.assertFalse(self._new_mails(before), "nothing half-sent: the savepoint undid it")
        self.assertFalse(appointment.event_id)

    def test_counsellor_action_sends_what_waits_first_in_order(self):
        before = self.env["mail.mail"].search([]).ids
        appointment = self._request_booking()
        appointment.with_user(self.counsellor).action_confirm()
        self.assertFalse(self.Notice.search([]))
        subjects = (
            self._new_mails(before)
            .filtered(lambda m: "emp@example.com" in m.email_to)
            .mapped("body_html")
        )
        self.assertEqual(len(subjects), 2)
        self.assertRegex(subjects[0], "(received|ontvangen)")
        self.assertRegex(subjects[1], "(confirmed|bevestigd)")
        self.assertTrue(appointment.event_id)

    def test_cancelled_slot_is_free_before_the_block_is_removed(self):
        appointment = self.book()
        slot = appointment.start
        appointment._cancel_by_booker()
        self.assertTrue(appointment.event_id)
        self.assertTrue(self.profile._is_free_slot(slot))

    def test_a_concurrent_change_is_tried_again_not_counted_as_failure(self):
        appointment = self._request_booking()
        Appointment = type(self.env["vp.appointment"])
        conflict = psycopg2.errors.SerializationFailure("concurrent update")
        triggers = self.env["ir.cron.trigger"].search_count([("cron_id", "=", self.cron.id)])
        with patch.object(Appointment, "_sync_event", side_effect=conflict):
            self.Notice._cron_send()
        notice = self.Notice.search([])
        self.assertEqual(notice.attempts, 0)
        self.assertGreater(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", self.cron.id)]), triggers
        )
        self.Notice._cron_send()
        self.assertFalse(self.Notice.search([]))
        self.assertTrue(appointment.event_id)
