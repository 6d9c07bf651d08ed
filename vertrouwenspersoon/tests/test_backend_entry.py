# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""How people find the addon in the backend: the booking page as an app for every
employee, a start screen of their own for counsellors and report readers, and the roles
on the user form without developer mode."""

import json

from lxml import etree

from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.base.models.res_users import name_selection_groups

ROLES = ("group_vp_counsellor", "group_vp_director", "group_vp_manager")


@tagged("post_install", "-at_install")
class TestBackendEntry(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.employee = new_test_user(cls.env, "vp_e_employee", groups="base.group_user")
        cls.counsellor = new_test_user(
            cls.env, "vp_e_counsellor", groups="vertrouwenspersoon.group_vp_counsellor"
        )
        cls.director = new_test_user(
            cls.env,
            "vp_e_director",
            groups="base.group_user,vertrouwenspersoon.group_vp_director",
        )
        # an administrator of Settings, not in developer mode (no group_no_one)
        cls.settings_admin = new_test_user(
            cls.env, "vp_e_admin", groups="base.group_user,base.group_system"
        )

    def _home_action(self, login):
        self.authenticate(login, login)
        response = self.url_open(
            "/web/session/get_session_info",
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": {}}),
            headers={"Content-Type": "application/json"},
        )
        return response.json()["result"]["home_action_id"]

    def test_every_employee_has_the_booking_page_as_an_app(self):
        menu = self.env.ref("vertrouwenspersoon.menu_vp_portal_page")
        self.assertEqual(menu.action.url, "/my/vertrouwenspersoon")
        for user in (self.employee, self.director):
            visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            self.assertIn(menu.id, visible, user.login)
        # a counsellor has one "Vertrouwenspersoon" on the home screen: their own app
        counsellor_menus = self.env["ir.ui.menu"].with_user(self.counsellor)._visible_menu_ids()
        self.assertNotIn(menu.id, counsellor_menus)
        self.assertIn(self.env.ref("vertrouwenspersoon.menu_vp_root").id, counsellor_menus)
        # the tile leads to the booking page only: nothing of the counsellor's work
        self.assertFalse(menu.child_id)
        employee_menus = self.env["ir.ui.menu"].with_user(self.employee)._visible_menu_ids()
        root = self.env.ref("vertrouwenspersoon.menu_vp_root")
        self.assertNotIn(root.id, employee_menus)
        self.authenticate("vp_e_employee", "vp_e_employee")
        self.assertEqual(self.url_open("/my/vertrouwenspersoon").status_code, 200)

    def test_counsellors_and_directors_start_on_their_own_screen(self):
        self.assertEqual(
            self._home_action("vp_e_counsellor"),
            self.env.ref("vertrouwenspersoon.vp_case_dashboard_action_client").id,
        )
        self.assertEqual(
            self._home_action("vp_e_director"),
            self.env.ref("vertrouwenspersoon.vp_annual_report_action_director").id,
        )
        self.assertFalse(self._home_action("vp_e_employee"))
        # a home action the user chose stays theirs
        own = self.env["ir.actions.actions"].browse(
            self.env.ref("vertrouwenspersoon.vp_annual_report_action").id
        )
        self.counsellor.action_id = own
        self.assertEqual(self._home_action("vp_e_counsellor"), own.id)

    def test_roles_on_the_user_form_without_developer_mode(self):
        self.assertFalse(self.settings_admin.has_group("base.group_no_one"))
        # the form of Settings > Users, as Odoo builds it after an install
        self.env["res.groups"]._update_user_groups_view()
        view = self.env.ref("base.view_users_form")
        form = (
            self.env["res.users"]
            .with_user(self.settings_admin)
            .get_views([(view.id, "form")])["views"]["form"]["arch"]
        )
        arch = etree.fromstring(form)
        user = new_test_user(self.env, "vp_e_new", groups="base.group_user")
        for xmlid in ROLES:
            group = self.env.ref(f"vertrouwenspersoon.{xmlid}")
            field = name_selection_groups(group.ids)
            nodes = arch.xpath(f"//field[@name='{field}']")
            self.assertTrue(nodes, f"{xmlid} is not on the user form")
            self.assertFalse(nodes[0].get("invisible"), xmlid)
            # choosing the role on the form gives the group
            user.with_user(self.settings_admin).write({field: group.id})
            self.assertTrue(user.has_group(f"vertrouwenspersoon.{xmlid}"), xmlid)
