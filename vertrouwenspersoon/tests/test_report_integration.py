# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The annual report on real cases, time entries and budgets (metadata only)."""

import json

from odoo.tests import TransactionCase, tagged

from .common import setup_vaults
from .common_report import YEAR, ReportUsersMixin, published_values

SECRET = "Geheime verklaring Zeldzaamnaam"


@tagged("post_install", "-at_install")
class TestReportOnCases(ReportUsersMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_report_users()
        # case content is encrypted for its counsellor, who therefore needs a vault
        setup_vaults(cls, cls.counsellor, cls.counsellor2)
        ref = cls.env.ref
        bullying = ref("vertrouwenspersoon.vp_category_bullying")
        aggression = ref("vertrouwenspersoon.vp_category_aggression")
        intimidation = ref("vertrouwenspersoon.vp_category_intimidation")
        Case = cls.env["vp.case"].sudo()
        values = []
        # 12 new cases in YEAR: 8 aggression, 3 bullying (one also aggression), 2 intimidation.
        for i in range(12):
            categories = aggression if i < 8 else (bullying if i < 11 else intimidation)
            if i == 7:
                categories |= bullying
            if i == 11:
                categories |= intimidation
            values.append(
                {
                    "counsellor_id": cls.counsellor.id if i % 2 else cls.counsellor2.id,
                    "date_intake": f"{YEAR}-{1 + i % 12:02d}-10",
                    "reporter_type": "employee" if i < 10 else "temp",
                    "accused_role": "client" if i < 6 else "colleague",
                    "route": "informal" if i < 9 else "listening",
                    "category_ids": [(6, 0, categories.ids)],
                    "melder_name": "Melder Zeldzaamnaam",
                    "description": SECRET,
                }
            )
        # two carried over from the year before (one closed in YEAR), one closed before
        values += [
            {"counsellor_id": cls.counsellor.id, "date_intake": f"{YEAR - 1}-11-01"},
            {"counsellor_id": cls.counsellor.id, "date_intake": f"{YEAR - 1}-12-01"},
            {"counsellor_id": cls.counsellor.id, "date_intake": f"{YEAR - 1}-03-01"},
        ]
        cls.cases = Case.create(values)
        closed = cls.cases[:6] | cls.cases[13] | cls.cases[14]
        closed.write({"outcome": "resolved"})
        closed.write({"state": "closed"})
        for case, day in zip(closed, ["-03-01"] * 6 + ["-02-01", "-05-01"], strict=True):
            year = YEAR - 1 if case == cls.cases[14] else YEAR
            case.date_closed = f"{year}{day}"
        for case in cls.cases[:12]:
            cls.env["vp.case.contact"].sudo().create(
                {"case_id": case.id, "date": f"{YEAR}-06-01 10:00:00", "duration": 1.5}
            )

    def _tables(self, figures):
        return {t["key"]: {r["key"]: r for r in t["rows"]} for t in figures["tables"]}

    def test_company_figures_from_case_metadata(self):
        report = self._new_report()
        figures = report._compute_figures()
        year = str(YEAR)
        self.assertEqual(figures["headline"][year]["new"]["d"], "12")
        self.assertEqual(figures["headline"][year]["carried"]["d"], "< 5")
        tables = self._tables(figures)
        # Each counsellor has 4 aggression cases, shown as "< 5" in their own report:
        # next to an organisation figure of 8 both would be exactly 4, so it is hidden.
        self.assertEqual(tables["category"]["agressie_geweld"]["cells"][year]["d"], "x")
        self.assertEqual(tables["category"]["pesten"]["cells"][year]["d"], "< 5")
        self.assertEqual(tables["category"]["intimidatie"]["cells"][year]["d"], "< 5")
        self.assertEqual(tables["outcome"]["resolved"]["cells"][year]["d"], "6")
        self.assertEqual(tables["outcome"]["open"]["cells"][year]["d"], "6")
        self.assertEqual(figures["contacts"]["count"]["d"], "12")
        self.assertEqual(figures["contacts"]["hours"], 18.0)
        threshold = figures["threshold"]
        for cell in published_values(figures):
            self.assertFalse(cell["v"] and 0 < cell["v"] < threshold, cell)
        self.assertNotIn("Zeldzaamnaam", json.dumps(figures))

    def test_counsellor_scope_counts_own_cases_only(self):
        report = self._new_report(scope="counsellor")
        figures = report._compute_figures()
        self.assertEqual(figures["headline"][str(YEAR)]["new"]["d"], "6")

    def test_retention_never_changes_a_published_report(self):
        report = self._new_report()
        report.action_publish()
        frozen = report.sudo().figures_json
        pdf_values = report._render_values()["figures"]
        # Retention destroys the content; metadata is corrected afterwards; a case is
        # even deleted outright by a superuser.
        closed = self.cases.filtered(lambda c: c.state == "closed")
        closed._retention_destroy()
        self.cases[6].sudo().write(
            {"category_ids": [(6, 0, self.env.ref("vertrouwenspersoon.vp_category_other").ids)]}
        )
        self.cases[7].sudo().date_intake = f"{YEAR + 1}-01-05"
        self.env.invalidate_all()
        self.assertNotEqual(
            report._query_cover_counts(YEAR),
            json.loads(
                self.env["vp.annual.report.year"].sudo().search([("year", "=", YEAR)]).counts_json
            ),
        )
        # the year's figures are fixed: a new computation shows the published ones
        self.assertEqual(report._compute_figures()["headline"], pdf_values["headline"])
        self.assertEqual(report.sudo().figures_json, frozen)
        self.assertEqual(report._render_values()["figures"], json.loads(frozen))

    def test_time_and_budget_in_figures(self):
        if "vp.time.entry" not in self.env:
            self.skipTest("time registration not installed")
        Entry = self.env["vp.time.entry"].sudo()
        Entry.create(
            [
                {
                    "date": f"{YEAR}-03-0{1 + i}",
                    "counsellor_id": self.counsellor.id,
                    "activity_type": activity,
                    "hours": 2.0,
                }
                for i, activity in enumerate(["support", "support", "prevention"])
            ]
        )
        budget = (
            self.env["vp.budget"]
            .sudo()
            .create({"year": YEAR, "cost_category": "further_training", "amount": 1500})
        )
        self.env["vp.expense"].sudo().create(
            {
                "date": f"{YEAR}-04-01",
                "budget_id": budget.id,
                "amount": 600,
                "description": "Opleiding",
                "counsellor_id": self.counsellor.id,
            }
        )
        figures = self._new_report()._compute_figures()
        hours = {r["key"]: r["hours"] for r in figures["time"]["rows"]}
        self.assertEqual(hours, {"support": 4.0, "prevention": 2.0})
        self.assertEqual(figures["time"]["guideline"], 104.0)
        rows = {r["key"]: r for r in figures["budget"]["rows"]}
        self.assertEqual(rows["further_training"]["planned"], 1500.0)
        self.assertEqual(rows["further_training"]["spent"], 600.0)
        self.assertNotIn("counsellor", json.dumps(figures["budget"]))
