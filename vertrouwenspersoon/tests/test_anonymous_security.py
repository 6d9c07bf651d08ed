# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Attacks on anonymous conversations: every role of the threat model against every
access path of the new models and routes; the DBA's dump and filestore; sudo."""

import base64
import uuid
from unittest.mock import patch

from odoo import SUPERUSER_ID
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, TransactionCase, tagged

from ..tools import receipt_code, vault_crypto
from .anonymous_common import FAST_CODE_KDF, FILE_MARKER, MARKER, AnonymousFixture
from .common import FAST_KDF, RoleAttacks, assert_not_in_filestore, committed_and_dumped

MODELS = ("vp.conversation", "vp.conversation.message", "vp.conversation.key")
CONTENT = ("name", "body", "attachment", "attachment_name", "thread_html", "wrapped_key")


@tagged("post_install", "-at_install")
class TestAnonymousSegregation(RoleAttacks, AnonymousFixture, TransactionCase):
    LEAK_PROBE = ("counsellor", "vp.conversation")
    READ_FIELDS = CONTENT
    NAME_SEARCHES = ("", "AN-")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_anonymous()
        cls.conversation, cls.code = cls.start(attachment=("notulen.txt", FILE_MARKER + b" tekst"))
        cls.as_counsellor(cls.conversation).reply = "Antwoord van de vertrouwenspersoon"

    def _records(self):
        conversation = self.conversation
        return {
            "vp.conversation": conversation.ids,
            "vp.conversation.message": conversation.message_ids.ids,
            "vp.conversation.key": self.env["vp.conversation.key"]
            .sudo()
            .search([("conversation_id", "=", conversation.id)])
            .ids,
        }

    # ------------------------------------------------------------ the paths
    def path_write(self, Model, ids):
        Model.browse(ids).write({"reply": "x"} if Model._name == "vp.conversation" else {})
        if Model._name != "vp.conversation":
            Model.browse(ids).write({"date": "2020-01-01 00:00:00"})
        self.fail("write succeeded")

    def path_create(self, Model, ids):
        Model.create({"conversation_id": self.conversation.id, "author": "writer"})
        self.fail("create succeeded")

    PATHS = (*RoleAttacks.PATHS, "create")

    def test_roles_x_paths(self):
        """Every role against every path of every model of the channel."""
        self.attack_every_role(MODELS)
        self.assertIn(MARKER, self.as_counsellor(self.conversation).thread_html)

    def test_the_attacks_see_a_leak(self):
        self.assert_attacks_see_a_leak()

    def test_public_methods_refused_to_other_roles(self):
        Conversation = type(self.env["vp.conversation"])
        methods = sorted(
            name
            for name in dir(Conversation)
            if name.startswith("action_")
            and getattr(getattr(Conversation, name), "__module__", "").startswith(
                "odoo.addons.vertrouwenspersoon"
            )
        )
        self.assertIn("action_turn_into_case", methods)
        for role, user in self.roles.items():
            for method in methods:
                with self.subTest(role=role, method=method):
                    args = (
                        (user.id,)
                        if method in ("action_share_with", "action_revoke", "action_hand_over")
                        else ()
                    )
                    record = self.conversation.with_user(user)
                    with self.assertRaises(UserError):  # AccessError is one too
                        getattr(record, method)(*args)
        self.assertEqual(self.conversation.counsellor_id, self.counsellor)
        self.assertEqual(self.conversation.reader_ids, self.counsellor)
        self.assertFalse(self.conversation.case_id)

    def test_writer_side_methods_refuse_everyone_but_the_superuser(self):
        """An RPC caller cannot start, open or write as the page does (that would be
        a brute-force oracle without limits, or a way to plant rows with a user)."""
        for role, user in self.roles.items():
            Conversation = self.env["vp.conversation"].with_user(user)
            with self.subTest(role=role):
                with self.assertRaises(AccessError):
                    Conversation.sudo()._open_with_code(self.code, "x")
                with self.assertRaises(AccessError):
                    Conversation.sudo()._start(self.profile, "x")

    def test_sudo_and_the_superuser_read_no_content(self):
        admin = self.roles["settings_admin"]
        for env in (self.env(user=admin, su=True), self.env(user=SUPERUSER_ID)):
            conversation = env["vp.conversation"].browse(self.conversation.id)
            self.assertNotIn(MARKER, conversation.thread_html or "")
            for message in conversation.message_ids:
                self.assertFalse(message.body)
                self.assertFalse(message.attachment)
        # even the counsellor's own request, in sudo, gets no key
        sudo_mine = self.conversation.with_user(self.counsellor).sudo()
        self.assertFalse(sudo_mine.message_ids[0].body)

    def test_nothing_in_mail_attachments_or_plain_columns(self):
        self.env.flush_all()
        self.assertFalse(
            self.env["mail.message"].sudo().search_count([("model", "in", list(MODELS))])
        )
        self.assertFalse(
            self.env["mail.followers"].sudo().search_count([("res_model", "in", list(MODELS))])
        )
        self.assertFalse(
            self.env["ir.attachment"].sudo().search_count([("res_model", "in", list(MODELS))])
        )
        for table in ("vp_conversation", "vp_conversation_message", "vp_conversation_key"):
            self.env.cr.execute(f"SELECT coalesce(string_agg(t::text, ' '), '') FROM {table} t")
            rows = self.env.cr.fetchone()[0]
            for needle in (MARKER, "Klaproosvergadering", "notulen.txt", "Antwoord van"):
                self.assertNotIn(needle, rows, table)
            for needle in (self.code, receipt_code.normalize(self.code)):
                self.assertNotIn(needle, rows, table)
        assert_not_in_filestore(self, self.env.cr.dbname, FILE_MARKER, MARKER.encode())

    def test_configuration_reaching_the_new_models_is_refused(self):
        """A Settings admin cannot put code or fields into a counsellor's request on the
        channel's models (server action, custom field): the vault's refusals cover them."""
        admin = self.roles["settings_admin"]
        for model_name in MODELS:
            model = self.env["ir.model"]._get(model_name)
            with self.subTest(model=model_name):
                with self.assertRaisesRegex(UserError, "cannot be reached by configuration"):
                    self.env["ir.actions.server"].with_user(admin).create(
                        {"name": "peek", "model_id": model.id, "state": "code", "code": "1"}
                    )
                with self.assertRaisesRegex(UserError, "cannot be reached by configuration"):
                    self.env["ir.model.fields"].with_user(admin).create(
                        {"name": "x_peek", "model_id": model.id, "ttype": "char"}
                    )

    def test_forged_key_row_for_an_outsider_opens_nothing(self):
        """A DBA (or sudo) plants a key row for the other counsellor: the record rule
        still keeps them out, and the wrapped key is not for their private key."""
        self.env["vp.conversation.key"].sudo().create(
            {
                "conversation_id": self.conversation.id,
                "user_id": self.other_counsellor.id,
                "wrapped_key": self.env["vp.conversation.key"]
                .sudo()
                .search([("conversation_id", "=", self.conversation.id)], limit=1)
                .wrapped_key,
            }
        )
        self.unlock(self.other_counsellor)
        with self.assertRaises(AccessError):
            self.conversation.with_user(self.other_counsellor).read(["thread_html"])


