# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""An expense's description, receipt and receipt file name are encrypted for its
counsellor: the database, the superuser, other counsellors and the Settings
administrator read no plaintext, also when record rules are bypassed (sudo)."""

import base64
from datetime import date

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import sql

from .common import VAULT_PASS, row_text
from .test_time import VpTimeCommon

DESCRIPTION = "Taxi naar melder Zeldzaamnaam"
FILENAME = "taxi Zeldzaamnaam.pdf"
RECEIPT = base64.b64encode(b"RECEIPT-Zeldzaamnaam")


@tagged("post_install", "-at_install")
class TestExpenseVault(VpTimeCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.settings_admin = new_test_user(
            cls.env, "vp_ev_settings", groups="base.group_system,hr.group_hr_manager"
        )
        cls.expense = (
            cls.env["vp.expense"]
            .with_user(cls.counsellor)
            .create(
                {
                    "date": date(cls.year, 2, 3),
                    "budget_id": cls.budget.id,
                    "amount": 42.5,
                    "description": DESCRIPTION,
                    "receipt": RECEIPT,
                    "receipt_filename": FILENAME,
                }
            )
        )

    def assert_reads_nothing(self, expense, who):
        values = expense.read(["description", "receipt", "receipt_filename", "display_name"])[0]
        self.assertFalse(values["description"], who)
        self.assertFalse(values["receipt"], who)
        self.assertFalse(values["receipt_filename"], who)
        self.assertNotIn("Zeldzaamnaam", values["display_name"], who)
        found = expense.search_read([("id", "=", expense.id)], ["description", "receipt_filename"])
        self.assertNotIn("Zeldzaamnaam", str(found), who)
        exported = expense.export_data(["description", "receipt_filename", "display_name"])
        self.assertNotIn("Zeldzaamnaam", str(exported), who)
        self.assertFalse(expense.search([("description", "ilike", "Zeldzaam")]), who)

    def test_database_and_superuser_hold_no_plaintext(self):
        row = row_text(self.env, "vp_expense", self.expense.id)
        self.assertNotIn("Zeldzaamnaam", row)
        self.assertNotIn(RECEIPT.decode(), row)
        self.assertTrue(self.expense.description_enc)
        self.assert_reads_nothing(self.expense.with_env(self.env), "superuser")

    def test_counsellor_reads_unlocked_and_placeholder_locked(self):
        mine = self.expense.with_user(self.counsellor)
        mine.invalidate_recordset()
        self.assertEqual(mine.description, DESCRIPTION)
        self.assertEqual(mine.receipt_filename, FILENAME)
        self.assertEqual(mine.receipt, RECEIPT)
        self.assertIn(mine, mine.search([("description", "ilike", "Zeldzaam")]))
        # the name shows date, category and amount, never the description
        self.assertNotIn("Zeldzaamnaam", mine.display_name)
        self.assertIn(f"{self.year}-02-03", mine.display_name)
        self.assertIn("42.50", mine.display_name)
        vault = self.env(user=self.counsellor)["vp.vault"]
        vault.lock()
        self.addCleanup(vault.unlock, VAULT_PASS)
        mine.invalidate_recordset()
        self.assertIn("Locked", mine.description)
        self.assertIn("Locked", mine.receipt_filename)
        self.assertFalse(mine.receipt)  # a locked receipt is no file
        # the amount can still be changed while locked; the content stays
        mine.amount = 50.0
        vault.unlock(VAULT_PASS)
        mine.invalidate_recordset()
        self.assertEqual(mine.description, DESCRIPTION)

    def test_others_read_nothing(self):
        for user in (self.other_counsellor, self.settings_admin):
            with self.assertRaises(AccessError):
                self.expense.with_user(user).read(["description"])
            # with the record rules bypassed (sudo), still nothing
            self.assert_reads_nothing(self.expense.with_user(user).sudo(), user.login)

    def test_description_is_required(self):
        Expense = self.env["vp.expense"].with_user(self.counsellor)
        vals = {"date": date(self.year, 2, 4), "budget_id": self.budget.id, "amount": 1.0}
        with self.assertRaisesRegex(ValidationError, "needs a description"):
            Expense.create(vals)
        with self.assertRaisesRegex(ValidationError, "needs a description"):
            self.expense.with_user(self.counsellor).write({"description": ""})
        self.assertEqual(self.expense.with_user(self.counsellor).description, DESCRIPTION)

    def test_old_plain_columns_are_encrypted_and_dropped(self):
        """A database upgraded from a build that stored these in plain columns."""
        cr = self.env.cr
        self.env.flush_all()
        cr.execute("ALTER TABLE vp_expense ADD COLUMN description varchar")
        cr.execute("ALTER TABLE vp_expense ADD COLUMN receipt_filename varchar")
        cr.execute("ALTER TABLE vp_expense ADD COLUMN receipt bytea")
        cr.execute(
            "UPDATE vp_expense SET description = %s, receipt_filename = %s, receipt = %s,"
            " description_enc = NULL, receipt_filename_enc = NULL, receipt_enc = NULL"
            " WHERE id = %s",
            ["Oude taxi Zeldzaamnaam", "oud.pdf", RECEIPT, self.expense.id],
        )
        self.env["vp.expense"].init()
        self.env.invalidate_all()
        for column in ("description", "receipt_filename", "receipt"):
            self.assertFalse(sql.column_exists(cr, "vp_expense", column), column)
        mine = self.expense.with_user(self.counsellor)
        self.assertEqual(mine.description, "Oude taxi Zeldzaamnaam")
        self.assertEqual(mine.receipt_filename, "oud.pdf")
        self.assertEqual(mine.receipt, RECEIPT)
        self.assertNotIn("Zeldzaamnaam", row_text(self.env, "vp_expense", self.expense.id))
