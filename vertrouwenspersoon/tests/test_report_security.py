# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Attacks on the annual report: who reads what, through every path we know."""

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, TransactionCase, tagged

from .common_report import YEAR, ReportUsersMixin, fake_counts, xlsx_sheets

PDF = "vertrouwenspersoon.vp_annual_report_pdf"
XLSX = "vertrouwenspersoon.vp_annual_report_xlsx"


class ReportFixtureMixin(ReportUsersMixin):
    @classmethod
    def _setup_reports(cls):
        cls._setup_report_users()
        Report = cls.env["vp.annual.report"]
        cls.draft = Report.with_user(cls.counsellor).create(
            {"year": YEAR, "narrative_advice": "<p>Concept: nog niet delen</p>"}
        )
        cls.published = Report.with_user(cls.counsellor).create(
            {"year": YEAR - 1, "narrative_advice": "<p>Investeer in leiderschap</p>"}
        )
        cls.own_scope_draft = Report.with_user(cls.counsellor2).create(
            {"year": YEAR, "scope": "counsellor"}
        )
        cls.other_company_report = Report.sudo().create(
            {
                "year": YEAR - 1,
                "company_id": cls.other_company.id,
                "counsellor_id": cls.counsellor.id,
            }
        )
        model_class = type(Report)
        original = model_class._query_case_counts, model_class._query_cover_counts
        model_class._query_case_counts = lambda rec, year: fake_counts()
        model_class._query_cover_counts = lambda rec, year: {
            str(rec.counsellor_id.id): fake_counts()
        }
        try:
            cls.published.action_publish()
            cls.other_company_report.action_publish()
        finally:
            model_class._query_case_counts, model_class._query_cover_counts = original


