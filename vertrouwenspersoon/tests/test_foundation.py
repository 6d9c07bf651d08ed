# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import TransactionCase, tagged

from .common import add_role_users

APP_ROLES = (
    "counsellor",
    "director",
    "functional_admin",
    "hr_manager",
    "settings_admin",
    "employee",
)


@tagged("post_install", "-at_install")
class TestFoundation(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        add_role_users(cls, "vp_f", *APP_ROLES)

    def _visible_menus(self, user):
        return self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()

    def _assert_menu_hidden_from(self, root, users):
        for user in users:
            self.assertNotIn(root.id, self._visible_menus(user), user.login)

    def _assert_menu_only_for(self, xmlid, role):
        """The app's root menu is shown to ``role`` and to none of the other roles."""
        root = self.env.ref(xmlid)
        self.assertIn(root.id, self._visible_menus(getattr(self, role)))
        self._assert_menu_hidden_from(root, [getattr(self, r) for r in APP_ROLES if r != role])

    def test_counsellor_app_only_for_counsellors(self):
        self._assert_menu_only_for("vertrouwenspersoon.menu_vp_root", "counsellor")

    def test_configuration_app_only_for_functional_admin(self):
        self._assert_menu_only_for("vertrouwenspersoon.menu_vp_admin_root", "functional_admin")

    def test_reports_app_restricted_to_directors(self):
        root = self.env.ref("vertrouwenspersoon.menu_vp_reports_root")
        self.assertEqual(root.groups_id, self.env.ref("vertrouwenspersoon.group_vp_director"))
        others = ("employee", "hr_manager", "settings_admin", "functional_admin")
        self._assert_menu_hidden_from(root, [getattr(self, role) for role in others])

    def test_settings_admin_is_not_a_counsellor(self):
        """Installing the addon must not hand the counsellor role to administrators."""
        counsellor_group = self.env.ref("vertrouwenspersoon.group_vp_counsellor")
        self.assertNotIn(self.env.ref("base.user_admin"), counsellor_group.users)
        self.assertFalse(self.settings_admin.has_group("vertrouwenspersoon.group_vp_counsellor"))

    def test_categories_of_the_contract(self):
        codes = self.env["vp.category"].search([]).mapped("code")
        self.assertEqual(
            codes,
            [
                "discriminatie",
                "intimidatie",
                "agressie_geweld",
                "pesten",
                "seksuele_intimidatie",
                "grensoverschrijdend_conflict",
                "overig",
            ],
        )

    def test_groups_translated_to_dutch(self):
        self.env["res.lang"]._activate_lang("nl_NL")
        self.env["ir.module.module"]._load_module_terms(["vertrouwenspersoon"], ["nl_NL"])
        group = self.env.ref("vertrouwenspersoon.group_vp_counsellor").with_context(lang="nl_NL")
        self.assertEqual(group.name, "Vertrouwenspersoon")
        category = self.env.ref("vertrouwenspersoon.vp_category_bullying").with_context(
            lang="nl_NL"
        )
        self.assertEqual(category.name, "Pesten")


@tagged("post_install", "-at_install")
class TestDemoLogins(TransactionCase):
    """The logins `make run` prints must really work (when demo data is loaded)."""

    def test_printed_demo_vault_passphrases_open_the_vaults(self):
        """`make run` prints the demo counsellors' vault passphrases: they must work."""
        printed = {
            "vp_user_counsellor_internal": "Marieke demo kluis De Linde",
            "vp_user_counsellor_external": "Ruud demo kluis De Linde",
        }
        for xmlid, passphrase in printed.items():
            user = self.env.ref(f"vertrouwenspersoon.{xmlid}", raise_if_not_found=False)
            if not user:
                self.skipTest("demo data not loaded")
            vault = self.env["vp.vault"]._vault_of(user)
            self.assertTrue(vault._open_private_key(passphrase, "passphrase"), xmlid)

    def test_demo_users_have_their_roles(self):
        user = self.env.ref(
            "vertrouwenspersoon.vp_user_counsellor_internal", raise_if_not_found=False
        )
        if not user:
            self.skipTest("demo data not loaded")
        expectations = {
            "vp_user_counsellor_internal": "vertrouwenspersoon.group_vp_counsellor",
            "vp_user_counsellor_external": "vertrouwenspersoon.group_vp_counsellor",
            "vp_user_director": "vertrouwenspersoon.group_vp_director",
            "vp_user_functional_admin": "vertrouwenspersoon.group_vp_manager",
            "vp_user_hr_manager": "hr.group_hr_manager",
            "vp_user_portal": "base.group_portal",
            "vp_user_employee": "base.group_user",
        }
        for xmlid, group in expectations.items():
            user = self.env.ref(f"vertrouwenspersoon.{xmlid}")
            self.assertTrue(user.has_group(group), xmlid)
            # password = login, as printed by `make run`
            user.with_user(user)._check_credentials(
                {"type": "password", "password": user.login}, {"interactive": False}
            )
        employees = self.env["hr.employee"].search(
            [("company_id", "=", self.env.ref("base.main_company").id)]
        )
        self.assertGreaterEqual(len(employees), 30)
