# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A counsellor does not see a colleague's vault activity: unlock times, wrong
passphrases, passphrase changes, recoveries. Tried as the colleague through every ORM
path an RPC call reaches (read, search, search_read, read_group, export) and over
JSON-RPC."""

import contextlib
import json

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from ..models.vault import vp_vault as vault_module
from ..models.vault.vp_security_log import PRIVATE_EVENTS
from .common import VAULT_PASS, call_kw, use_cheap_kdf

# with the export right an organisation may well give its counsellors
COUNSELLOR = "base.group_user,base.group_allow_export,vertrouwenspersoon.group_vp_counsellor"
NEW_PASS = "Negen wilgen langs de Vecht 2031"
ACTIVITY_FIELDS = [
    "failed_attempts",
    "blocked_until",
    "date_last_unlock",
    "date_passphrase",
    "date_recovery",
    "recovery_confirmed",
    "write_date",
]


@tagged("post_install", "-at_install")
class TestVaultColleagues(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        use_cheap_kdf(cls)
        cls.anna = new_test_user(cls.env, "vcol_anna", groups=COUNSELLOR)
        cls.bert = new_test_user(cls.env, "vcol_bert", groups=COUNSELLOR)
        AnnaVault = cls.env(user=cls.anna)["vp.vault"]
        code = AnnaVault.setup(VAULT_PASS)
        cls.env(user=cls.bert)["vp.vault"].setup(VAULT_PASS)
        cls.env(user=cls.bert)["vp.vault"].unlock(VAULT_PASS)  # Bert's previous unlock
        # Anna's activity: an unlock, a wrong passphrase, a change, a recovery
        AnnaVault.unlock(VAULT_PASS)
        # counted: the failure is what a colleague must not see
        with contextlib.suppress(UserError):
            AnnaVault.unlock("verkeerd wachtwoord van Anna")
        AnnaVault.change_passphrase(VAULT_PASS, NEW_PASS)
        AnnaVault.recover(code, VAULT_PASS)
        cls.anna_vault = AnnaVault._vault_of()
        cls.env.flush_all()
        cls.addClassCleanup(vault_module._PROCESS_KEYS.clear)

    def as_bert(self, model):
        return self.env(user=self.bert)[model]

    def test_anna_sees_her_own_activity(self):
        """The positive control: the data exists, for its owner."""
        values = self.env(user=self.anna)["vp.vault"].search_read([], ACTIVITY_FIELDS)
        self.assertEqual(len(values), 1)
        self.assertTrue(values[0]["date_last_unlock"])
        events = set(
            self.env(user=self.anna)["vp.security.log"]
            .search([("user_id", "=", self.anna.id)])
            .mapped("event")
        )
        self.assertTrue(
            {"vault_unlock_failed", "vault_passphrase_changed", "vault_recovered"} <= events,
            events,
        )

    def test_colleague_vault_row_unreadable(self):
        Vault = self.as_bert("vp.vault")
        own = Vault._vault_of(self.bert)
        self.assertEqual(Vault.search([]), own)
        self.assertFalse(Vault.search([("user_id", "=", self.anna.id)]))
        self.assertFalse(Vault.search([("failed_attempts", ">", 0)]))
        self.assertEqual(Vault.search_count([]), 1)
        rows = Vault.search_read([], ["user_id", *ACTIVITY_FIELDS])
        self.assertEqual([row["user_id"][0] for row in rows], [self.bert.id])
        groups = Vault.read_group([], ["failed_attempts:sum"], ["user_id"])
        self.assertEqual([group["user_id"][0] for group in groups], [self.bert.id])
        groups = Vault.read_group([], ["user_id:count"], ["date_last_unlock:day"])
        self.assertEqual(sum(group["user_id"] for group in groups), 1)
        with self.assertRaises(AccessError):
            Vault.browse(self.anna_vault.id).read(ACTIVITY_FIELDS)
        with self.assertRaises(AccessError):
            Vault.browse(self.anna_vault.id).export_data(["failed_attempts", "date_last_unlock"])
        exported = Vault.search([]).export_data(["user_id/id", "failed_attempts"])["datas"]
        self.assertEqual(len(exported), 1)

    def test_colleague_fingerprint_still_comparable(self):
        directory = self.as_bert("vp.vault.directory").search([("user_id", "=", self.anna.id)])
        self.assertEqual(directory.fingerprint, self.anna_vault.fingerprint)
        self.assertFalse(set(ACTIVITY_FIELDS[:-1]) & set(directory._fields))

    def test_colleague_activity_lines_unreadable(self):
        Log = self.as_bert("vp.security.log")
        private = [("event", "in", list(PRIVATE_EVENTS)), ("user_id", "=", self.anna.id)]
        self.assertFalse(Log.search(private))
        self.assertEqual(Log.search_count(private), 0)
        self.assertFalse(Log.search_read(private, ["event", "date", "description"]))
        groups = Log.read_group([("user_id", "=", self.anna.id)], ["date:max"], ["event"])
        self.assertFalse({group["event"] for group in groups} & set(PRIVATE_EVENTS), groups)
        exported = Log.search([]).export_data(["event", "user_id/id", "description"])["datas"]
        self.assertFalse(
            [row for row in exported if row[0] in PRIVATE_EVENTS and self.anna.name in row[2]]
        )
        lines = self.env["vp.security.log"].search(private)
        self.assertTrue(lines)  # they exist...
        with self.assertRaises(AccessError):
            Log.browse(lines.ids).read(["description"])  # ... but not for Bert
        # the group events stay visible to every counsellor
        self.assertTrue(Log.search([("event", "=", "group_add"), ("user_id", "=", self.anna.id)]))

    def test_colleague_activity_not_shown_at_unlock(self):
        events = self.env(user=self.bert)["vp.vault"].unlock(VAULT_PASS)
        shown = {event["event"] for event in events}
        self.assertFalse(shown & set(PRIVATE_EVENTS), events)

    def test_colleague_activity_not_over_json_rpc(self):
        self.authenticate("vcol_bert", "vcol_bert")

        def call(model, method, *args, **kwargs):
            return call_kw(self, model, method, list(args), kwargs).json()

        result = call("vp.vault", "read", [self.anna_vault.id], ACTIVITY_FIELDS)
        self.assertIn("error", result)
        self.assertNotIn("date_last_unlock", json.dumps(result.get("result", "")))
        result = call("vp.vault", "web_search_read", [], specification={"failed_attempts": {}})
        self.assertEqual(result["result"]["length"], 1)
        result = call(
            "vp.security.log",
            "search_read",
            [("event", "in", list(PRIVATE_EVENTS))],
            fields=["user_id", "event"],
        )
        self.assertFalse([row for row in result["result"] if row["user_id"][0] == self.anna.id])