@tagged("post_install", "-at_install")
class TestReportAccess(ReportFixtureMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_reports()

    def test_director_reads_published_reports_of_own_company_only(self):
        Report = self.env["vp.annual.report"].with_user(self.director)
        found = Report.search([])
        self.assertIn(self.published, found)
        self.assertEqual(set(found.mapped("state")), {"published"})
        self.assertEqual(found.company_id, self.company)
        self.assertEqual(Report.search_count([("state", "!=", "published")]), 0)
        self.assertIn("Investeer", self.published.with_user(self.director).narrative_advice)
        self.assertTrue(self.published.with_user(self.director).figures_html)
        other = self.env["vp.annual.report"].with_user(self.other_director)
        self.assertEqual(other.search([]), self.other_company_report)

    def test_director_cannot_read_a_draft(self):
        Report = self.env["vp.annual.report"].with_user(self.director)
        draft = self.draft.with_user(self.director)
        with self.assertRaises(AccessError):
            draft.read(["narrative_advice"])
        with self.assertRaises(AccessError):
            draft.read(["figures_html"])
        with self.assertRaises(AccessError):
            draft._get_figures()
        self.assertFalse(Report.search([("id", "=", self.draft.id)]))
        self.assertFalse(Report.search([("state", "=", "draft")]))
        self.assertNotIn(self.draft.id, [rid for rid, _name in Report.name_search(str(YEAR))])
        groups = Report.read_group([], ["year"], ["state"])
        self.assertEqual([g["state"] for g in groups], ["published"])
        # even with the right to export, the draft stays out of reach
        self.director.groups_id += self.env.ref("base.group_allow_export")
        with self.assertRaises(AccessError):
            draft.export_data(["narrative_advice"])
        self.assertTrue(self.published.with_user(self.director).export_data(["year"])["datas"])
        with self.assertRaises(AccessError):
            self.env["ir.actions.report"].with_user(self.director).with_context(
                force_report_rendering=True
            )._render_qweb_pdf("vertrouwenspersoon.vp_annual_report_action_pdf", self.draft.ids)
        with self.assertRaises(AccessError):
            self.env["ir.actions.report"].with_user(self.director)._render_xlsx(
                "vertrouwenspersoon.vp_annual_report_action_xlsx", self.draft.ids, data={}
            )

    def test_director_cannot_change_or_publish(self):
        with self.assertRaises(AccessError):
            self.published.with_user(self.director).write({"narrative_advice": "x"})
        with self.assertRaises(AccessError):
            self.env["vp.annual.report"].with_user(self.director).create({"year": YEAR})
        with self.assertRaises(AccessError):
            self.published.with_user(self.director).unlink()

    def test_director_reads_nothing_else_of_the_addon(self):
        self.env["vp.awareness"].with_user(self.counsellor).create({"topic": "Workshop"})
        draft_signal = (
            self.env["vp.signal"]
            .with_user(self.counsellor)
            .create({"subject": "Concept signaal", "text": "..."})
        )
        for model in (
            "vp.awareness",
            "vp.case",
            "vp.case.contact",
            "vp.time.entry",
            "vp.budget",
            "vp.expense",
            "vp.security.log",
        ):
            if model not in self.env:
                continue
            with self.assertRaises(AccessError, msg=model):
                self.env[model].with_user(self.director).search([])
        Signal = self.env["vp.signal"].with_user(self.director)
        self.assertNotIn(draft_signal, Signal.search([]))
        with self.assertRaises(AccessError):
            draft_signal.with_user(self.director).read(["text"])
        draft_signal.action_send()
        self.assertIn(draft_signal, Signal.search([]))

    def test_other_roles_cannot_read_reports_at_all(self):
        for user in (
            self.employee,
            self.portal,
            self.hr_manager,
            self.functional_admin,
            self.settings_admin,
        ):
            Report = self.env["vp.annual.report"].with_user(user)
            with self.assertRaises(AccessError, msg=user.login):
                Report.search([])
            with self.assertRaises(AccessError, msg=user.login):
                self.published.with_user(user).read(["narrative_advice"])
            with self.assertRaises(AccessError, msg=user.login):
                self.env["vp.awareness"].with_user(user).search([])
            with self.assertRaises(AccessError, msg=user.login):
                self.env["ir.actions.report"].with_user(user)._render_xlsx(
                    "vertrouwenspersoon.vp_annual_report_action_xlsx",
                    self.published.ids,
                    data={},
                )

    def test_one_counsellor_draft_only_for_that_counsellor(self):
        Report = self.env["vp.annual.report"].with_user(self.counsellor)
        self.assertNotIn(self.own_scope_draft, Report.search([]))
        self.assertIn(self.draft, Report.search([]))
        mine = self.env["vp.annual.report"].with_user(self.counsellor2).search([])
        self.assertIn(self.own_scope_draft, mine)


@tagged("post_install", "-at_install")
class TestReportRoutes(ReportFixtureMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_reports()

    def _get(self, url):
        return self.url_open(url, timeout=120)

    def test_director_downloads_published_pdf_and_xlsx(self):
        self.authenticate("vp_r_director", "vp_r_director_pw1")
        # Under test, Odoo answers the PDF route with the report's HTML (wkhtmltopdf would
        # wait for this very server); the real PDF is checked in TestAnnualReportOutputs.
        response = self._get(f"/report/pdf/{PDF}/{self.published.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(b"Investeer in leiderschap", response.content)
        self.assertIn(b"&lt; 5", response.content)
        response = self._get(f"/report/xlsx/{XLSX}/{self.published.id}")
        self.assertEqual(response.status_code, 200)
        values = [v for rows in xlsx_sheets(response.content).values() for r in rows for v in r]
        self.assertIn("< 5", values)

    def _assert_refused(self, urls, secret):
        for url in urls:
            response = self._get(url)
            self.assertNotEqual(response.status_code, 200, url)
            self.assertNotIn(secret, response.content, url)
            self.assertNotIn(b"%PDF", response.content[:10], url)
            self.assertNotIn(b"PK", response.content[:2], url)

    def test_director_gets_no_draft_through_the_routes(self):
        self.authenticate("vp_r_director", "vp_r_director_pw1")
        self._assert_refused(
            [
                f"/report/pdf/{PDF}/{self.draft.id}",
                f"/report/html/{PDF}/{self.draft.id}",
                f"/report/xlsx/{XLSX}/{self.draft.id}",
                f"/report/pdf/{PDF}/{self.other_company_report.id}",
            ],
            b"Concept: nog niet delen",
        )

    def test_employee_gets_nothing_through_the_routes(self):
        self.authenticate(self.employee.login, self.employee.login)
        self._assert_refused(
            [
                f"/report/pdf/{PDF}/{self.published.id}",
                f"/report/html/{PDF}/{self.published.id}",
                f"/report/xlsx/{XLSX}/{self.published.id}",
            ],
            b"Investeer",
        )
