# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import json

from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, TransactionCase, tagged

from ..tools import report_suppression as rs
from .common_report import (
    YEAR,
    ReportUsersMixin,
    fake_counts,
    pdf_text,
    published_values,
    xlsx_sheets,
)


@tagged("post_install", "-at_install")
class TestAnnualReport(ReportUsersMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_report_users()

    def test_small_counts_never_published(self):
        report = self._new_report()
        with self.fake_source({YEAR: fake_counts()}):
            report.action_publish()
        figures = self.figures_of(report)
        threshold = figures["threshold"]
        for cell in published_values(figures):
            if cell["s"]:
                self.assertIsNone(cell["v"], "the snapshot must not keep a hidden value")
            else:
                self.assertFalse(0 < cell["v"] < threshold, cell)
        tables = {t["key"]: t for t in figures["tables"]}
        bullying = next(r for r in tables["category"]["rows"] if r["key"] == "bullying")
        self.assertEqual(bullying["cells"][str(YEAR)]["d"], "< 5")
        # Two small reporter types next to the total: each can still be 1..4.
        reporters = {r["key"]: r["cells"][str(YEAR)]["d"] for r in tables["reporter_type"]["rows"]}
        self.assertEqual(reporters, {"employee": "18", "temp": "< 5", "intern": "< 5"})
        # One small client count next to the total: the next-smallest is hidden too.
        roles = {r["key"]: r["cells"][str(YEAR)]["d"] for r in tables["accused_role"]["rows"]}
        self.assertEqual(roles, {"manager": "10", "colleague": "x", "client": "< 5"})
        # Referrals count every referral (rows add up to at least the cases), so a lone
        # small cell cannot be pinned from above and its neighbours stay published.
        referrals = {r["key"]: r["cells"][str(YEAR)]["d"] for r in tables["referral"]["rows"]}
        self.assertEqual(referrals["legal"], "< 5")
        self.assertEqual(referrals["company_doctor"], "7")
        self.assertEqual(figures["headline"][str(YEAR)]["carried"]["d"], "< 5")
        self.assertEqual(figures["headline"][str(YEAR)]["new"]["d"], "23")

    def test_publish_freezes_figures(self):
        report = self._new_report(narrative_advice="<p>Train team leaders</p>")
        with self.fake_source({YEAR: fake_counts()}):
            report.action_publish()
        frozen = report.sudo().figures_json
        self.assertEqual(report.state, "published")
        self.assertEqual(report.published_by_id, self.counsellor)
        # Retention destroys cases, or their metadata changes: the report does not move.
        with self.fake_source({YEAR: fake_counts(new=40, carried=0, pesten=9)}):
            self.assertEqual(report.sudo().figures_json, frozen)
            self.assertEqual(report._get_figures(), json.loads(frozen))
            self.assertIn(">23<", report.figures_html)

    def test_published_report_cannot_change(self):
        report = self._new_report()
        with self.fake_source({YEAR: fake_counts()}):
            report.action_publish()
            with self.assertRaisesRegex(UserError, "already published"):
                report.action_publish()
        with self.assertRaisesRegex(UserError, "New version"):
            report.write({"narrative_advice": "<p>changed</p>"})
        with self.assertRaisesRegex(UserError, "cannot be reopened"):
            report.action_reopen()
        with self.assertRaises(UserError):
            report.write({"state": "draft"})
        with self.assertRaises(UserError):
            report.unlink()

    def test_new_version_copies_narratives_and_keeps_hidden_cells_hidden(self):
        report = self._new_report(narrative_signals="<p>More bullying reports</p>")
        with self.fake_source({YEAR: fake_counts(pesten=3)}):
            report.action_publish()
        action = report.action_new_version()
        new = self.Report.browse(action["res_id"])
        self.assertEqual(new.previous_version_id, report)
        self.assertEqual(new.version, 2)
        self.assertEqual(new.state, "draft")
        self.assertIn("More bullying reports", new.narrative_signals)
        # Two more bullying cases found later: publishing 5 would tell that it was 3.
        with self.fake_source({YEAR: fake_counts(new=25, pesten=5)}):
            new.action_publish()
        tables = {t["key"]: t for t in self.figures_of(new)["tables"]}
        bullying = next(r for r in tables["category"]["rows"] if r["key"] == "bullying")
        self.assertTrue(bullying["cells"][str(YEAR)]["s"])
        self.assertIn("(v2)", new.name)

    def test_threshold_below_three_refused(self):
        with self.assertRaises(ValidationError):
            self._new_report(threshold=2)

    def test_earlier_years_shown_as_published(self):
        earlier = self._new_report(year=YEAR - 1)
        with self.fake_source(
            {YEAR - 1: fake_counts(new=30, pesten=6), YEAR - 2: fake_counts(new=12, pesten=2)}
        ):
            earlier.action_publish()
        report = self._new_report()
        # Data of the earlier years changed afterwards (retention, late registration):
        # the comparison keeps the figures as they were published, also for the year
        # that was only published as a comparison column; the year before that was
        # never shown and is computed (and fixed) now.
        with self.fake_source(
            {
                YEAR: fake_counts(),
                YEAR - 1: fake_counts(new=31, pesten=4),
                YEAR - 2: fake_counts(new=14, pesten=5),
                YEAR - 3: fake_counts(new=20, pesten=3),
            }
        ):
            figures = report._compute_figures()
        self.assertEqual(figures["sources"][str(YEAR - 1)], "published")
        self.assertEqual(figures["headline"][str(YEAR - 1)]["new"]["d"], "30")
        self.assertEqual(figures["headline"][str(YEAR - 2)]["new"]["d"], "12")
        tables = {t["key"]: t for t in figures["tables"]}
        bullying = next(r for r in tables["category"]["rows"] if r["key"] == "bullying")
        self.assertEqual(bullying["cells"][str(YEAR - 1)]["d"], "6")
        self.assertEqual(bullying["cells"][str(YEAR - 2)]["d"], "< 5")
        for cell in published_values(figures):
            self.assertFalse(cell["v"] and 0 < cell["v"] < figures["threshold"], cell)

    def test_awareness_time_and_signals_in_figures(self):
        Awareness = self.env["vp.awareness"].with_user(self.counsellor)
        Awareness.create(
            {
                "date": f"{YEAR}-03-04",
                "audience": "works_council",
                "topic": "Rol van de vertrouwenspersoon",
                "participants": 9,
                "duration": 1.5,
            }
        )
        Awareness.create(
            {
                "date": f"{YEAR}-05-04",
                "audience": "newcomers",
                "topic": "Introductie",
                "participants": 14,
                "duration": 1.0,
            }
        )
        Awareness.create({"date": f"{YEAR + 1}-01-10", "topic": "Next year", "duration": 2})
        signal = (
            self.env["vp.signal"]
            .with_user(self.counsellor)
            .create(
                {"date": f"{YEAR}-06-01", "subject": "Werkdruk op de nachtdienst", "text": "..."}
            )
        )
        signal.action_send()
        with self.assertRaises(UserError):
            signal.write({"text": "changed"})
        report = self._new_report()
        with self.fake_source({YEAR: fake_counts()}):
            figures = report._compute_figures()
        self.assertEqual(figures["awareness"]["activities"], 2)
        self.assertEqual(figures["awareness"]["participants"], 23)
        self.assertEqual(figures["awareness"]["hours"], 2.5)
        self.assertEqual(figures["signals"][0]["subject"], "Werkdruk op de nachtdienst")
        self.assertEqual(figures["time"]["guideline"], 104.0)

    def test_awareness_own_entries_only(self):
        mine = self.env["vp.awareness"].with_user(self.counsellor).create({"topic": "Mine"})
        theirs = self.env["vp.awareness"].with_user(self.counsellor2).search([])
        self.assertNotIn(mine, theirs)


@tagged("post_install", "-at_install")
class TestReportSuppressionOnReport(TransactionCase):
    def test_snapshot_cells_follow_engine(self):
        cells, total = rs.protect_rows([("a", "A", 4), ("b", "B", 30)], 5)
        self.assertEqual([c["cell"]["d"] for c in cells], ["< 5", "x"])
        self.assertEqual(total["d"], "34")


@tagged("post_install", "-at_install")
class TestAnnualReportOutputs(ReportUsersMixin, HttpCase):
    """The real files: wkhtmltopdf fetches the report assets over HTTP, hence HttpCase."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_report_users()

    def test_pdf_and_xlsx_hold_the_same_suppressed_figures(self):
        report = self._new_report(narrative_advice="<p>Train team leaders</p>")
        with self.fake_source({YEAR: fake_counts()}):
            report.action_publish()
        Actions = self.env["ir.actions.report"].with_user(self.director)
        pdf, kind = Actions.with_context(force_report_rendering=True)._render_qweb_pdf(
            "vertrouwenspersoon.vp_annual_report_action_pdf", report.ids
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        text = pdf_text(pdf)
        self.assertIn("Train team leaders", text)
        self.assertIn("< 5", text)
        self.assertIn("23", text)
        xlsx, kind = Actions._render_xlsx(
            "vertrouwenspersoon.vp_annual_report_action_xlsx", report.ids, data={}
        )
        sheets = xlsx_sheets(xlsx)
        self.assertGreaterEqual(len(sheets), 9, list(sheets))
        values = [v for rows in sheets.values() for row in rows for v in row if v is not None]
        self.assertIn("< 5", values)
        self.assertIn(23, values)
        # the note explains the rule, the joint protection of all reports included
        self.assertTrue(
            any("protected together" in str(v) or "beschermen we samen" in str(v) for v in values)
        )
        threshold = self.figures_of(report)["threshold"]
        # Only amounts and hours may be small numbers; the count sheets hold none.
        for title, rows in sheets.items():
            if title in self._count_sheet_titles(report):
                for row in rows:
                    for v in row[1:]:
                        self.assertFalse(
                            isinstance(v, int | float) and 0 < v < threshold, (title, row)
                        )

    def _count_sheet_titles(self, report):
        return {t[:31] for t in report._table_titles().values()}

    def test_pdf_is_dutch_when_dutch_is_installed(self):
        self.env["res.lang"]._activate_lang("nl_NL")
        self.env["ir.module.module"]._load_module_terms(
            ["vertrouwenspersoon"], ["nl_NL"], overwrite=True
        )
        self.director.lang = "en_US"  # the reader's own language does not matter
        report = self._new_report()
        with self.fake_source({YEAR: fake_counts()}):
            report.action_publish()
        pdf, _kind = (
            self.env["ir.actions.report"]
            .with_user(self.director)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("vertrouwenspersoon.vp_annual_report_action_pdf", report.ids)
        )
        text = pdf_text(pdf)
        self.assertIn("Kerncijfers", text)
        self.assertIn("Nieuwe meldingen", text)
        self.assertIn("vertrouwenspersoon over hetzelfde jaar beschermen we samen", text)
        self.assertIn("< 5", text)
