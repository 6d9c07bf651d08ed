# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Case content at rest: encrypted everywhere, readable only by an unlocked reader."""

import base64
import os
import uuid
from datetime import timedelta

from odoo import SUPERUSER_ID, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged

from ..models.vault import vp_vault as vault_module
from ..models.vault.vp_vault import LOCKED_PLACEHOLDER, VaultReview
from ..models.vault.vp_vault_drop_mixin import DROP_PREFIX
from .common import VAULT_PASS, assert_not_in_filestore, committed_and_dumped, setup_vaults

COUNSELLOR = "base.group_user,vertrouwenspersoon.group_vp_counsellor"


class VaultCaseCommon(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.marker = "MARKER" + uuid.uuid4().hex.upper()
        cls.owner = new_test_user(cls.env, "vc_owner", groups=COUNSELLOR)
        cls.deputy = new_test_user(cls.env, "vc_deputy", groups=COUNSELLOR)
        cls.stranger = new_test_user(cls.env, "vc_stranger", groups=COUNSELLOR)
        cls.admin = new_test_user(cls.env, "vc_admin", groups="base.group_user,base.group_system")
        setup_vaults(cls, cls.owner, cls.deputy, cls.stranger)
        # created while LOCKED: creation only needs public keys
        cls.case = (
            cls.env["vp.case"]
            .with_user(cls.owner)
            .create(
                {
                    "date_intake": "2026-03-02",
                    "melder_name": cls.marker + " naam",
                    "melder_contact": cls.marker + " 06",
                    "others_involved": cls.marker + " anderen",
                    "description": cls.marker + " verhaal",
                    "notes": cls.marker + " notities",
                }
            )
        )
        cls.contact = (
            cls.env["vp.case.contact"]
            .with_user(cls.owner)
            .create({"case_id": cls.case.id, "notes": cls.marker + " gesprek"})
        )
        cls.document = (
            cls.env["vp.case.document"]
            .with_user(cls.owner)
            .create(
                {
                    "case_id": cls.case.id,
                    "name": "verslag.txt",
                    "datas": base64.b64encode((cls.marker + " bestand").encode()),
                }
            )
        )

    def setUp(self):
        super().setUp()
        self.addCleanup(vault_module._PROCESS_KEYS.clear)

    def as_user(self, user, record):
        record = record.with_user(user)
        record.invalidate_recordset()
        return record

    def unlock(self, user):
        self.env(user=user)["vp.vault"].unlock(VAULT_PASS)

    def lock(self, user):
        self.env(user=user)["vp.vault"].lock()
        self.env.invalidate_all()

    def assert_no_plaintext(self, record, fields_=("melder_name", "description", "notes")):
        for fname in fields_:
            if fname in record._fields:
                value = record[fname]
                self.assertNotIn(self.marker, str(value or ""), f"{fname} leaked")


@tagged("post_install", "-at_install")
class TestVaultCase(VaultCaseCommon):
    def test_owner_reads_only_when_unlocked(self):
        case = self.as_user(self.owner, self.case)
        self.assertEqual(case.description, LOCKED_PLACEHOLDER)
        self.assertEqual(self.as_user(self.owner, self.contact).notes, LOCKED_PLACEHOLDER)
        self.assertFalse(self.as_user(self.owner, self.document).datas)
        self.assertTrue(case.vault_locked)
        self.assertTrue(case.date_intake)  # metadata keeps working
        self.unlock(self.owner)
        case = self.as_user(self.owner, self.case)
        self.assertEqual(case.description, self.marker + " verhaal")
        self.assertEqual(case.melder_name, self.marker + " naam")
        self.assertEqual(self.as_user(self.owner, self.contact).notes, self.marker + " gesprek")
        self.assertEqual(
            base64.b64decode(self.as_user(self.owner, self.document).datas),
            (self.marker + " bestand").encode(),
        )
        self.assertFalse(case.vault_locked)
        # search on content works for the unlocked reader only, in memory
        self.assertEqual(
            self.env["vp.case"].with_user(self.owner).search([("melder_name", "ilike", "naam")]),
            self.case,
        )
        self.lock(self.owner)
        self.assertFalse(
            self.env["vp.case"].with_user(self.owner).search([("melder_name", "ilike", "naam")])
        )

    def test_superuser_and_admin_read_no_plaintext(self):
        for env in (
            self.env(user=SUPERUSER_ID),
            self.env(user=SUPERUSER_ID, su=True),
            self.env(user=self.admin, su=True),
        ):
            env.invalidate_all()
            case = env["vp.case"].browse(self.case.id)
            self.assert_no_plaintext(case, case._vault_fields)
            self.assertFalse(case.description)
            self.assert_no_plaintext(env["vp.case.contact"].browse(self.contact.id))
            self.assertFalse(env["vp.case.document"].browse(self.document.id).datas)
            data = case.read(list(case._vault_fields))[0]
            self.assertNotIn(self.marker, str(data))
            exported = case.export_data(["description", "notes", "melder_name"])["datas"]
            self.assertNotIn(self.marker, str(exported))
        # even while the owner is unlocked in this process: the key is per user
        self.unlock(self.owner)
        self.env.invalidate_all()
        self.assert_no_plaintext(self.env["vp.case"].sudo().browse(self.case.id))
        with self.assertRaises(AccessError):
            self.as_user(self.admin, self.case).description  # noqa: B018

    def test_raw_columns_hold_only_ciphertext(self):
        self.env.flush_all()
        for table, res_id in (
            ("vp_case", self.case.id),
            ("vp_case_contact", self.contact.id),
            ("vp_case_document", self.document.id),
        ):
            self.env.cr.execute(f"SELECT t::text FROM {table} t WHERE id = %s", (res_id,))
            row = self.env.cr.fetchone()[0]
            self.assertNotIn(self.marker, row)
            self.assertNotIn(base64.b64encode(self.marker.encode()).decode()[:16], row)
            self.assertIn("vp1", row)
        self.env.cr.execute("SELECT count(*) FROM vp_case_key WHERE case_id = %s", (self.case.id,))
        self.assertEqual(self.env.cr.fetchone()[0], 1)  # wrapped for the owner only

    def test_filestore_holds_no_plaintext_document(self):
        self.env.flush_all()
        self.assertFalse(
            self.env["ir.attachment"]
            .sudo()
            .search_count([("res_model", "in", ("vp.case", "vp.case.document"))])
        )
        needles = (self.marker.encode(), base64.b64encode((self.marker + " bestand").encode()))
        assert_not_in_filestore(self, self.env.cr.dbname, *needles)

    def test_writing_content_while_locked_is_refused(self):
        case = self.as_user(self.owner, self.case)
        with self.assertRaisesRegex(UserError, "unlock your vault"):
            case.write({"description": "Nieuwe tekst"})
        with self.assertRaisesRegex(UserError, "unlock your vault"):
            self.as_user(self.owner, self.contact).write({"notes": "Nieuw"})
        # metadata can still be changed while locked
        case.write({"date_intake": "2026-03-03"})
        self.unlock(self.owner)
        case = self.as_user(self.owner, self.case)
        case.write({"description": "Aangepast verhaal"})
        case.invalidate_recordset()
        self.assertEqual(case.description, "Aangepast verhaal")
        case.write({"notes": False})
        self.assertFalse(case.notes_enc)

    def test_content_added_while_locked_is_a_drop_for_the_readers(self):
        contact = (
            self.env["vp.case.contact"]
            .with_user(self.owner)
            .create({"case_id": self.case.id, "notes": self.marker + " later"})
        )
        self.assertTrue(contact.notes_enc.startswith(DROP_PREFIX))
        # a cron (superuser) can add content too, without any key
        cron_contact = (
            self.env["vp.case.contact"]
            .sudo()
            .create({"case_id": self.case.id, "notes": self.marker + " cron"})
        )
        self.assertNotIn(self.marker, cron_contact.notes_enc)
        self.env.invalidate_all()
        self.assert_no_plaintext(self.env["vp.case.contact"].sudo().browse(contact.id))
        self.unlock(self.owner)
        self.assertEqual(self.as_user(self.owner, contact).notes, self.marker + " later")
        self.assertEqual(self.as_user(self.owner, cron_contact).notes, self.marker + " cron")
        # sharing turns drops into normal ciphertext, which the deputy can read
        self.case.with_user(self.owner).action_share_with(self.deputy)
        self.assertFalse(contact.notes_enc.startswith(DROP_PREFIX))
        self.unlock(self.deputy)
        self.assertEqual(self.as_user(self.deputy, contact).notes, self.marker + " later")

    def test_tampered_or_moved_ciphertext_gives_a_clear_error(self):
        self.unlock(self.owner)
        other = (
            self.env["vp.case"]
            .with_user(self.owner)
            .create({"date_intake": "2026-03-05", "notes": "Ander dossier"})
        )
        self.env.flush_all()
        # move the ciphertext of one case's notes to another case
        self.env.cr.execute(
            "UPDATE vp_case SET notes_enc = (SELECT notes_enc FROM vp_case WHERE id = %s) "
            "WHERE id = %s",
            (self.case.id, other.id),
        )
        with self.assertRaisesRegex(UserError, "tampered"):
            self.as_user(self.owner, other).notes  # noqa: B018
        # ... or to another field of the same case
        self.env.cr.execute(
            "UPDATE vp_case SET description_enc = notes_enc WHERE id = %s", (self.case.id,)
        )
        with self.assertRaisesRegex(UserError, "tampered"):
            self.as_user(self.owner, self.case).description  # noqa: B018
        # flip one bit of a contact's ciphertext
        value = self.contact.sudo().notes_enc
        raw = bytearray(base64.b64decode(value[4:]))
        raw[20] ^= 1
        self.env.cr.execute(
            "UPDATE vp_case_contact SET notes_enc = %s WHERE id = %s",
            ("vp1:" + base64.b64encode(bytes(raw)).decode(), self.contact.id),
        )
        with self.assertRaisesRegex(UserError, "tampered"):
            self.as_user(self.owner, self.contact).notes  # noqa: B018

    def test_deputy_reads_after_sharing_and_not_after_revoking(self):
        self.unlock(self.deputy)
        self.unlock(self.stranger)
        # locked owner cannot share: sharing needs the case key
        with self.assertRaisesRegex(UserError, "Unlock your vault"):
            self.case.with_user(self.owner).action_share_with(self.deputy)
        self.unlock(self.owner)
        self.case.with_user(self.owner).action_share_with(self.deputy)
        self.assertEqual(self.as_user(self.deputy, self.case).description, self.marker + " verhaal")
        self.assertEqual(self.as_user(self.deputy, self.contact).notes, self.marker + " gesprek")
        log = self.env["vp.security.log"].search(
            [("case_id", "=", self.case.id), ("event", "=", "share")]
        )
        self.assertIn(self.env["vp.vault"]._vault_of(self.deputy).fingerprint, log.description)
        # the stranger, unlocked, never reads: not via rules, not via sudo
        stranger_env = self.env(user=self.stranger, su=True)
        stranger_env.invalidate_all()
        self.assert_no_plaintext(stranger_env["vp.case"].browse(self.case.id))
        self.assert_no_plaintext(stranger_env["vp.case.contact"].browse(self.contact.id))
        # revoke: key row removed and the case re-encrypted under a fresh key
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT wrapped_key FROM vp_case_key WHERE case_id = %s AND user_id = %s",
            (self.case.id, self.deputy.id),
        )
        kept_key = self.env.cr.fetchone()[0]
        old_cipher = self.case.sudo().description_enc
        self.case.with_user(self.owner).action_revoke(self.deputy)
        self.assertNotEqual(self.case.sudo().description_enc, old_cipher)
        self.assertNotIn(self.deputy, self.case.sudo().vault_key_ids.user_id)
        deputy_env = self.env(user=self.deputy, su=True)
        deputy_env.invalidate_all()
        self.assert_no_plaintext(deputy_env["vp.case"].browse(self.case.id))
        # a deputy (or admin) who put the old wrapped key back still reads nothing
        self.env.flush_all()
        self.env.cr.execute(
            "INSERT INTO vp_case_key (case_id, user_id, wrapped_key) VALUES (%s, %s, %s)",
            (self.case.id, self.deputy.id, kept_key),
        )
        deputy_env.invalidate_all()
        # as superuser the vault hands out no key at all; as the deputy the rules refuse
        self.assert_no_plaintext(deputy_env["vp.case"].browse(self.case.id))
        with self.assertRaises(UserError):
            self.env(user=self.deputy)["vp.case"].browse(self.case.id).description  # noqa: B018
        # the owner still reads everything
        self.assertEqual(self.as_user(self.owner, self.case).description, self.marker + " verhaal")
        self.assertEqual(self.as_user(self.owner, self.contact).notes, self.marker + " gesprek")

    def test_share_needs_a_deputy_with_a_vault(self):
        newcomer = new_test_user(self.env, "vc_newcomer", groups=COUNSELLOR)
        self.unlock(self.owner)
        with self.assertRaisesRegex(UserError, "not set up a vault"):
            self.case.with_user(self.owner).action_share_with(newcomer)
        self.assertNotIn(newcomer, self.case.deputy_ids)

    def test_hand_over_moves_the_key(self):
        self.unlock(self.owner)
        self.case.with_user(self.owner).action_hand_over(self.deputy)
        self.assertEqual(self.case.sudo().vault_key_ids.user_id, self.deputy)
        self.unlock(self.deputy)
        self.assertEqual(self.as_user(self.deputy, self.case).description, self.marker + " verhaal")

    def test_retention_destroys_content_and_keys(self):
        self.case.sudo()._retention_destroy()
        self.assertFalse(self.case.sudo().vault_key_ids)
        self.assertFalse(self.case.sudo().description_enc)
        self.assertFalse(self.contact.sudo().notes_enc)
        self.unlock(self.owner)
        self.assertFalse(self.as_user(self.owner, self.case).description)

    def test_creation_needs_a_counsellor_vault(self):
        newcomer = new_test_user(self.env, "vc_newcomer2", groups=COUNSELLOR)
        with self.assertRaisesRegex(UserError, "not set up a vault"):
            self.env["vp.case"].with_user(newcomer).create({"description": "Verhaal"})
        # metadata only is fine without a vault
        self.assertTrue(
            self.env["vp.case"].with_user(newcomer).create({"date_intake": "2026-01-05"})
        )

    def test_unlock_shows_key_and_group_events(self):
        self.unlock(self.owner)
        vault = self.env["vp.vault"]._vault_of(self.owner)
        vault.sudo().date_last_unlock = fields.Datetime.now() - timedelta(minutes=5)
        self.env["vp.vault"]._vault_of(self.deputy).sudo().write(
            {"public_key": base64.b64encode(os.urandom(32)).decode()}
        )
        new_test_user(self.env, "vc_newcounsellor", groups=COUNSELLOR)
        vault_api = self.env(user=self.owner)["vp.vault"]
        # a colleague's key changed: the vault stays locked until the owner saw it
        with self.assertRaises(VaultReview) as review:
            vault_api.unlock(VAULT_PASS)
        self.assertEqual([a["kind"] for a in review.exception.alerts], ["key"])
        self.assertIsNone(vault_api._get_private_key())
        events = vault_api.unlock(VAULT_PASS, acknowledge=review.exception.digest)
        kinds = {event["event"] for event in events}
        self.assertIn("vault_key_changed", kinds)
        self.assertIn("group_add", kinds)


