# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import io
from contextlib import contextmanager
from datetime import date
from unittest.mock import patch

import openpyxl
import psycopg2

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.vertrouwenspersoon.models.time.vp_time_summary import (
    elapsed_fraction,
    indicator_for,
)

from .common import COUNSELLOR, add_role_users, setup_vaults


class VpTimeCommon(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        add_role_users(cls, "vp_t", "counsellor", "functional_admin")
        cls.other_counsellor = new_test_user(cls.env, "vp_t_other", groups=COUNSELLOR)
        # a time entry's note is encrypted for its counsellor: they need a vault
        setup_vaults(cls, cls.counsellor, cls.other_counsellor, unlock=[cls.counsellor])
        cls.Entry = cls.env["vp.time.entry"].with_user(cls.counsellor)
        cls.year = date.today().year - 5  # a past year without demo budgets
        cls.budget = cls.env["vp.budget"].create(
            {"year": cls.year, "cost_category": "intervision", "amount": 600.0}
        )

    @contextmanager
    def assertRaisesRegex(self, exception, regex):
        """Like unittest's, but rolls back what the failed call wrote (as assertRaises)."""
        with super().assertRaisesRegex(exception, regex) as cm, self.env.cr.savepoint():
            yield cm

    def _entry(self, **vals):
        return self.Entry.create(
            {"date": date(self.year, 1, 8), "activity_type": "support", "hours": 1.0, **vals}
        )


@tagged("post_install", "-at_install")
class TestTimeEntry(VpTimeCommon):
    def test_defaults_to_current_counsellor(self):
        entry = self._entry(note="intake call")
        self.assertEqual(entry.counsellor_id, self.counsellor)
        self.assertEqual(entry.company_id, self.env.company)
        self.assertIn("1.0 h", entry.display_name)

    def test_hours_must_be_positive(self):
        for hours in (0.0, -1.0):
            with self.assertRaisesRegex(ValidationError, "more than zero"):
                self._entry(hours=hours)

    def test_hours_in_quarters(self):
        self.assertEqual(self._entry(hours=1.75).hours, 1.75)
        with self.assertRaisesRegex(ValidationError, "quarters"):
            self._entry(hours=1.1)
        entry = self._entry(hours=0.5)
        with self.assertRaisesRegex(ValidationError, "quarters"):
            entry.hours = 0.3

    def test_at_most_24_hours_per_day(self):
        self._entry(hours=20)
        self.Entry.create({"date": date(self.year, 1, 9), "activity_type": "travel", "hours": 8})
        with self.assertRaisesRegex(ValidationError, "More than 24 hours"):
            self._entry(hours=4.25, activity_type="travel")
        # exactly 24 is allowed; another counsellor's hours do not count
        self._entry(hours=4, activity_type="travel")
        self.env["vp.time.entry"].with_user(self.other_counsellor).create(
            {"date": date(self.year, 1, 8), "activity_type": "support", "hours": 5}
        )

    def test_published_year_is_frozen(self):
        """Create, write and unlink all ask whether the year's report is published."""
        entry = self._entry()
        expense = (
            self.env["vp.expense"]
            .with_user(self.counsellor)
            .create(
                {
                    "date": date(self.year, 2, 1),
                    "budget_id": self.budget.id,
                    "amount": 10,
                    "description": "book",
                }
            )
        )
        original = type(self.env["vp.published.year.mixin"])._check_year_not_published

        def frozen(model, year, company):
            if year == self.year:
                raise UserError(str(year))
            return original(model, year, company)

        with patch.object(
            type(self.env["vp.published.year.mixin"]), "_check_year_not_published", frozen
        ):
            with self.assertRaises(UserError):
                self._entry(date=date(self.year, 3, 1))
            with self.assertRaises(UserError):
                entry.hours = 2
            with self.assertRaises(UserError):
                entry.unlink()
            with self.assertRaises(UserError):
                expense.amount = 12
            with self.assertRaises(UserError):
                expense.unlink()
            # moving an entry of an open year into the frozen year is refused too
            old = self._entry(date=date(self.year - 1, 3, 1))
            with self.assertRaises(UserError):
                old.date = date(self.year, 3, 1)
            old.hours = 2  # the previous year is still open

    def test_published_annual_report_blocks_entries(self):
        if "vp.annual.report" not in self.env:
            # without the report model nothing is frozen
            self.env["vp.time.entry"]._check_year_not_published(self.year, self.env.company)
            self.skipTest("vp.annual.report not installed")
        report = self.env["vp.annual.report"].search(
            [("year", "=", self.year - 3), ("company_id", "=", self.env.company.id)]
        )
        if not report:
            report = self.env["vp.annual.report"].create(
                {"year": self.year - 3, "company_id": self.env.company.id}
            )
        report.write({"state": "published"})
        with self.assertRaisesRegex(UserError, "published"):
            self._entry(date=date(self.year - 3, 5, 5))


@tagged("post_install", "-at_install")
class TestGuideline(VpTimeCommon):
    def test_elapsed_fraction(self):
        self.assertEqual(elapsed_fraction(2023, date(2024, 6, 1)), 1.0)
        self.assertEqual(elapsed_fraction(2025, date(2024, 6, 1)), 0.0)
        self.assertAlmostEqual(elapsed_fraction(2023, date(2023, 7, 2)), 183 / 365)
        self.assertAlmostEqual(elapsed_fraction(2024, date(2024, 12, 31)), 1.0)

    def test_indicator_thresholds(self):
        self.assertEqual(indicator_for(0.49), "far_below")
        self.assertEqual(indicator_for(0.5), "below")
        self.assertEqual(indicator_for(1.0), "on_track")
        self.assertEqual(indicator_for(1.3), "above")
        self.assertEqual(indicator_for(1.51), "far_above")

    def _line(self, user, year, today):
        self.env.flush_all()
        self.env.invalidate_all()
        return (
            self.env["vp.time.guideline"]
            .with_user(user)
            .with_context(vp_today=today)
            .search([("year", "=", year)])
        )

    def test_guideline_pro_rata(self):
        """2 h/week, a year of 52 weeks (104 h, as in the annual report): on 1 July 2023
        (182 days of 365) the guideline is 104 * 182/365 h."""
        for month in (1, 3, 6):
            self._entry(date=date(2023, month, 2), hours=5)
        line = self._line(self.counsellor, 2023, date(2023, 7, 1))
        self.assertEqual(len(line), 1)
        self.assertEqual(line.hours, 15)
        self.assertAlmostEqual(line.guideline_year_hours, 104.0, places=2)
        self.assertAlmostEqual(line.guideline_hours, 104 * 182 / 365, places=2)
        self.assertEqual(line.indicator, "far_below")  # 15 of 51.9 hours
        self.assertAlmostEqual(line.guideline_ratio, 15 / (104 * 182 / 365) * 100, places=0)
        # early in the year the same hours are far above the guideline
        self.assertEqual(
            self._line(self.counsellor, 2023, date(2023, 1, 31)).indicator, "far_above"
        )
        # a past year counts in full: 15 of 104 hours
        full = self._line(self.counsellor, 2023, date(2024, 3, 1))
        self.assertAlmostEqual(full.guideline_hours, 104.0, places=2)

    def test_guideline_configurable_and_contract(self):
        self._entry(date=date(2023, 1, 2), hours=20)
        self.env["ir.config_parameter"].sudo().set_param(
            "vertrouwenspersoon.guideline_hours_per_week", "4"
        )
        line = self._line(self.counsellor, 2023, date(2023, 12, 31))
        self.assertAlmostEqual(line.guideline_year_hours, 4 * 52, places=2)
        # an external counsellor's contracted hours replace the guideline
        self.env["vp.counsellor.contract"].create(
            {
                "counsellor_id": self.counsellor.id,
                "year": 2023,
                "hourly_rate": 95,
                "contract_hours": 20,
            }
        )
        line = self._line(self.counsellor, 2023, date(2023, 12, 31))
        self.assertEqual(line.guideline_year_hours, 20)
        self.assertEqual(line.indicator, "on_track")

    def test_monthly_totals(self):
        self._entry(date=date(2023, 3, 2), hours=1.5)
        self._entry(date=date(2023, 3, 20), hours=1)
        self._entry(date=date(2023, 3, 21), hours=1, activity_type="travel")
        self.env.flush_all()
        rows = (
            self.env["vp.time.summary"]
            .with_user(self.functional_admin)
            .search([("counsellor_id", "=", self.counsellor.id), ("year", "=", 2023)])
        )
        self.assertEqual(
            sorted((r.date, r.activity_type, r.hours) for r in rows),
            [(date(2023, 3, 1), "support", 2.5), (date(2023, 3, 1), "travel", 1.0)],
        )


@tagged("post_install", "-at_install")
class TestBudget(VpTimeCommon):
    def _expense(self, user=None, **vals):
        return (
            self.env["vp.expense"]
            .with_user(user or self.counsellor)
            .create(
                {
                    "date": date(self.year, 1, 10),
                    "budget_id": self.budget.id,
                    "amount": 150.0,
                    "description": "Intervision session",
                    **vals,
                }
            )
        )

    def test_spent_versus_planned(self):
        self._expense()
        self._expense(user=self.other_counsellor, amount=300.0)
        budget = self.budget.with_user(self.functional_admin)
        budget.invalidate_recordset()
        self.assertEqual(budget.amount_spent, 450.0)
        self.assertEqual(budget.amount_remaining, 150.0)
        self.assertEqual(budget.progress, 75.0)
        # the budget list groups by year and sums spent and remaining per year
        groups = budget.read_group(
            [("id", "=", budget.id)], ["amount_spent:sum", "amount_remaining:sum"], ["year_label"]
        )
        self.assertEqual(
            (groups[0]["year_label"], groups[0]["amount_spent"], groups[0]["amount_remaining"]),
            (str(self.year), 450.0, 150.0),
        )
        # a changed expense moves the stored totals
        self.env["vp.expense"].search([("budget_id", "=", budget.id)], limit=1).amount += 50.0
        budget.invalidate_recordset()
        self.assertEqual(budget.amount_spent, 500.0)

    def test_expense_needs_amount(self):
        for amount in (0.0, -5.0):
            with self.assertRaisesRegex(ValidationError, "amount above zero"):
                self._expense(amount=amount)

    def test_expense_on_budget_of_its_year(self):
        with self.assertRaisesRegex(ValidationError, "budget of"):
            self._expense(date=date(self.year - 1, 12, 31))

    def test_one_budget_per_year_and_category(self):
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.IntegrityError),
            self.env.cr.savepoint(),
        ):
            self.env["vp.budget"].create(
                {"year": self.year, "cost_category": "intervision", "amount": 1.0}
            )

    def test_receipt_stays_out_of_the_filestore(self):
        expense = self._expense(receipt=b"UERGLTEuNA==", receipt_filename="bon.pdf")
        self.assertFalse(
            self.env["ir.attachment"]
            .sudo()
            .search([("res_model", "=", "vp.expense"), ("res_id", "=", expense.id)])
        )
        self.assertEqual(expense.receipt, b"UERGLTEuNA==")


