# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import json
import os
import re
import subprocess
from contextlib import contextmanager
from unittest.mock import patch

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, TransactionCase, new_test_user
from odoo.tools import config
from odoo.tools.misc import exec_pg_environ, find_pg_tool

from ..models.vault import vp_vault as vault_module
from ..tools import vault_crypto

COUNSELLOR = "vertrouwenspersoon.group_vp_counsellor"
# The roles of the threat model, each with the groups its test user gets.
ROLES = {
    "counsellor": COUNSELLOR,
    "director": "base.group_user,vertrouwenspersoon.group_vp_director",
    "functional_admin": "vertrouwenspersoon.group_vp_manager",
    "hr_officer": "hr.group_hr_user",
    "hr_manager": "hr.group_hr_manager",
    "settings_admin": "base.group_system",
    "employee": "base.group_user",
    "portal": "base.group_portal",
}
CASE_MODELS = ("vp.case", "vp.case.contact", "vp.case.document", "vp.security.log")

MELDER = "Melder Zeldzaamnaam"
SECRET = "Geheime verklaring over afdeling Zonnebloem"
THIRD_PARTY = "Passage over collega Derdepersoon"
VAULT_PASS = "Zeven eiken in de Linde 2024"
FAST_KDF = {"alg": "scrypt", "n": 2**14, "r": 8, "p": 1}


def role_users(env, prefix, *roles):
    """One test user per role (login and password ``<prefix>_<role>``), by role."""
    return {role: new_test_user(env, f"{prefix}_{role}", groups=ROLES[role]) for role in roles}


def outsider_roles(env, prefix, other_counsellor):
    """The users who must not see a counsellor's records, by role: one per role of the
    threat model but the counsellor's own, and ``other_counsellor``."""
    roles = role_users(env, prefix, *(role for role in ROLES if role != "counsellor"))
    roles["other_counsellor"] = other_counsellor
    return roles


def add_role_users(cls, prefix, *roles):
    """The users of ``role_users`` as attributes of the test class (``cls.director``)."""
    for role, user in role_users(cls.env, prefix, *roles).items():
        setattr(cls, role, user)


def use_cheap_kdf(cls):
    """Cheap scrypt parameters for the test class (tests only), and no key left behind."""
    patcher = patch.object(vault_crypto, "KDF_PARAMS", FAST_KDF)
    patcher.start()
    cls.addClassCleanup(patcher.stop)
    cls.addClassCleanup(vault_module._PROCESS_KEYS.clear)


def setup_vaults(cls, *users, unlock=()):
    """Vaults for test counsellors (cheap scrypt: tests only); unlock some of them."""
    use_cheap_kdf(cls)
    for user in users:
        cls.env(user=user)["vp.vault"].setup(VAULT_PASS)
    for user in unlock:
        cls.env(user=user)["vp.vault"].unlock(VAULT_PASS)


class CaseCommon(TransactionCase):
    """Two counsellors, one case with content, contacts and a document, and one user
    per role of the threat model."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.counsellor = new_test_user(cls.env, "vp_t_counsellor", groups=COUNSELLOR)
        cls.other_counsellor = new_test_user(cls.env, "vp_t_other", groups=COUNSELLOR)
        cls.roles = outsider_roles(cls.env, "vp_t", cls.other_counsellor)
        setup_vaults(cls, cls.counsellor, cls.other_counsellor, unlock=[cls.counsellor])
        cls.category = cls.env.ref("vertrouwenspersoon.vp_category_bullying")
        Case = cls.env["vp.case"].with_user(cls.counsellor)
        cls.case = Case.create(
            {
                "date_intake": "2026-02-03",
                "intake_channel": "phone",
                "reporter_type": "employee",
                "accused_role": "manager",
                "category_ids": [(6, 0, cls.category.ids)],
                "melder_name": MELDER,
                "melder_contact": "06-12345678",
                "others_involved": "Leidinggevende Onbekendnaam",
                "description": SECRET,
                "notes": "Eigen aantekening",
            }
        )
        cls.contact = (
            cls.env["vp.case.contact"]
            .with_user(cls.counsellor)
            .create(
                {
                    "case_id": cls.case.id,
                    "date": "2026-02-03 10:00:00",
                    "notes": "Gesprek: " + SECRET,
                }
            )
        )
        cls.third_party_contact = (
            cls.env["vp.case.contact"]
            .with_user(cls.counsellor)
            .create(
                {
                    "case_id": cls.case.id,
                    "date": "2026-02-10 10:00:00",
                    "notes": THIRD_PARTY,
                    "concerns_third_party": True,
                }
            )
        )
        cls.document = (
            cls.env["vp.case.document"]
            .with_user(cls.counsellor)
            .create({"case_id": cls.case.id, "name": "verslag.txt", "datas": "SGFsbG8="})
        )
        cls.case_as_counsellor = cls.case.with_user(cls.counsellor)


# ------------------------------------------------------------------ shared test helpers


def row_text(env, table, record_id):
    """A whole table row as the database administrator reads it."""
    env.flush_all()
    env.cr.execute(f"SELECT t::text FROM {table} t WHERE id = %s", [record_id])
    return env.cr.fetchone()[0]


def assert_not_in_filestore(test, dbname, *needles):
    """No file of the database's filestore holds any of ``needles`` (bytes)."""
    for root, _dirs, files in os.walk(config.filestore(dbname)):
        for name in files:
            with open(os.path.join(root, name), "rb") as handle:
                data = handle.read()
            for needle in needles:
                test.assertNotIn(needle, data, f"plaintext in filestore file {name}")


