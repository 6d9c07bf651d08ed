# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import HttpCase, new_test_user, tagged

from .common import COUNSELLOR, MELDER, VAULT_PASS, role_users, setup_vaults

REPORT = "vertrouwenspersoon.vp_case_inzage_document"


@tagged("post_install", "-at_install")
class TestCaseReportRoutes(HttpCase):
    """The QWeb report routes, fetched over HTTP as other users, give nothing away."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.counsellor = new_test_user(cls.env, "vp_h_counsellor", groups=COUNSELLOR)
        cls.users = role_users(cls.env, "vp_h", "hr_manager", "settings_admin", "portal")
        cls.users["other_counsellor"] = new_test_user(cls.env, "vp_h_other", groups=COUNSELLOR)
        setup_vaults(cls, cls.counsellor, cls.users["other_counsellor"])
        cls.case = (
            cls.env["vp.case"]
            .with_user(cls.counsellor)
            .create({"melder_name": MELDER, "description": "Verhaal van de melder"})
        )

    def test_report_routes_refused(self):
        for login, user in self.users.items():
            self.authenticate(user.login, user.login)
            for kind in ("html", "pdf"):
                with self.subTest(user=login, kind=kind):
                    response = self.url_open(f"/report/{kind}/{REPORT}/{self.case.id}")
                    self.assertNotEqual(response.status_code, 200)
                    self.assertNotIn(MELDER, response.text)
                    self.assertNotIn("Verhaal van de melder", response.text)

    def test_report_route_for_counsellor(self):
        self.authenticate(self.counsellor.login, self.counsellor.login)
        response = self.url_open(f"/report/html/{REPORT}/{self.case.id}")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn(MELDER, response.text)  # vault locked
        page = self.url_open("/vertrouwenspersoon/vault").text
        csrf = page.split('name="csrf_token" value="')[1].split('"')[0]
        self.url_open(
            "/vertrouwenspersoon/vault/unlock",
            data={"csrf_token": csrf, "passphrase": VAULT_PASS, "redirect": "/odoo"},
        )
        response = self.url_open(f"/report/html/{REPORT}/{self.case.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(MELDER, response.text)