@tagged("post_install", "-at_install")
class TestStatement(VpTimeCommon):
    def _statement(self, user, **vals):
        return (
            self.env["vp.time.statement"]
            .with_user(user)
            .create({"counsellor_id": self.counsellor.id, "year": 2023, "month": "3", **vals})
        )

    def _workbook(self, statement):
        report = self.env.ref("vertrouwenspersoon.vp_time_statement_xlsx")
        content, kind = (
            self.env["ir.actions.report"]
            .with_user(statement.env.user)
            ._render_xlsx(report.report_name, statement.ids, None)
        )
        self.assertEqual(kind, "xlsx")
        return openpyxl.load_workbook(io.BytesIO(content))

    def test_statement_hours_per_activity_without_case_detail(self):
        self.env["vp.counsellor.contract"].create(
            {
                "counsellor_id": self.counsellor.id,
                "year": 2023,
                "hourly_rate": 95,
                "contract_hours": 80,
            }
        )
        self._entry(date=date(2023, 3, 2), hours=1.5, note="SECRET-NOTE about Jan")
        self._entry(date=date(2023, 3, 31), hours=1)
        self._entry(date=date(2023, 3, 15), hours=0.75, activity_type="travel")
        self._entry(date=date(2023, 4, 1), hours=3)  # next month: not on this statement
        self.env["vp.time.entry"].with_user(self.other_counsellor).create(
            {"date": date(2023, 3, 2), "activity_type": "support", "hours": 7}
        )
        sheet = self._workbook(self._statement(self.functional_admin)).active
        rows = [tuple(c for c in row) for row in sheet.iter_rows(values_only=True)]
        values = {row[0]: row[1] for row in rows if row[0]}
        self.assertEqual(values["Counsellor"], self.counsellor.name)
        self.assertEqual(values["Support and guidance"], 2.5)
        self.assertEqual(values["Travel time"], 0.75)
        self.assertEqual(values["Advice to management"], 0)
        self.assertEqual(values["Total"], 3.25)
        self.assertEqual(values["Hourly rate"], 95)
        self.assertEqual(values["Amount"], 308.75)
        text = " ".join(str(c) for row in rows for c in row if c is not None)
        self.assertNotIn("SECRET", text)
        self.assertEqual(len([r for r in rows if r[0]]), 4 + 1 + 7 + 1 + 2)

    def test_counsellor_prints_own_statement_only(self):
        self._entry(date=date(2023, 3, 2), hours=2)
        sheet = self._workbook(self._statement(self.counsellor)).active
        self.assertIn(2.0, [row[1] for row in sheet.iter_rows(values_only=True)])
        with self.assertRaises(AccessError):
            statement = self._statement(self.other_counsellor)
            statement.action_print()


