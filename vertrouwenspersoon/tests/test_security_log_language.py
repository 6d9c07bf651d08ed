# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Security events reach each counsellor in their own language and time zone, whoever
wrote them (an administrator working in English), and the chain stays valid."""

from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user, tagged
from odoo.tools import format_datetime

from ..models.vault.vp_security_log import GENESIS
from .common import VAULT_PASS, VaultHttpCase

COUNSELLOR = "base.group_user,vertrouwenspersoon.group_vp_counsellor"


@tagged("post_install", "-at_install")
class TestSecurityLogLanguage(VaultHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("nl_NL")
        cls.env["ir.module.module"]._load_module_terms(["vertrouwenspersoon"], ["nl_NL"])
        # a Dutch organisation: its working hours are in Amsterdam; the counsellor
        # never chose a time zone of their own
        cls.env.company.resource_calendar_id.tz = "Europe/Amsterdam"
        cls.anna = new_test_user(cls.env, "vp_lang_anna", groups=COUNSELLOR, lang="nl_NL")
        cls.anna.tz = False
        cls.env(user=cls.anna)["vp.vault"].setup(VAULT_PASS)

    def _admin_adds_a_counsellor(self):
        admin = self.env.ref("base.user_admin")
        admin.lang = "en_US"
        vault = self.env["vp.vault"]._vault_of(self.anna).sudo()
        vault.date_last_unlock = fields.Datetime.now() - timedelta(minutes=5)
        new = new_test_user(self.env, "vp_lang_bert", groups="base.group_user", name="Bert")
        new.with_user(admin).with_context(lang="en_US").sudo().write(
            {"groups_id": [(4, self.env.ref("vertrouwenspersoon.group_vp_counsellor").id)]}
        )
        return self.env["vp.security.log"].search(
            [("event", "=", "group_add"), ("user_id", "=", new.id)]
        )

    def test_unlock_page_shows_an_english_admins_event_in_dutch_and_local_time(self):
        line = self._admin_adds_a_counsellor()
        self.assertEqual(len(line), 1)
        self.assertEqual(
            line.with_context(lang="en_US").message,
            f"Bert was added to the counsellor group by {self.env.ref('base.user_admin').name}.",
        )
        text = self.unlock_over_http(self.anna).text
        self.assertIn("Bert is door", text)
        self.assertIn("toegevoegd aan de groep vertrouwenspersonen", text)
        self.assertNotIn("was added to the counsellor group", text)
        dutch = self.env(context={"lang": "nl_NL"})
        local = format_datetime(dutch, line.date, tz="Europe/Amsterdam")
        utc = format_datetime(dutch, line.date, tz="UTC")
        self.assertNotEqual(local, utc)  # December: one hour apart
        self.assertIn(local, text)
        self.assertNotIn(utc, text)

    def test_lines_keep_the_chain_valid_and_read_in_each_language(self):
        self._admin_adds_a_counsellor()
        self.env["vp.config.guard"]._log_change(
            "Server action", self.env["ir.actions.server"].search([], limit=1), "write"
        )
        config = self.env["vp.security.log"].search([("event", "=", "config_change")], limit=1)
        self.assertTrue(config.with_context(lang="nl_NL").message.startswith("Serveractie"))
        self.assertIn(" gewijzigd door ", config.with_context(lang="nl_NL").message)
        self.assertIn(" changed by ", config.with_context(lang="en_US").message)
        # the stored text is hashed as written: re-computing the chain finds nothing
        self.assertEqual(self.env["vp.vault"]._check_log_chain([0, GENESIS]), [])
