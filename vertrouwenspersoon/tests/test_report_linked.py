# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Reports that cannot be combined: the organisation's and the counsellors' reports of a
year are linked tables, protected together and checked by an independent auditor."""

import json
import unittest
from contextlib import contextmanager
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import BaseCase, TransactionCase, new_test_user, tagged

from ..models.report.vp_annual_report import COUNT_TABLES
from ..tools import report_disclosure_audit as auditor
from ..tools import report_linked as rl
from .common_report import YEAR, ReportUsersMixin

try:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover - hypothesis is a dev requirement
    st = None

MODES = dict(COUNT_TABLES)
ROWS = {
    "category": ["pesten", "intimidatie", "discriminatie"],
    "reporter_type": ["employee", "temp", "intern"],
    "accused_role": ["manager", "colleague"],
    "route": ["listening", "informal", "formal_complaint"],
    "referral": ["company_doctor", "legal", "none"],
    "outcome": ["resolved", "partly_resolved", "open"],
}


def counts(new, carried=0, contacts=0, **tables):
    """Counts of one counsellor in the shape of ``_query_cover_counts``."""
    return {
        "new": new,
        "carried": carried,
        "contacts": contacts,
        "hours": 1.5 * contacts,
        "tables": {key: dict(tables.get(key, {})) for key in MODES},
    }


def issue_example():
    """The issue's example: 6 cases of bullying, 5 of counsellor A, 1 of counsellor B.

    All cases are employees' and referred nowhere; in each two-row table the second row
    holds the rest of the counsellor's new cases.
    """
    return tuple(
        counts(
            new,
            carried=carried,
            contacts=contacts,
            category={"pesten": bullying, "intimidatie": new - bullying},
            reporter_type={"employee": new},
            accused_role={"manager": managers, "colleague": new - managers},
            route={"listening": listening, "informal": new - listening},
            referral={"none": new},
            outcome={"resolved": resolved, "open": new - resolved},
        )
        # new, carried, contacts, bullying, managers, listening, resolved
        for new, carried, contacts, bullying, managers, listening, resolved in (
            (20, 6, 40, 5, 8, 9, 12),  # counsellor A
            (9, 5, 18, 1, 3, 4, 6),  # counsellor B
        )
    )


def figures_of(year, column, threshold):
    """One year of a report, as ``figures_json`` holds it (for the pure tests)."""
    y = str(year)
    return {
        "year": year,
        "years": [y],
        "threshold": threshold,
        "headline": {y: {"new": column["new"], "carried": column["carried"]}},
        "contacts": {"count": column["contacts"], "hours": column["hours"]},
        "tables": [
            {
                "key": key,
                "rows": [
                    {"key": r, "label": r, "cells": {y: cell}}
                    for r, cell in column["tables"][key]["cells"].items()
                ],
                "total": {y: column["tables"][key]["total"]},
                "hidden": {y: column["tables"][key]["hidden"]},
            }
            for key in column["tables"]
        ],
    }


@tagged("post_install", "-at_install")
class TestLinkedTablesPure(BaseCase):
    """The engine and the auditor without a database."""

    def test_per_report_suppression_lets_the_board_subtract(self):
        # What the single-report engine did: every report protected on its own.
        a, b = issue_example()
        cover = rl.Cover({"A": a, "B": b}, 5, COUNT_TABLES)  # first pass only
        columns = cover.columns()
        self.assertEqual(columns["org"]["tables"]["category"]["cells"]["pesten"]["d"], "6")
        self.assertEqual(columns["A"]["tables"]["category"]["cells"]["pesten"]["d"], "5")
        reports = [(s, figures_of(2020, columns[s], 5)) for s in ("org", "A", "B")]
        _ranges, leaks = auditor.audit(reports, ["A", "B"], MODES, 5)
        self.assertEqual(leaks.get((2020, "category", "pesten", "B")), 1, leaks)

    def test_joint_suppression_leaves_nothing_to_subtract(self):
        a, b = issue_example()
        columns = rl.protect_year({"A": a, "B": b}, 5, COUNT_TABLES)
        reports = [(s, figures_of(2020, columns[s], 5)) for s in ("org", "A", "B")]
        ranges, leaks = auditor.audit(reports, ["A", "B"], MODES, 5)
        self.assertEqual(leaks, {})
        low, high = ranges[2020, "category", "pesten", "B"]
        self.assertLess(low, high)
        shown = {s: columns[s]["tables"]["category"]["cells"]["pesten"]["d"] for s in columns}
        self.assertEqual(shown["B"], "< 5")
        self.assertFalse(shown["org"].isdigit() and shown["A"].isdigit(), shown)

    def test_auditor_finds_counts_that_add_up_exactly(self):
        # Two counsellors with 4 each ("< 5") next to an organisation figure of 8.
        cell = {"d": "< 5"}
        org = {"d": "8"}
        column = {"carried": {"d": "0"}, "contacts": {"d": "0"}, "hours": 0.0}
        columns = {s: json.loads(json.dumps(column)) for s in ("A", "B", "org")}
        for s in ("A", "B"):
            columns[s]["new"] = {"d": "x"}
            columns[s]["tables"] = {
                "route": {
                    "cells": {"informal": cell, "listening": {"d": "x"}},
                    "total": {"d": "x"},
                    "hidden": False,
                }
            }
        columns["org"]["new"] = {"d": "20"}
        columns["org"]["tables"] = {
            "route": {
                "cells": {"informal": org, "listening": {"d": "12"}},
                "total": {"d": "20"},
                "hidden": False,
            }
        }
        reports = [(s, figures_of(2020, columns[s], 5)) for s in columns]
        _ranges, leaks = auditor.audit(reports, ["A", "B"], {"route": "partition"}, 5)
        self.assertEqual(leaks.get((2020, "route", "informal", "A")), 4, leaks)


if st is not None:

    def property_settings(max_examples):
        """``max_examples`` examples, the same ones on every run, without a deadline."""
        return settings(
            max_examples=max_examples,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )

    @st.composite
    def organisations(draw, max_counsellors=6):
        """2..6 counsellors with random cases per category, reporter, route, ..."""
        size = draw(st.integers(min_value=2, max_value=max_counsellors))
        result = {}
        for c in range(size):
            new = draw(st.sampled_from([0, 1, 2, 3, 4, 5, 6, 8, 12, 20]))
            tables = {}
            for key, mode in COUNT_TABLES:
                rows = ROWS[key]
                picks = draw(
                    st.lists(
                        st.sampled_from(rows),
                        min_size=new if mode == "partition" else 0,
                        max_size=new if mode == "partition" else new + 3,
                    )
                )
                if mode == "multi":
                    picks += rows[-1:] * max(0, new - len(picks))  # every case counts once
                table = {}
                for row in picks:
                    table[row] = table.get(row, 0) + 1
                if mode == "multi":
                    table = {r: min(v, new) for r, v in table.items()}
                tables[key] = table
            result[str(c)] = counts(
                new,
                carried=draw(st.integers(min_value=0, max_value=7)),
                contacts=draw(st.integers(min_value=0, max_value=12)),
                **tables,
            )
        return result

    @tagged("post_install", "-at_install")
    class TestLinkedTablesProperties(BaseCase):
        @property_settings(20)
        @given(
            organisation=organisations(),
            threshold=st.sampled_from([3, 5]),
            data=st.data(),
        )
        def test_no_published_combination_pins_a_count(self, organisation, threshold, data):
            columns = rl.protect_year(organisation, threshold, COUNT_TABLES)
            scopes = data.draw(st.permutations(sorted(columns)))
            published = scopes[: data.draw(st.integers(min_value=1, max_value=len(scopes)))]
            reports = [(s, figures_of(2020, columns[s], threshold)) for s in published]
            _ranges, leaks = auditor.audit(reports, list(organisation), MODES, threshold)
            self.assertEqual(leaks, {}, published)
            for column in columns.values():
                for table in column["tables"].values():
                    for cell in table["cells"].values():
                        self.assertFalse(cell["v"] and 0 < cell["v"] < threshold, cell)

else:  # pragma: no cover

    @tagged("post_install", "-at_install")
    class TestLinkedTablesProperties(BaseCase):
        @unittest.skip("hypothesis is not installed")
        def test_properties(self):
            pass


class LinkedReportsMixin(ReportUsersMixin):
    @classmethod
    def _setup_linked(cls):
        cls._setup_report_users()
        group = "vertrouwenspersoon.group_vp_counsellor"
        cls.pool = [cls.counsellor, cls.counsellor2] + [
            new_test_user(cls.env, f"vp_l_counsellor{i}", groups=group) for i in range(4)
        ]

    @contextmanager
    def cover_source(self, by_year):
        """Serve counts per counsellor: {year: {user: counts}}."""
        model_class = type(self.env["vp.annual.report"])
        empty = counts(0)

        def cover(record, year):
            return {str(user.id): c for user, c in by_year.get(year, {}).items()}

        def own(record, year):
            return by_year.get(year, {}).get(record.counsellor_id, empty)

        with (
            patch.object(model_class, "_query_cover_counts", cover),
            patch.object(model_class, "_query_case_counts", own),
        ):
            yield

    def _report(self, scope, user, year=YEAR, **values):
        return self.Report.with_user(user).create(
            {"year": year, "scope": scope, "counsellor_id": user.id, **values}
        )

    def _published(self):
        """Every published report of the company as the board reads it: (scope, figures)."""
        reports = self.Report.with_user(self.director).search(
            [("state", "=", "published"), ("year", "<=", YEAR + 2)]  # no demo reports
        )
        return [
            ("org" if r.scope == "company" else str(r.counsellor_id.id), r._get_figures())
            for r in reports
        ]


@tagged("post_install", "-at_install")
class TestLinkedReports(LinkedReportsMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_linked()

    def _issue_source(self):
        a, b = issue_example()
        return self.cover_source({YEAR: {self.counsellor: a, self.counsellor2: b}})

    def _check_issue_example(self, order):
        with self._issue_source():
            reports = {
                "org": self._report("company", self.counsellor),
                "A": self._report("counsellor", self.counsellor),
                "B": self._report("counsellor", self.counsellor2),
            }
            for key in order:
                reports[key].with_user(reports[key].counsellor_id).action_publish()
        published = self._published()
        self.assertEqual(len(published), 3)
        counsellors = [str(self.counsellor.id), str(self.counsellor2.id)]
        ranges, leaks = auditor.audit(published, counsellors, MODES, 5)
        self.assertEqual(leaks, {})
        low, high = ranges[YEAR, "category", "pesten", str(self.counsellor2.id)]
        self.assertLess(low, high, "the board cannot calculate B's bullying cases")
        return {
            key: self.figures_of(report)["tables"][0]["rows"] for key, report in reports.items()
        }

    def test_issue_example_organisation_first(self):
        shown = self._check_issue_example(["org", "A", "B"])
        pesten = {k: next(r for r in rows if r["key"] == "pesten") for k, rows in shown.items()}
        self.assertEqual(pesten["B"]["cells"][str(YEAR)]["d"], "< 5")
        self.assertNotEqual(pesten["org"]["cells"][str(YEAR)]["d"], "6")

    def test_issue_example_counsellors_first(self):
        savepoint = self.env.cr.savepoint()
        try:
            earlier = self._check_issue_example(["org", "A", "B"])
        finally:
            savepoint.close(rollback=True)
            self.env.invalidate_all()
        later = self._check_issue_example(["B", "A", "org"])
        self.assertEqual(later, earlier, "the order of publication changes nothing")

    def test_refused_with_a_reason_when_nothing_protects(self):
        report = self._report("company", self.counsellor)

        def impossible(cover):
            raise rl.ProtectionImpossible("route", "informal", rl.ORG)

        with (
            self._issue_source(),
            patch.object(rl.Cover, "protect", impossible),
            self.assertRaisesRegex(UserError, "cannot be published safely.*Cases by route"),
        ):
            report.action_publish()
        self.assertEqual(report.state, "draft")
        self.assertFalse(self.env["vp.annual.report.year"].sudo().search([("year", "=", YEAR)]))

    def test_a_year_keeps_its_threshold(self):
        with self._issue_source():
            self._report("company", self.counsellor).action_publish()
            other = self._report("counsellor", self.counsellor2, threshold=6)
            with self.assertRaisesRegex(UserError, "fixed with threshold 5"):
                other.with_user(self.counsellor2).action_publish()
        self.assertEqual(other.state, "draft")

    @freeze_time("2026-06-15")  # mid-year: the current year is open on any day
    def test_open_year_cannot_be_published(self):
        this_year = 2026
        report = self._report("counsellor", self.counsellor, year=this_year)
        with self._issue_source(), self.assertRaisesRegex(UserError, "once the year is over"):
            report.action_publish()

    @freeze_time("2026-06-15")  # mid-year: the current year is open on any day
    def test_organisation_draft_is_no_live_window(self):
        """A colleague's new case must not show up in the organisation's draft."""
        this_year = 2026
        open_draft = self._report("company", self.counsellor, year=this_year)
        self.assertIn("available once the year is over", open_draft.figures_html)
        with self.assertRaisesRegex(UserError, "available once"):
            open_draft._get_figures()
        a, b = issue_example()
        draft = self._report("company", self.counsellor)
        with self.cover_source({YEAR: {self.counsellor: a, self.counsellor2: b}}):
            self.assertIn("Compute figures", draft.figures_html)
            draft.with_user(self.counsellor).action_fix_figures()
            before = draft._get_figures()
            html = draft.figures_html
        # counsellor 2 registers a late case: a temp reporter, formal complaint
        b2 = json.loads(json.dumps(b))
        b2["new"] += 1
        b2["tables"]["reporter_type"]["temp"] = 1
        b2["tables"]["route"]["formal_complaint"] = 1
        with self.cover_source({YEAR: {self.counsellor: a, self.counsellor2: b2}}):
            draft.invalidate_recordset(["figures_html"])
            self.assertEqual(draft._get_figures(), before)
            self.assertEqual(draft.figures_html, html)
            # ... and the fixed figures are what every later report of the year shows
            report = self._report("counsellor", self.counsellor2)
            report.with_user(self.counsellor2).action_publish()
        self.assertEqual(self.figures_of(report)["headline"][str(YEAR)]["new"]["d"], "9")

    def test_fixed_counts_are_readable_by_nobody(self):
        """The true counts per counsellor behind a fixed year stay on the server."""
        with self._issue_source():
            self._report("company", self.counsellor).action_publish()
        Year = self.env["vp.annual.report.year"]
        self.assertTrue(Year.sudo().search([("year", "=", YEAR)]).counts_json)
        for user in (self.counsellor, self.director, self.functional_admin, self.settings_admin):
            with self.assertRaises(AccessError):
                Year.with_user(user).search_read([], ["counts_json"])

    def test_hours_cannot_be_subtracted(self):
        a, b = issue_example()
        b["contacts"], b["hours"] = 3, 4.5  # "< 5" contact moments
        with self.cover_source({YEAR: {self.counsellor: a, self.counsellor2: b}}):
            for scope, user in (("company", self.counsellor), ("counsellor", self.counsellor)):
                self._report(scope, user).with_user(user).action_publish()
        hours = [figures["contacts"]["hours"] for _scope, figures in self._published()]
        self.assertIn(None, hours, "org hours minus A's hours would give B's hours")


if st is not None:

    @tagged("post_install", "-at_install")
    class TestLinkedReportsProperties(LinkedReportsMixin, TransactionCase):
        """Random organisations, publication orders and new versions, through Odoo."""

        @classmethod
        def setUpClass(cls):
            super().setUpClass()
            cls._setup_linked()

        @property_settings(8)
        @given(organisation=organisations(), data=st.data())
        def test_published_reports_pin_nothing(self, organisation, data):
            users = self.pool[: len(organisation)]
            by_user = dict(zip(users, organisation.values(), strict=False))
            scopes = [("company", users[0])] + [("counsellor", u) for u in users]
            order = data.draw(st.permutations(scopes))
            order = order[: data.draw(st.integers(min_value=1, max_value=len(order)))]
            versions = data.draw(st.lists(st.sampled_from(range(len(order))), max_size=2))
            savepoint = self.env.cr.savepoint()
            try:
                with self.cover_source({YEAR: by_user, YEAR - 1: by_user}):
                    published = []
                    for scope, user in order:
                        report = self._report(scope, user)
                        report.with_user(user).action_publish()
                        published.append(report)
                    for index in versions:
                        old = published[index]
                        action = old.with_user(old.counsellor_id).action_new_version()
                        new = self.Report.browse(action["res_id"])
                        new.with_user(new.counsellor_id).action_publish()
                counsellors = [str(u.id) for u in users]
                _ranges, leaks = auditor.audit(self._published(), counsellors, MODES, 5)
                self.assertEqual(leaks, {}, order)
            finally:
                savepoint.close(rollback=True)
                self.env.invalidate_all()