@tagged("post_install", "-at_install")
class TestTimeDemo(TransactionCase):
    """The demo shows what a counsellor would see after a year and a half."""

    def test_demo_time_is_plausible(self):
        counsellors = [
            self.env.ref(f"vertrouwenspersoon.{xmlid}", raise_if_not_found=False)
            for xmlid in ("vp_user_counsellor_internal", "vp_user_counsellor_external")
        ]
        if not all(counsellors):
            self.skipTest("demo data not loaded")
        for user in counsellors:
            entries = self.env["vp.time.entry"].with_user(user).search([])
            weeks = (max(entries.mapped("date")) - min(entries.mapped("date"))).days / 7
            self.assertGreater(weeks, 70, user.name)
            per_week = sum(entries.mapped("hours")) / weeks
            self.assertTrue(1.5 < per_week < 2.6, f"{user.name}: {per_week:.2f} h/week")
            self.assertTrue(entries.filtered("case_id"), "contact moments registered as time")
        contract = self.env.ref("vertrouwenspersoon.vp_counsellor_contract_demo_external")
        self.assertEqual(contract.hourly_rate, 95)
        budgets = self.env["vp.budget"].search([])
        self.assertEqual(set(budgets.mapped("year")), {date.today().year - 1, date.today().year})
        self.assertTrue(all(b.amount_spent <= b.amount for b in budgets))
        # a Dutch organisation: amounts in euros, not the dollars of a bare database
        self.assertEqual(set(budgets.mapped("currency_id.name")), {"EUR"})


