# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .test_time import VpTimeCommon


@tagged("post_install", "-at_install")
class TestTimeCase(VpTimeCommon):
    """Time linked to cases, and contact moments that count as time in one step."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.case = (
            cls.env["vp.case"]
            .with_user(cls.counsellor)
            .create({"date_intake": date(cls.year, 1, 5), "intake_channel": "phone"})
        )
        cls.contact = (
            cls.env["vp.case.contact"]
            .with_user(cls.counsellor)
            .create(
                {
                    "case_id": cls.case.id,
                    "date": f"{cls.year}-01-06 10:00:00",
                    "duration": 1.1,
                    "notes": "CONTACT-SECRET",
                }
            )
        )

    def test_link_own_case(self):
        entry = self._entry(case_id=self.case.id)
        self.assertEqual(entry.case_id, self.case)

    def test_link_someone_elses_case_refused(self):
        Other = self.env["vp.time.entry"].with_user(self.other_counsellor)
        with self.assertRaisesRegex(ValidationError, "your own cases"):
            Other.create(
                {
                    "date": date(self.year, 1, 8),
                    "activity_type": "support",
                    "hours": 1,
                    "case_id": self.case.id,
                }
            )
        entry = Other.create({"date": date(self.year, 1, 8), "activity_type": "travel", "hours": 1})
        with self.assertRaisesRegex(ValidationError, "your own cases"):
            entry.case_id = self.case

    def test_link_case_shared_as_deputy(self):
        self.case.with_user(self.counsellor).with_context(vp_share=True).write(
            {"deputy_ids": [(4, self.other_counsellor.id)]}
        )
        entry = (
            self.env["vp.time.entry"]
            .with_user(self.other_counsellor)
            .create(
                {
                    "date": date(self.year, 1, 8),
                    "activity_type": "support",
                    "hours": 1,
                    "case_id": self.case.id,
                }
            )
        )
        self.assertEqual(entry.case_id, self.case)

    def test_contact_moment_counts_as_time_in_one_step(self):
        contact = self.contact.with_user(self.counsellor)
        self.assertFalse(contact.time_registered)
        contact.action_register_time()
        entry = (
            self.env["vp.time.entry"]
            .with_user(self.counsellor)
            .search([("contact_id", "=", contact.id)])
        )
        self.assertEqual(entry.hours, 1.25)  # 1.1 h rounded up to quarters
        self.assertEqual(entry.activity_type, "support")
        self.assertEqual(entry.case_id, self.case)
        self.assertEqual(entry.date, date(self.year, 1, 6))
        self.assertEqual(entry.counsellor_id, self.counsellor)
        self.assertFalse(entry.note, "the contact's notes never land in the time entry")
        contact.invalidate_recordset()
        self.assertTrue(contact.time_registered)
        with self.assertRaisesRegex(UserError, "already registered"):
            contact.action_register_time()

    @mute_logger("odoo.models", "odoo.addons.base.models.ir_rule")
    def test_other_counsellor_cannot_register_someone_elses_contact(self):
        with self.assertRaises(AccessError):
            self.contact.with_user(self.other_counsellor).action_register_time()

    def test_functional_admin_never_sees_case_links(self):
        self._entry(case_id=self.case.id, note="CASE-NOTE")
        self.env.flush_all()
        rows = (
            self.env["vp.time.summary"]
            .with_user(self.functional_admin)
            .search_read([("counsellor_id", "=", self.counsellor.id)])
        )
        self.assertTrue(rows)
        text = str(rows)
        self.assertNotIn(self.case.name, text)
        self.assertNotIn("CASE-NOTE", text)
        self.assertNotIn("case_id", rows[0])