@contextmanager
def committed_and_dumped(test, login, plant):
    """What a counsellor with a vault writes, COMMITTED, and a pg_dump of the database.

    Data of the test transaction is invisible to pg_dump, so this writes through a separate
    cursor: a counsellor ``login`` with a vault (cheap scrypt), then ``plant(env, user)``,
    which returns ``(value, remove)``. Yields ``(dump bytes, value, cr)``; afterwards
    ``remove()`` runs, the vault is removed, the user archived, and that is committed.
    """
    with test.registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        counsellors = env.ref("vertrouwenspersoon.group_vp_counsellor")
        with patch.object(vault_crypto, "KDF_PARAMS", FAST_KDF):
            user = env["res.users"].create(
                {
                    "name": "Dump Test Counsellor",
                    "login": login,
                    "groups_id": [Command.set([env.ref("base.group_user").id, counsellors.id])],
                }
            )
            env(user=user)["vp.vault"].setup(VAULT_PASS)
        value, remove = plant(env, user)
        env.flush_all()
        cr.commit()  # pylint: disable=invalid-commit
        try:
            result = subprocess.run(
                [find_pg_tool("pg_dump"), "--format=p", "--no-owner", cr.dbname],
                env=exec_pg_environ(),
                capture_output=True,
                check=False,
                timeout=300,
            )
            test.assertEqual(result.returncode, 0, result.stderr.decode(errors="replace"))
            yield result.stdout, value, cr
        finally:
            remove()
            env["vp.vault"].sudo().search([("user_id", "=", user.id)]).unlink()
            user.sudo().write({"active": False, "groups_id": [Command.unlink(counsellors.id)]})
            cr.commit()  # pylint: disable=invalid-commit


class Denied(Exception):
    """The access path refused: that is a pass."""