@tagged("post_install", "-at_install")
class TestVaultDump(TransactionCase):
    """A pg_dump of the database holds no plaintext.

    Data in the test transaction is invisible to pg_dump, so this test writes through a
    separate cursor, COMMITS, dumps, and removes what it wrote.
    """

    def test_pg_dump_contains_no_plaintext(self):
        marker = "DUMPMARKER" + uuid.uuid4().hex.upper()

        def plant(env, user):
            case = (
                env["vp.case"]
                .with_user(user)
                .create({"date_intake": "2026-04-01", "melder_name": marker, "description": marker})
            )
            env["vp.case.contact"].with_user(user).create({"case_id": case.id, "notes": marker})
            env["vp.case.document"].with_user(user).create(
                {"case_id": case.id, "name": "x.txt", "datas": base64.b64encode(marker.encode())}
            )
            env.flush_all()
            return case.sudo().description_enc, case.sudo().unlink

        login = "vc_dump_" + uuid.uuid4().hex[:8]
        with committed_and_dumped(self, login, plant) as (dump, cipher, _cr):
            self.assertIn(cipher.encode(), dump)  # the committed case is in the dump ...
            self.assertNotIn(marker.encode(), dump)  # ... its content is not
            self.assertNotIn(base64.b64encode(marker.encode()), dump)
