# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Wbk on cases: the deadlines, and the annual report that counts Wbk reports in a
separate table, never in the unwanted-behaviour tables."""

from datetime import date, timedelta

from odoo import fields
from odoo.tests import TransactionCase, new_test_user, tagged

from ..tools import wbk
from .common import setup_vaults
from .common_report import xlsx_sheets

COUNSELLOR = "vertrouwenspersoon.group_vp_counsellor"


@tagged("post_install", "-at_install")
class TestWbkCases(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.counsellor = new_test_user(cls.env, "vp_w_counsellor", groups=COUNSELLOR)
        setup_vaults(cls, cls.counsellor, unlock=[cls.counsellor])
        # a year the demo organisation (last three years) neither fills nor published
        cls.year = fields.Date.today().year - 7
        Case = cls.env["vp.case"].with_user(cls.counsellor)
        cls.cases = Case.browse()
        for day in range(1, 9):
            cls.cases |= Case.create({"date_intake": date(cls.year, 3, day)})

    def mark(self, cases, marked=None):
        cases.action_mark_wbk()
        if marked:
            cases.sudo().write({"wbk_date_marked": marked})

    def test_deadlines_of_a_wbk_case(self):
        case = self.cases[0]
        self.mark(case)
        self.assertEqual(case.wbk_date_received, case.date_intake)
        self.assertEqual(case.wbk_confirm_due, case.date_intake + timedelta(days=7))
        self.assertFalse(case.wbk_feedback_due)
        case.action_wbk_confirmed()
        self.assertEqual(case.wbk_feedback_due, wbk.feedback_due(fields.Date.today()))
        case.action_wbk_feedback_given()
        self.assertTrue(case.wbk_date_feedback)
        self.assertFalse(
            wbk.next_due(case.wbk_date_received, case.wbk_date_confirmed, case.wbk_date_feedback)
        )

    def test_overdue_wbk_case_on_the_dashboard_and_reminded_once(self):
        case = self.cases[1]
        self.mark(case)  # received in March of last year: long overdue
        self.counsellor.email = "vp_w@example.com"
        cards = {
            c["key"]: c
            for c in self.env["vp.case.dashboard"].with_user(self.counsellor).get_cards()
        }
        self.assertEqual(cards["wbk"]["count"], 1)
        mails = self.env["mail.mail"].sudo()
        before = mails.search([]).ids
        self.env["vp.conversation"].sudo()._cron_wbk_reminders()
        self.env["vp.conversation"].sudo()._cron_wbk_reminders()
        sent = mails.search([("id", "not in", before)])
        self.assertEqual(sent.mapped("subject"), ["A deadline is coming up"])

    def test_annual_report_counts_wbk_apart(self):
        self.mark(self.cases[:6], marked=date(self.year, 6, 1))
        report = self.env["vp.annual.report"].with_user(self.counsellor).create({"year": self.year})
        figures = report._compute_figures()
        current = str(self.year)
        # 8 cases, 6 of them Wbk: the unwanted-behaviour tables hold the other 2 only
        self.assertEqual(figures["headline"][current]["new"]["d"], "< 5")
        self.assertEqual(figures["wbk"]["received"][current]["d"], "6")
        # the table in the report's language (Dutch once Dutch is loaded)
        self.assertIn("vp_wbk", report.figures_html)
        self.assertTrue(
            any(
                heading in report.figures_html
                for heading in ("Reports of wrongdoing (Wbk)", "Meldingen van een misstand (Wbk)")
            )
        )
        # the workbook has the same table on a sheet of its own
        xlsx, _kind = (
            self.env["ir.actions.report"]
            .with_user(self.counsellor)
            ._render_xlsx("vertrouwenspersoon.vp_annual_report_action_xlsx", report.ids, data={})
        )
        names = self.env["report.vertrouwenspersoon.vp_annual_report_xlsx"]._sheet_names(
            report.with_context(lang=report._report_lang())
        )
        self.assertEqual(xlsx_sheets(xlsx)[names["wbk"]][3][1:], [0, 0, 6])
        # a counsellor's own report has no Wbk table: nothing to subtract across scopes
        own = (
            self.env["vp.annual.report"]
            .with_user(self.counsellor)
            .create(
                {"year": self.year + 1, "scope": "counsellor", "counsellor_id": self.counsellor.id}
            )
        )
        self.assertIsNone(own._compute_figures()["wbk"])

    def test_small_wbk_counts_are_suppressed(self):
        self.mark(self.cases[0], marked=date(self.year, 6, 1))
        report = self.env["vp.annual.report"].with_user(self.counsellor).create({"year": self.year})
        figures = report._compute_figures()
        self.assertEqual(figures["wbk"]["received"][str(self.year)]["d"], "< 5")
        self.assertIsNone(figures["wbk"]["received"][str(self.year)]["v"])
