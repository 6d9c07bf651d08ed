# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Privacy attacks on bookings: each test fails if anything leaks."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged

from ..models.vault import vp_vault as vault_module
from .booking_common import BookingFixture
from .common import VAULT_PASS, add_role_users


@tagged("post_install", "-at_install")
class TestAppointmentSecurity(BookingFixture, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_booking()
        add_role_users(
            cls,
            "vp_s",
            "hr_officer",
            "hr_manager",
            "director",
            "functional_admin",
            "settings_admin",
        )
        cls.colleague = new_test_user(cls.env, "vp_s_colleague", groups="base.group_user")
        cls.employee_record = cls.env["hr.employee"].create(
            {"name": "Booker Employee", "user_id": cls.employee.id}
        )
        cls.message_before = cls.env["mail.message"].search([], order="id desc", limit=1).id or 0
        cls.mail_before = cls.env["mail.mail"].search([], order="id desc", limit=1).id or 0
        cls.appointment = cls.book(note="Secret note about Piet")
        cls.attackers = {
            "hr officer": cls.hr_officer,
            "hr manager": cls.hr_manager,
            "director": cls.director,
            "functional admin": cls.functional_admin,
            "settings admin": cls.settings_admin,
            "colleague": cls.colleague,
            "booker (internal)": cls.employee,
            "portal user": cls.portal_user,
        }

    def test_nobody_but_the_counsellor_reads_appointments(self):
        for who, user in self.attackers.items():
            Appointment = self.env["vp.appointment"].with_user(user)
            with self.subTest(who=who):
                with self.assertRaises(AccessError):
                    Appointment.search([])
                with self.assertRaises(AccessError):
                    Appointment.browse(self.appointment.id).read(["note", "partner_id"])
                with self.assertRaises(AccessError):
                    Appointment.read_group([], ["channel"], ["state"])
                with self.assertRaises(AccessError):
                    Appointment.name_search("")
                with self.assertRaises(UserError):  # AccessError is a UserError too
                    Appointment.browse(self.appointment.id).export_data(["note"])

    def test_other_counsellor_sees_nothing(self):
        self.other_counsellor.groups_id += self.env.ref("base.group_allow_export")
        Appointment = self.env["vp.appointment"].with_user(self.other_counsellor)
        self.assertFalse(Appointment.search([]))
        self.assertEqual(Appointment.search_count([]), 0)
        self.assertFalse(Appointment.read_group([], ["channel"], ["state"]))
        self.assertFalse(Appointment.name_search(""))
        with self.assertRaises(AccessError):
            Appointment.browse(self.appointment.id).read(["note"])
        with self.assertRaises(AccessError):
            Appointment.browse(self.appointment.id).export_data(["note"])
        with self.assertRaises(AccessError):
            Appointment.browse(self.appointment.id).write({"state": "cancelled"})

    def test_counsellor_sees_own_appointment(self):
        Appointment = self.env["vp.appointment"].with_user(self.counsellor)
        self.assertEqual(Appointment.search([]), self.appointment)
        self.assertNotIn("Piet", Appointment.browse(self.appointment.id).note)  # locked
        self.addCleanup(vault_module._PROCESS_KEYS.clear)
        self.env(user=self.counsellor)["vp.vault"].unlock(VAULT_PASS)
        self.env.invalidate_all()
        self.assertEqual(Appointment.browse(self.appointment.id).note, "Secret note about Piet")

    def test_calendar_block_is_private_for_every_other_user(self):
        event = self.appointment.event_id
        for who, user in {**self.attackers, "other counsellor": self.other_counsellor}.items():
            if user.share:
                with self.subTest(who=who), self.assertRaises(AccessError):
                    self.env["calendar.event"].with_user(user).browse(event.id).read(["name"])
                continue
            with self.subTest(who=who):
                seen = self.env["calendar.event"].with_user(user).browse(event.id)
                values = seen.read(["name", "partner_ids", "description", "location"])[0]
                self.assertIn(values["name"], ("Busy", "Bezet"))
                # at most the counsellor (whose calendar it is); never the booker
                self.assertLessEqual(set(values["partner_ids"]), {self.counsellor.partner_id.id})
                self.assertFalse(values["description"])
                self.assertFalse(values["location"])
                self.assertIn(seen.display_name, ("Busy", "Bezet"))
                self.assertNotIn(self.employee.partner_id, seen.sudo().attendee_ids.partner_id)

    def test_no_trace_on_partner_or_employee(self):
        partner = self.employee.partner_id
        for model, record in (("res.partner", partner), ("hr.employee", self.employee_record)):
            domain = [("model", "=", model), ("res_id", "=", record.id)]
            with self.subTest(model=model):
                messages = self.env["mail.message"].search(
                    domain + [("id", ">", self.message_before)]
                )
                self.assertFalse(messages)
                self.assertFalse(
                    self.env["mail.activity"].search(
                        [("res_model", "=", model), ("res_id", "=", record.id)]
                    )
                )
        self.assertFalse(
            self.env["mail.followers"].search(
                [("partner_id", "=", partner.id), ("res_model", "=", "calendar.event")]
            )
        )
        self.assertFalse(self.env["calendar.attendee"].search([("partner_id", "=", partner.id)]))
        # nothing on the booker's side refers to the appointment
        for field in self.env["res.partner"]._fields.values():
            self.assertNotEqual(getattr(field, "comodel_name", None), "vp.appointment")
        for field in self.env["hr.employee"]._fields.values():
            self.assertNotEqual(getattr(field, "comodel_name", None), "vp.appointment")

    def test_mail_subjects_are_neutral(self):
        mails = self.env["mail.mail"].search([("id", ">", self.mail_before)])
        self.assertEqual(len(mails), 2)
        for mail in mails:
            subject = mail.subject.lower()
            for word in ("vertrouwens", "counsel", "confidential", "melding", "piet"):
                self.assertNotIn(word, subject)

    def test_profiles_not_readable_by_employees_through_the_orm(self):
        for user in (self.employee, self.portal_user, self.hr_manager, self.colleague):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["vp.counsellor"].with_user(user).search([])

    def test_counsellor_edits_only_own_profile(self):
        self.profile.with_user(self.counsellor).write({"intro": "Hello"})
        with self.assertRaises(AccessError):
            self.other_profile.with_user(self.counsellor).write({"intro": "Hacked"})
        self.other_profile.with_user(self.functional_admin).write({"intro": "Updated"})
        self.assertEqual(self.other_profile.intro, "Updated")

    def test_functional_admin_has_no_appointment_access(self):
        with self.assertRaises(AccessError):
            self.env["vp.appointment"].with_user(self.functional_admin).search([])

    def test_outbox_not_readable(self):
        self.Appointment._book(
            self.profile,
            self.free(index=3),
            "phone",
            {"user_id": self.employee.id, "partner_id": self.employee.partner_id.id},
        )
        self.assertTrue(self.env["vp.appointment.notice"].sudo().search([]))
        users = [*self.attackers.values(), self.counsellor, self.other_counsellor, self.employee]
        for user in users:
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["vp.appointment.notice"].with_user(user).search([])

    def test_rate_limit_table_not_readable(self):
        self.env["vp.booking.attempt"]._record_attempt(ip="127.0.0.1")
        for user in (self.settings_admin, self.counsellor, self.functional_admin):
            for model in ("vp.booking.attempt", "vp.booking.guard"):
                with self.subTest(user=user.login, model=model), self.assertRaises(AccessError):
                    self.env[model].with_user(user).search([])
