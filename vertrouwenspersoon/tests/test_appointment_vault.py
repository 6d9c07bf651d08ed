# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the booker types is encrypted for the counsellor: no plaintext in the database."""

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger, sql

from ..models.vault import vp_vault as vault_module
from .booking_common import CSRF_RE, BookingFixture, make_counsellor
from .common import VAULT_PASS

NOTE = "Zeldzaammerkteken pesterij door teamleider Zwartewoud"
PHONE = "0698765432"
NAME = "Jantje Geheimnaam"
MOBILE = "0611223344"


@tagged("post_install", "-at_install")
class TestAppointmentVault(BookingFixture, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_booking(settings_admin=("vp_b_sysadmin", "base.group_user,base.group_system"))

    def setUp(self):
        super().setUp()
        self.addCleanup(vault_module._PROCESS_KEYS.clear)  # every test starts locked

    def _post(self, url, data):
        csrf = CSRF_RE.search(self.url_open(url).text).group(1)
        return self.url_open(url, data={**data, "csrf_token": csrf}, allow_redirects=False)

    def _portal_book(self):
        self.authenticate("vp_b_portal", "vp_b_portal")
        response = self._post(
            f"/my/vertrouwenspersoon/book/{self.profile.id}",
            {
                "channel": "phone",
                "start": fields.Datetime.to_string(self.free()),
                "callback_phone": PHONE,
                "note": NOTE,
            },
        )
        self.assertEqual(response.status_code, 303, response.text[-800:])
        return self.Appointment.search([("user_id", "=", self.portal_user.id)])

    def _public_book(self):
        self.authenticate(None, None)
        response = self._post(
            f"/vertrouwenspersoon/afspraak/book/{self.profile.id}",
            {
                "channel": "phone",
                "start": fields.Datetime.to_string(self.free()),
                "contact_name": NAME,
                "contact_email": "jantje@example.com",
                "contact_phone": MOBILE,
                "note": NOTE,
            },
        )
        self.assertEqual(response.status_code, 303, response.text[-800:])
        return self.Appointment.search([("contact_email", "=", "jantje@example.com")])

    def _assert_no_plaintext(self, *markers):
        self.env.flush_all()
        tables = {
            "vp_appointment": "*",
            "calendar_event": "*",
            "mail_mail": "*",
            "mail_message": "*",
            "ir_attachment": "name, description, index_content",
        }
        for table, columns in tables.items():
            self.env.cr.execute(f"SELECT {columns} FROM {table}")  # pylint: disable=sql-injection
            dump = repr(self.env.cr.fetchall())
            for marker in markers:
                self.assertNotIn(marker, dump, f"plaintext {marker!r} found in {table}")

    def test_portal_booking_stores_only_ciphertext(self):
        appointment = self._portal_book()
        self.assertFalse(appointment.note)  # superuser, no vault
        self.assertTrue(appointment.sudo().note_enc.startswith("vp1d:"))
        self._assert_no_plaintext(NOTE, "Zwartewoud", PHONE)

    def test_public_booking_stores_only_ciphertext(self):
        appointment = self._public_book()
        self._assert_no_plaintext(NOTE, "Zwartewoud", NAME, MOBILE)
        self.assertNotEqual(appointment.with_user(self.counsellor).contact_name, NAME)  # locked
        self.env(user=self.counsellor)["vp.vault"].unlock(VAULT_PASS)
        self.env.invalidate_all()
        mine = self.env["vp.appointment"].with_user(self.counsellor).browse(appointment.id)
        self.assertEqual((mine.contact_name, mine.contact_phone), (NAME, MOBILE))
        self.assertEqual(mine.note, NOTE)

    def test_only_the_unlocked_counsellor_reads(self):
        appointment = self._portal_book()
        as_counsellor = self.env["vp.appointment"].with_user(self.counsellor)
        # locked: a placeholder, never the text
        locked = as_counsellor.browse(appointment.id)
        self.assertNotIn("Zwartewoud", locked.note or "")
        self.assertTrue(locked.note)
        self.assertTrue(locked.vault_locked)
        self.env(user=self.counsellor)["vp.vault"].unlock(VAULT_PASS)
        self.env.invalidate_all()
        mine = as_counsellor.browse(appointment.id)
        self.assertEqual((mine.note, mine.callback_phone), (NOTE, PHONE))
        self.assertEqual(as_counsellor.search([("note", "ilike", "zwartewoud")]), mine)
        # the other counsellor, unlocked, and the Settings admin / superuser: nothing
        self.env(user=self.other_counsellor)["vp.vault"].unlock(VAULT_PASS)
        for env in (
            self.env(user=self.other_counsellor, su=True),
            self.env(user=self.settings_admin, su=True),
            self.env(su=True),
        ):
            record = env["vp.appointment"].browse(appointment.id)
            self.assertFalse(record.note)
            self.assertFalse(record.callback_phone)
            self.assertFalse(env["vp.appointment"].search([("note", "ilike", "zwartewoud")]))

    def test_case_creation_carries_the_note_over(self):
        appointment = self._portal_book()
        mine = appointment.with_user(self.counsellor)
        with self.assertRaises(UserError):  # locked: the note cannot move yet
            mine.action_create_case()
        self.assertFalse(appointment.case_id)
        self.env(user=self.counsellor)["vp.vault"].unlock(VAULT_PASS)
        action = mine.action_create_case()
        case = self.env["vp.case"].with_user(self.counsellor).browse(action["res_id"])
        self.assertEqual(case.notes, NOTE)
        self.assertIn(PHONE, case.melder_contact)
        self.assertFalse(appointment.sudo().note_enc)
        self.assertFalse(appointment.sudo().callback_phone_enc)
        self._assert_no_plaintext(NOTE, PHONE)

    def test_moving_to_another_counsellor_is_refused(self):
        appointment = self._portal_book()
        with self.assertRaises(UserError):
            appointment.counsellor_id = self.other_counsellor
        self.assertEqual(appointment.counsellor_id, self.counsellor)

    def test_counsellor_without_vault_still_bookable_without_note(self):
        user, profile = make_counsellor(self.env, "vp_b_novault", self.calendar, name="Nova")
        slot = self.free(profile)
        booker = {"user_id": self.employee.id, "partner_id": self.employee.partner_id.id}
        with self.assertRaisesRegex(UserError, "cannot receive a written note"):
            self.Appointment._book(profile, slot, "phone", booker, note=NOTE)
        self.assertFalse(self.Appointment.search([("counsellor_id", "=", user.id)]))
        appointment = self.Appointment._book(profile, slot, "phone", booker)
        self.assertEqual(appointment.state, "requested")
        # without an account: only the e-mail address is kept (never in plaintext)
        public = {"contact_name": NAME, "contact_email": "", "contact_phone": MOBILE}
        with self.assertRaisesRegex(UserError, "e-mail"):
            self.Appointment._book(profile, self.free(profile), "phone", public)
        public["contact_email"] = "nn@example.com"
        other = self.Appointment._book(profile, self.free(profile), "phone", public)
        self.assertEqual(other.contact_email, "nn@example.com")
        self._assert_no_plaintext(NOTE, NAME, MOBILE)

    def test_plain_columns_of_an_older_build_are_encrypted_on_upgrade(self):
        """A database that ran a build before the vault still has a plain note column."""
        appointment = self.book()
        no_vault_user, no_vault_profile = make_counsellor(self.env, "vp_b_novault", self.calendar)
        other = self.book(profile=no_vault_profile)
        cr = self.env.cr
        cr.execute("ALTER TABLE vp_appointment ADD COLUMN note text")
        cr.execute("UPDATE vp_appointment SET note = %s WHERE id = %s", [NOTE, appointment.id])
        Appointment = self.env["vp.appointment"]
        Appointment.init()  # what every install and upgrade runs
        self.assertFalse(sql.column_exists(cr, "vp_appointment", "note"))
        cr.execute("SELECT note_enc FROM vp_appointment WHERE id = %s", [appointment.id])
        self.assertNotIn("Zwartewoud", cr.fetchone()[0])
        self.env(user=self.counsellor)["vp.vault"].unlock(VAULT_PASS)
        self.env.invalidate_all()
        self.assertEqual(Appointment.with_user(self.counsellor).browse(appointment.id).note, NOTE)
        # a counsellor without a vault: the column stays until they have one
        cr.execute("ALTER TABLE vp_appointment ADD COLUMN note text")
        cr.execute("UPDATE vp_appointment SET note = %s WHERE id = %s", [NOTE, other.id])
        with mute_logger("odoo.addons.vertrouwenspersoon.models.booking.vp_appointment"):
            Appointment.init()
        self.assertTrue(sql.column_exists(cr, "vp_appointment", "note"))
        self.assertEqual(no_vault_user, other.counsellor_id)