@tagged("post_install", "-at_install")
class TestAnonymousRpc(AnonymousFixture, HttpCase):
    """The same over JSON-RPC, as the web client of each role would call it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_anonymous()
        cls.conversation, cls.code = cls.start()

    def test_rpc_as_every_role_gets_nothing(self):
        for role, user in self.roles.items():
            if role == "portal":
                continue  # portal users have no /web/dataset access at all
            with self.subTest(role=role):
                self.authenticate(user.login, user.login)
                for model, method, args in (
                    ("vp.conversation", "search_read", [[], ["name", "thread_html"]]),
                    ("vp.conversation", "read", [self.conversation.ids, ["thread_html"]]),
                    ("vp.conversation.message", "search_read", [[], ["body"]]),
                    ("vp.conversation", "action_turn_into_case", [self.conversation.ids]),
                    ("vp.conversation", "_open_with_code", [self.code]),
                ):
                    try:
                        result = self.make_jsonrpc_request(
                            f"/web/dataset/call_kw/{model}/{method}",
                            {"model": model, "method": method, "args": args, "kwargs": {}},
                        )
                    except Exception as exc:  # noqa: BLE001 (the RPC error is the refusal)
                        self.assertNotIn(MARKER, str(exc))
                        continue
                    self.assertFalse(result, f"{role} {model}.{method}")
                    self.assertNotIn(MARKER, str(result))


@tagged("post_install", "-at_install")
class TestAnonymousDump(TransactionCase):
    """A pg_dump and the filestore hold none of the text of a planted message, and not
    the receipt code. The data is committed through a separate cursor, then removed."""

    def test_pg_dump_holds_no_message_and_no_code(self):
        marker = "ANONDUMP" + uuid.uuid4().hex.upper()

        def plant(env, user):
            with (
                patch.object(vault_crypto, "KDF_PARAMS", FAST_KDF),
                patch.object(receipt_code, "KDF_PARAMS", FAST_CODE_KDF),
            ):
                profile = env["vp.counsellor"].create({"user_id": user.id, "name": "Dump"})
                conversation, code = env["vp.conversation"]._start(
                    profile, marker, ("bestand.txt", marker.encode())
                )
            env.flush_all()
            cipher = conversation.message_ids.body_enc

            def remove():
                conversation.unlink()
                profile.unlink()

            return (cipher, code), remove

        login = "vp_anon_dump_" + uuid.uuid4().hex[:8]
        with committed_and_dumped(self, login, plant) as (dump, (cipher, code), cr):
            self.assertIn(cipher.encode(), dump)  # the message is in the dump ...
            self.assertNotIn(marker.encode(), dump)  # ... its text is not
            self.assertNotIn(base64.b64encode(marker.encode()), dump)
            self.assertNotIn(code.encode(), dump)
            self.assertNotIn(receipt_code.normalize(code).encode(), dump)
            assert_not_in_filestore(self, cr.dbname, marker.encode())