@tagged("post_install", "-at_install")
class TestTimeViews(VpTimeCommon):
    def test_menus_open_for_their_role(self):
        """Every view of the time and budget menus loads for the role the menu is for."""
        menus = {
            self.counsellor: "vertrouwenspersoon.menu_vp_time",
            self.functional_admin: "vertrouwenspersoon.menu_vp_admin_time",
        }
        for user, menu_xmlid in menus.items():
            visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            children = self.env.ref(menu_xmlid).child_id
            self.assertGreaterEqual(len(children), 4)
            for menu in children:
                self.assertIn(menu.id, visible, menu.name)
                action = menu.action.sudo()
                modes = [(False, mode) for mode in action.view_mode.split(",")]
                views = self.env[action.res_model].with_user(user).get_views(modes)
                self.assertEqual(len(views["views"]), len(modes), action.name)

    def test_dutch_labels(self):
        self.env["res.lang"]._activate_lang("nl_NL")
        self.env["ir.module.module"]._load_module_terms(["vertrouwenspersoon"], ["nl_NL"])
        Entry = self.env["vp.time.entry"].with_context(lang="nl_NL")
        labels = dict(Entry._fields["activity_type"]._description_selection(Entry.env))
        self.assertEqual(labels["support"], "Opvang en begeleiding")
        self.assertEqual(
            labels["network"],
            "Overleg met samenwerkingspartners (arbodienst, bedrijfsarts, OR)",
        )
        Budget = self.env["vp.budget"].with_context(lang="nl_NL")
        labels = dict(Budget._fields["cost_category"]._description_selection(Budget.env))
        self.assertEqual(labels["outside_meeting"], "Gesprek buiten de organisatie")