class RoleAttacks:
    """Every role of the threat model (``self.roles``) against every access path
    (``PATHS``) of some models, for TransactionCase classes.

    Each ``path_<name>(Model, ids)`` returns normally only if nothing of ``ids`` leaks (an
    empty result, or one without them), or raises AccessError or Denied (refused); a path
    that gets through calls ``self.fail``. ``assert_attacks_see_a_leak`` runs the read
    paths as a user who may read (``LEAK_PROBE``) and wants every one of them to fail.
    """

    # the paths that read (the leak probe runs them), then every path; a class adds its own
    READ_PATHS = (
        "read",
        "read_field",
        "search",
        "search_count",
        "read_group",
        "name_search",
        "web_search_read",
        "web_read",
    )
    PATHS = (*READ_PATHS, "export_data", "write", "unlink")
    # (user attribute, model) whose own records the leak probe reads
    LEAK_PROBE = ("counsellor", "")
    READ_FIELDS = ()  # what read(), export_data() ask for (the id if a model has none)
    ATTRIBUTE_FIELDS = ()  # read one by one as attributes (default: READ_FIELDS)
    WEB_READ_FIELDS = ()  # web_read's specification (default: READ_FIELDS)
    WEB_SEARCH_FIELDS = ()  # web_search_read's specification (default: the id)
    NAME_SEARCHES = ("",)
    EXPORT_REFUSAL = ""  # a UserError refusing export_data must say this

    def _records(self):
        """{model: ids} of the records under attack."""
        raise NotImplementedError

    def _no_ids(self, ids, found):
        self.assertFalse(set(ids) & set(found), f"leaked ids {set(ids) & set(found)}")

    def _fields(self, Model, names):
        return [f for f in names if f in Model._fields]

    def _spec(self, Model, names):
        return {f: {} for f in self._fields(Model, names)} or {"id": {}}

    def path_read(self, Model, ids):
        Model.browse(ids).read(self._fields(Model, self.READ_FIELDS) or ["id"])
        self.fail("read succeeded")

    def path_read_field(self, Model, ids):
        # attribute access = read of a content field
        for record in Model.browse(ids):
            for field in self._fields(Model, self.ATTRIBUTE_FIELDS or self.READ_FIELDS):
                record.invalidate_recordset()
                self.assertFalse(record[field], "content read by attribute")
        self.fail("attribute read succeeded")

    def path_search(self, Model, ids):
        self._no_ids(ids, Model.search([]).ids)
        self._no_ids(ids, Model.search([("id", "in", ids)]).ids)

    def path_search_count(self, Model, ids):
        self.assertEqual(Model.search_count([("id", "in", ids)]), 0)

    def path_read_group(self, Model, ids):
        groups = Model.read_group([("id", "in", ids)], ["id:count"], [])
        self.assertFalse(sum(g.get("__count", 0) for g in groups))

    def path_name_search(self, Model, ids):
        for name in self.NAME_SEARCHES:
            self._no_ids(ids, [r[0] for r in Model.name_search(name, limit=1000)])

    def path_export_data(self, Model, ids):
        try:
            data = Model.browse(ids).export_data(self._fields(Model, self.READ_FIELDS) or ["id"])
        except AccessError:
            raise
        except UserError as exc:
            self.assertIn(self.EXPORT_REFUSAL, str(exc))
            raise Denied from exc
        self.assertFalse(data["datas"])

    def path_web_search_read(self, Model, ids):
        spec = self._spec(Model, self.WEB_SEARCH_FIELDS)
        result = Model.web_search_read([("id", "in", ids)], spec)
        self.assertEqual(result["length"], 0)
        self._no_ids(ids, [r["id"] for r in result["records"]])

    def path_web_read(self, Model, ids):
        Model.browse(ids).web_read(self._spec(Model, self.WEB_READ_FIELDS or self.READ_FIELDS))
        self.fail("web_read succeeded")

    def path_write(self, Model, ids):
        raise NotImplementedError  # what to write depends on the model

    def path_unlink(self, Model, ids):
        Model.browse(ids).unlink()
        self.fail("unlink succeeded")

    def _attack(self, user, model, ids, path):
        self.assertTrue(ids, f"nothing to attack in {model}")
        Model = self.env[model].with_user(user)
        try:
            # a refused RPC call rolls its transaction back; the savepoint does the same
            with self.env.cr.savepoint():
                getattr(self, f"path_{path}")(Model, ids)
        except (AccessError, Denied):
            return  # refused: nothing leaked
        finally:
            self.env.invalidate_all()

    def attack_every_role(self, models):
        """Every role x model x path, as subtests: one failing combination names itself."""
        combos = 0
        records = self._records()
        for role, user in self.roles.items():
            for model in models:
                for path in self.PATHS:
                    with self.subTest(role=role, model=model, path=path):
                        self._attack(user, model, records[model], path)
                        combos += 1
        self.assertEqual(combos, len(self.roles) * len(models) * len(self.PATHS))

    def assert_attacks_see_a_leak(self):
        """The harness can fail: every read path, run as a user who may read the
        records, reports them as leaked. (Odoo runs only a class's own test methods:
        each class calls this from its own test.)"""
        attribute, model = self.LEAK_PROBE
        ids = self._records()[model]
        for path in self.READ_PATHS:
            with self.subTest(path=path), self.assertRaises(self.failureException):
                self._attack(getattr(self, attribute), model, ids, path)


VAULT_URL = "/vertrouwenspersoon/vault"
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def jsonrpc(test, url, params=None):
    """A JSON-RPC call as the web client makes it, in the session of ``test``; the raw
    response (an error is in its JSON, not raised)."""
    return test.url_open(
        url,
        data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": params or {}}),
        headers={"Content-Type": "application/json"},
    )


def call_kw(test, model, method, args, kwargs=None, url="/web/dataset/call_kw"):
    """An ORM method called over JSON-RPC, as the web client does; the raw response."""
    params = {"model": model, "method": method, "args": args, "kwargs": kwargs or {}}
    return jsonrpc(test, url, params)


class VaultHttpCase(HttpCase):
    """The vault pages over HTTP, as a browser uses them (cheap scrypt: tests only).
    Every test starts with all vaults locked."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        use_cheap_kdf(cls)

    def setUp(self):
        super().setUp()
        self.addCleanup(vault_module._PROCESS_KEYS.clear)

    def csrf(self):
        return CSRF_RE.search(self.url_open(VAULT_URL).text).group(1)

    def post(self, path, allow_redirects=True, **data):
        return self.url_open(
            VAULT_URL + path,
            data=dict(data, csrf_token=self.csrf()),
            allow_redirects=allow_redirects,
        )

    def unlocked(self):
        return jsonrpc(self, VAULT_URL + "/status").json()["result"]["unlocked"]

    def unlock_over_http(self, user, passphrase=VAULT_PASS):
        """Log ``user`` in and send their passphrase through the unlock page; its answer."""
        self.authenticate(user.login, user.login)
        response = self.post("/unlock", passphrase=passphrase, redirect="/odoo")
        self.assertEqual(response.status_code, 200)
        return response
