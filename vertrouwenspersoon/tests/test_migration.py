# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Upgrading keeps the data: a contract made when the counsellor field was still called
``user_id`` keeps its counsellor under ``counsellor_id`` (migrations/18.0.1.1.0)."""

import importlib.util
from pathlib import Path

from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL, sql

MIGRATION = Path(__file__).resolve().parent.parent / "migrations" / "18.0.1.1.0" / "pre-migrate.py"
TABLE = "vp_counsellor_contract"
FIELD_XMLID = f"field_{TABLE}__"


def _load_migration():
    spec = importlib.util.spec_from_file_location("vp_pre_migrate_18_0_1_1_0", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
class TestCounsellorFieldMigration(TransactionCase):
    def _field_names(self, model):
        self.env.cr.execute(
            "SELECT name FROM ir_model_fields "
            "WHERE model = %s AND name IN ('user_id', 'counsellor_id')",
            [model],
        )
        return {row[0] for row in self.env.cr.fetchall()}

    def _xmlid_target(self, name):
        self.env.cr.execute(
            "SELECT res_id FROM ir_model_data WHERE module = 'vertrouwenspersoon' AND name = %s",
            [name],
        )
        row = self.env.cr.fetchone()
        return row and row[0]

    def _put_back_the_old_layout(self, migration):
        """The database as 18.0.1.0.0 left it (column, index, field and its XML id): the
        migration's own rename, backwards; what follows checks the result in SQL."""
        self.env.flush_all()
        migration.rename_field(
            self.env.cr, "vp.counsellor.contract", TABLE, "counsellor_id", "user_id"
        )
        self.env.invalidate_all()

    def test_contracts_keep_their_counsellor(self):
        counsellor = self.env["res.users"].create(
            {
                "name": "Contract Counsellor",
                "login": "vp_migration_counsellor",
                "groups_id": [(4, self.env.ref("vertrouwenspersoon.group_vp_counsellor").id)],
            }
        )
        contract = self.env["vp.counsellor.contract"].create(
            {"counsellor_id": counsellor.id, "year": 2031, "hourly_rate": 90, "contract_hours": 40}
        )
        field_id = self._xmlid_target(f"{FIELD_XMLID}counsellor_id")
        self.assertTrue(field_id)
        migration = _load_migration()
        self._put_back_the_old_layout(migration)
        self.assertTrue(sql.column_exists(self.env.cr, TABLE, "user_id"))
        self.assertFalse(sql.column_exists(self.env.cr, TABLE, "counsellor_id"))
        self.assertEqual(self._field_names("vp.counsellor.contract"), {"user_id"})
        self.assertEqual(self._xmlid_target(f"{FIELD_XMLID}user_id"), field_id)

        migration.migrate(self.env.cr, "18.0.1.0.0")

        cr = self.env.cr
        self.assertFalse(sql.column_exists(cr, TABLE, "user_id"))
        cr.execute(
            SQL(
                "SELECT counsellor_id, year, contract_hours FROM %s WHERE id = %s",
                SQL.identifier(TABLE),
                contract.id,
            )
        )
        self.assertEqual(cr.fetchone(), (counsellor.id, 2031, 40.0))
        self.assertEqual(self._field_names("vp.counsellor.contract"), {"counsellor_id"})
        # the same field record, under its new name: its labels and translations stay
        self.assertEqual(self._xmlid_target(f"{FIELD_XMLID}counsellor_id"), field_id)
        self.assertFalse(self._xmlid_target(f"{FIELD_XMLID}user_id"))
        cr.execute(
            "SELECT 1 FROM pg_indexes WHERE indexname = %s", [f"{TABLE}__counsellor_id_index"]
        )
        self.assertTrue(cr.fetchone(), "the index follows the column")
        # the ORM reads it as before
        self.env.invalidate_all()
        self.assertEqual(contract.counsellor_id, counsellor)

        # running it again changes nothing
        migration.migrate(cr, "18.0.1.0.0")
        self.assertEqual(self._field_names("vp.counsellor.contract"), {"counsellor_id"})
