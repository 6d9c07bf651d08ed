# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import json
from datetime import date

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ...tools import report_chart as chart
from ...tools import report_format as fmt
from ...tools import report_linked as rl
from ...tools import report_suppression as rs
from ..res_config_settings import WEEKS_PER_YEAR

# Count tables of the report: key, kind of table. "partition": every new case counts in
# exactly one row; "multi": a case counts in every row that applies to it.
COUNT_TABLES = [
    ("category", "multi"),
    ("reporter_type", "partition"),
    ("accused_role", "partition"),
    ("route", "partition"),
    ("referral", "multi"),
    ("outcome", "partition"),
]

NARRATIVE_FIELDS = [
    "narrative_signals",
    "narrative_advice",
    "narrative_awareness",
    "narrative_developments",
    "narrative_rie",
]


class VpAnnualReport(models.Model):
    """The counsellor's anonymised annual report (jaarverslag) to the board.

    Figures are computed from case metadata only, through the ``_query_*`` methods, and
    protected by small-cell suppression (see ``report_suppression``). Publishing freezes
    the protected figures in ``figures_json``; the snapshot holds no hidden value.
    """

    _name = "vp.annual.report"
    _inherit = ["vp.counsellor.owned.mixin"]
    _description = "Annual report"
    _order = "year desc, version desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    year = fields.Integer(
        required=True, default=lambda self: fields.Date.context_today(self).year - 1
    )
    scope = fields.Selection(
        [("company", "Whole organisation"), ("counsellor", "One counsellor")],
        required=True,
        default="company",
        help="Whole organisation: the figures of all counsellors of the company. "
        "One counsellor: only the figures of the counsellor below.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("published", "Published")],
        default="draft",
        required=True,
        readonly=True,
    )
    version = fields.Integer(default=1, readonly=True)
    previous_version_id = fields.Many2one(
        "vp.annual.report", readonly=True, ondelete="restrict", copy=False
    )
    published_date = fields.Datetime(readonly=True, copy=False)
    published_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    threshold = fields.Integer(
        default=lambda self: self._default_threshold(),
        required=True,
        help="Counts above zero and below this number are shown as '< threshold'. At least 3.",
    )
    narrative_signals = fields.Html(string="Signals and trends")
    narrative_advice = fields.Html(string="Advice to management")
    narrative_awareness = fields.Html(string="Awareness activities")
    narrative_developments = fields.Html(string="Developments in the organisation")
    narrative_rie = fields.Html(string="Relation with the RI&E and the employee survey")
    figures_json = fields.Text(
        string="Frozen figures",
        readonly=True,
        copy=False,
        help="The protected figures as published. Holds no suppressed value.",
    )
    figures_html = fields.Html(string="Figures", compute="_compute_figures_html", sanitize=False)

    _sql_constraints = [
        ("year_range", "CHECK(year BETWEEN 2000 AND 2999)", "The year is not valid."),
    ]

    @api.model
    def _default_threshold(self):
        return self.env["vp.settings"]._vp_value("vp_report_threshold")

    @api.depends("year", "version")
    def _compute_name(self):
        for rec in self:
            rec.name = rec._report_title()

    def _report_title(self):
        """'Jaarverslag 2025': the title in the organisation's language, at any time.

        The stored name keeps the language of the day the report was made; the PDF,
        the workbook and their file names use this title.
        """
        self.ensure_one()
        title = self.with_context(lang=self._report_lang()).env._(
            "Annual report %(year)s", year=self.year
        )
        if self.version > 1:
            title += f" (v{self.version})"
        return title

    @api.constrains("threshold")
    def _check_threshold(self):
        for rec in self:
            if rec.threshold < rs.MIN_THRESHOLD:
                raise ValidationError(
                    self.env._(
                        "The suppression threshold must be at least %(min)s: "
                        "smaller counts could identify a person.",
                        min=rs.MIN_THRESHOLD,
                    )
                )

    @api.constrains("scope", "counsellor_id")
    def _check_scope_counsellor(self):
        for rec in self:
            if rec.scope == "counsellor" and not rec.counsellor_id.has_group(
                "vertrouwenspersoon.group_vp_counsellor"
            ):
                raise ValidationError(self.env._("A report for one counsellor needs a counsellor."))

    # ------------------------------------------------------------------ life cycle

    def write(self, vals):
        self.check_access("write")  # access errors first, for everyone without access
        if any(rec.state == "published" for rec in self):
            raise UserError(
                self.env._(
                    "A published annual report is frozen and cannot be changed or "
                    "reopened. Use 'New version' to make a corrected version."
                )
            )
        return super().write(vals)

    def unlink(self):
        self.check_access("unlink")
        if any(rec.state == "published" for rec in self):
            raise UserError(self.env._("A published annual report cannot be deleted."))
        return super().unlink()

    def action_publish(self):
        for rec in self:
            if rec.state == "published":
                raise UserError(
                    self.env._(
                        "%(name)s is already published. Use 'New version' to make a "
                        "corrected version.",
                        name=rec.name,
                    )
                )
            if not rec._year_is_closed(rec.year):
                raise UserError(
                    rec.env._(
                        "The report of %(year)s can be published once the year is over: "
                        "publishing fixes the figures of the year for every report.",
                        year=rec.year,
                    )
                )
            figures = rec._compute_figures(fix=True)
            super(VpAnnualReport, rec).write(
                {
                    "figures_json": json.dumps(figures, sort_keys=True),
                    "state": "published",
                    "published_date": fields.Datetime.now(),
                    "published_by_id": self.env.user.id,
                }
            )
        return True

    def action_reopen(self):
        raise UserError(
            self.env._(
                "A published annual report cannot be reopened: the board may already "
                "have read it. Use 'New version' to make a corrected version."
            )
        )

    def action_new_version(self):
        self.ensure_one()
        if self.state != "published":
            raise UserError(self.env._("Only a published report can get a new version."))
        values = {field: self[field] for field in NARRATIVE_FIELDS}
        values.update(
            year=self.year,
            scope=self.scope,
            counsellor_id=self.counsellor_id.id,
            company_id=self.company_id.id,
            threshold=self.threshold,
            version=self.version + 1,
            previous_version_id=self.id,
        )
        new = self.create(values)
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": new.id,
            "view_mode": "form",
            "target": "current",
        }

    # ------------------------------------------------------------------ queries
    # Every input of the figures comes through these methods, as plain dicts and
    # numbers. They run with sudo (company-wide reports need every counsellor's cases)
    # and return aggregates only, never rows.

    def _period(self, year):
        return date(year, 1, 1), date(year, 12, 31)

    def _new_and_carried_domains(self, year, scope):
        """The cases of ``year`` within ``scope``: new (intake in the year) and carried
        over (intake before it, not closed before it began)."""
        start, end = self._period(year)
        new = [*scope, ("date_intake", ">=", start), ("date_intake", "<=", end)]
        carried = [
            *scope,
            ("date_intake", "<", start),
            "|",
            ("date_closed", "=", False),
            ("date_closed", ">=", start),
        ]
        return new, carried

    def _scope_domain(self, counsellor_field="counsellor_id"):
        domain = [("company_id", "=", self.company_id.id)]
        if self.scope == "counsellor":
            domain.append((counsellor_field, "=", self.counsellor_id.id))
        return domain

    def _model(self, name):
        if name not in self.env:
            return None
        return self.env[name].sudo().with_context(active_test=False, lang=self._report_lang())

    def _selection_labels(self, model, field):
        Model = self._model(model)
        if Model is None:
            return {}
        return dict(Model._fields[field]._description_selection(Model.env))

    def _query_case_counts(self, year):
        """Counts of the cases of ``year`` (new = intake in the year)."""
        Case = self._model("vp.case")
        empty = {"new": 0, "carried": 0, "tables": {key: {} for key, _m in COUNT_TABLES}}
        if Case is None:
            return empty
        end = self._period(year)[1]
        new_domain, carried_domain = self._new_and_carried_domains(
            year, self._scope_domain() + self._unwanted_behaviour_domain()
        )
        result = {
            "new": Case.search_count(new_domain),
            "carried": Case.search_count(carried_domain),
            "tables": {},
        }
        tables = result["tables"]
        for key, field in (
            ("reporter_type", "reporter_type"),
            ("accused_role", "accused_role"),
            ("route", "route"),
        ):
            tables[key] = {
                value or "none": count
                for value, count in Case._read_group(new_domain, [field], ["__count"])
            }
        for key, field, code_field in (
            ("category", "category_ids", "code"),
            ("referral", "referral_ids", "code"),
        ):
            counts = {}
            for record, count in Case._read_group(new_domain, [field], ["__count"]):
                code = (record[code_field] or str(record.id)) if record else "none"
                counts[code] = counts.get(code, 0) + count
            tables[key] = counts
        # Outcome as at 31 December: cases still open then count as "open".
        closed_domain = new_domain + [
            ("date_closed", "!=", False),
            ("date_closed", "<=", end),
        ]
        outcomes = {
            value or "unknown": count
            for value, count in Case._read_group(closed_domain, ["outcome"], ["__count"])
        }
        closed = sum(outcomes.values())
        outcomes["open"] = result["new"] - closed
        tables["outcome"] = outcomes
        return result

    def _unwanted_behaviour_domain(self):
        """Wbk reports (wrongdoing) are counted apart, never in these tables."""
        return [("is_wbk", "=", False)]

    def _query_wbk(self, years):
        """The separate Wbk table: reports marked in each year, organisation only (a
        counsellor's report does not show it: nothing to subtract across scopes).
        Counted by the date of marking, so a closed year's figure never changes."""
        Case = self._model("vp.case")
        if Case is None or self.scope != "company":
            return None
        cells = {}
        for year in years:
            start, end = self._period(int(year))
            count = Case.search_count(
                [
                    ("company_id", "=", self.company_id.id),
                    ("is_wbk", "=", True),
                    ("wbk_date_marked", ">=", start),
                    ("wbk_date_marked", "<=", end),
                ]
            )
            cells[year] = rs.protect_scalar(count, self.threshold)
        return {"received": cells}

    def _query_cover_counts(self, year):
        """Counts of ``year`` per counsellor of the company: {str(user id): counts}.

        The same shape as ``_query_case_counts`` plus the contact moments, one entry per
        counsellor with a new or carried-over case; the organisation is their sum.
        """
        Case = self._model("vp.case")
        if Case is None:
            return {}
        start, end = self._period(year)
        new_domain, carried_domain = self._new_and_carried_domains(
            year, [("company_id", "=", self.company_id.id), *self._unwanted_behaviour_domain()]
        )
        counts = {}

        def entry(user):
            return counts.setdefault(
                str(user.id),
                {
                    "new": 0,
                    "carried": 0,
                    "contacts": 0,
                    "hours": 0.0,
                    "tables": {key: {} for key, _mode in COUNT_TABLES},
                },
            )

        for user, count in Case._read_group(new_domain, ["counsellor_id"], ["__count"]):
            entry(user)["new"] = count
        for user, count in Case._read_group(carried_domain, ["counsellor_id"], ["__count"]):
            entry(user)["carried"] = count
        for key, field in (
            ("reporter_type", "reporter_type"),
            ("accused_role", "accused_role"),
            ("route", "route"),
        ):
            for user, value, count in Case._read_group(
                new_domain, ["counsellor_id", field], ["__count"]
            ):
                entry(user)["tables"][key][value or "none"] = count
        for key, field, code_field in (
            ("category", "category_ids", "code"),
            ("referral", "referral_ids", "code"),
        ):
            for user, record, count in Case._read_group(
                new_domain, ["counsellor_id", field], ["__count"]
            ):
                code = (record[code_field] or str(record.id)) if record else "none"
                table = entry(user)["tables"][key]
                table[code] = table.get(code, 0) + count
        closed_domain = new_domain + [("date_closed", "!=", False), ("date_closed", "<=", end)]
        for user, value, count in Case._read_group(
            closed_domain, ["counsellor_id", "outcome"], ["__count"]
        ):
            entry(user)["tables"]["outcome"][value or "unknown"] = count
        for values in counts.values():
            outcomes = values["tables"]["outcome"]
            still_open = values["new"] - sum(outcomes.values())
            if still_open:
                outcomes["open"] = still_open
        Contact = self._model("vp.case.contact")
        if Contact is not None and counts:
            domain = [
                ("date", ">=", fields.Datetime.to_datetime(start)),
                ("date", "<", fields.Datetime.to_datetime(date(year + 1, 1, 1))),
                ("case_id.company_id", "=", self.company_id.id),
            ]
            for key, values in counts.items():
                [(count, hours)] = Contact._read_group(
                    domain + [("case_id.counsellor_id", "=", int(key))],
                    [],
                    ["__count", "duration:sum"],
                )
                values["contacts"], values["hours"] = count, hours or 0.0
        return counts

    def _query_row_labels(self):
        """Labels of every row of the count tables, in the report language."""
        labels = {
            "reporter_type": self._selection_labels("vp.case", "reporter_type"),
            "accused_role": self._selection_labels("vp.case", "accused_role"),
            "route": self._selection_labels("vp.case", "route"),
            "outcome": self._selection_labels("vp.case", "outcome"),
            "category": {},
            "referral": {},
        }
        for key, model in (("category", "vp.category"), ("referral", "vp.referral.type")):
            Model = self._model(model)
            if Model is not None:
                labels[key] = {
                    rec.code or str(rec.id): rec.name
                    for rec in Model.search([])
                    if "code" in rec._fields
                }
        return labels

    def _special_row_labels(self):
        """(labels of the 'nothing recorded' rows per table, labels of computed rows)."""
        _ = self.with_context(lang=self._report_lang()).env._
        none_labels = {
            "category": _("No category recorded"),
            "referral": _("No referral"),
            "outcome": _("Unknown"),
            "reporter_type": _("Not recorded"),
            "accused_role": _("Not recorded"),
            "route": _("Not recorded"),
        }
        return none_labels, {"open": _("Still open on 31 December")}

    def _relabel(self, figures):
        """Row labels of the frozen figures in the report language, by row key.

        Labels are words, not figures: a report published before the organisation's
        language was loaded still reads in that language.
        """
        labels = self._query_row_labels()
        none_labels, extra_labels = self._special_row_labels()
        for table in figures["tables"]:
            key = table["key"]
            for row in table["rows"]:
                row_key = row["key"]
                label = labels.get(key, {}).get(row_key) or extra_labels.get(row_key)
                if not label and row_key in ("none", "unknown"):
                    label = none_labels[key]
                row["label"] = label or row["label"]
        for section, field in (
            ("time", ("vp.time.entry", "activity_type")),
            ("budget", ("vp.budget", "cost_category")),
            ("awareness", ("vp.awareness", "audience")),
        ):
            names = self._selection_labels(*field)
            for row in figures.get(section, {}).get("rows", []):
                row["label"] = names.get(row["key"], row["label"])
        return figures

    def _query_contacts(self, year):
        Contact = self._model("vp.case.contact")
        if Contact is None:
            return {"count": 0, "hours": 0.0}
        start = self._period(year)[0]
        domain = [
            ("date", ">=", fields.Datetime.to_datetime(start)),
            ("date", "<", fields.Datetime.to_datetime(date(year + 1, 1, 1))),
        ] + [("case_id." + leaf[0], leaf[1], leaf[2]) for leaf in self._scope_domain()]
        [(count, hours)] = Contact._read_group(domain, [], ["__count", "duration:sum"])
        return {"count": count, "hours": hours or 0.0}

    def _query_time(self, year):
        Entry = self._model("vp.time.entry")
        if Entry is None:
            return {}
        start, end = self._period(year)
        domain = self._scope_domain() + [("date", ">=", start), ("date", "<=", end)]
        return {
            activity: hours or 0.0
            for activity, hours in Entry._read_group(domain, ["activity_type"], ["hours:sum"])
        }

    def _query_budget(self, year):
        """Planned and spent per cost category (company level; amounts, no persons)."""
        Budget = self._model("vp.budget")
        Expense = self._model("vp.expense")
        if Budget is None:
            return {}
        company = [("company_id", "=", self.company_id.id)]
        budget_domain = company + [("year", "=", year)]
        result = {}
        for category, amount in Budget._read_group(
            budget_domain, ["cost_category"], ["amount:sum"]
        ):
            result.setdefault(category, [0.0, 0.0])[0] += amount or 0.0
        if Expense is not None:
            budgets = Budget.search(budget_domain)
            for budget, amount in Expense._read_group(
                company + [("budget_id", "in", budgets.ids)], ["budget_id"], ["amount:sum"]
            ):
                result.setdefault(budget.cost_category, [0.0, 0.0])[1] += amount or 0.0
        return result

    def _query_awareness(self, year):
        Awareness = self._model("vp.awareness")
        start, end = self._period(year)
        domain = self._scope_domain() + [("date", ">=", start), ("date", "<=", end)]
        return {
            audience: [count, participants or 0, hours or 0.0]
            for audience, count, participants, hours in Awareness._read_group(
                domain,
                ["audience"],
                ["__count", "participants:sum", "duration:sum"],
            )
        }

    def _query_signals(self, year):
        Signal = self._model("vp.signal")
        start, end = self._period(year)
        domain = self._scope_domain() + [
            ("state", "=", "sent"),
            ("date", ">=", start),
            ("date", "<=", end),
        ]
        return [
            {"date": fields.Date.to_string(s.date), "subject": s.subject}
            for s in Signal.search(domain, order="date, id")
        ]

    def _guideline_hours_per_week(self):
        return self.env["vp.settings"]._vp_value("vp_guideline_hours_per_week")

    # ------------------------------------------------------------------ figures

    def _report_lang(self):
        """The organisation's language, whoever reads: the report is one document.

        The company's own language when it was chosen (English is every partner's
        default, not a choice), else Dutch when installed, else English.
        """
        langs = [code for code, _name in self.env["res.lang"].get_installed()]
        company_lang = self.company_id.partner_id.lang or self.env.company.partner_id.lang
        if company_lang in langs and company_lang != "en_US":
            return company_lang
        if "nl_NL" in langs:
            return "nl_NL"
        return "en_US" if "en_US" in langs or not langs else langs[0]

    def _report_file_name(self):
        """File name of the PDF and XLSX: 'Jaarverslag 2025 - Zorggroep De Linde'."""
        self.ensure_one()
        name = self._report_title()
        if self.scope == "counsellor":
            name += f" - {self.counsellor_id.name}"
        return f"{name} - {self.company_id.name}"

    def _scope_key(self):
        return rl.ORG if self.scope == "company" else str(self.counsellor_id.id)

    def _year_is_closed(self, year):
        return year < fields.Date.context_today(self).year

    def _fixed_year(self, year):
        return (
            self.env["vp.annual.report.year"]
            .sudo()
            .search([("company_id", "=", self.company_id.id), ("year", "=", year)], limit=1)
        )

    def _fix_year(self, year):
        """Fix the figures of ``year`` for every scope at once (see ``report_linked``)."""
        fixed = self._fixed_year(year)
        if fixed:
            return fixed
        counts = self._query_cover_counts(year)
        try:
            columns = rl.protect_year(counts, self.threshold, COUNT_TABLES)
        except rl.ProtectionImpossible as error:
            raise UserError(
                self.env._(
                    "The figures of %(year)s cannot be published safely. Whatever is "
                    "hidden, the table '%(table)s' would let a reader who combines the "
                    "reports of the organisation and of the counsellors calculate a small "
                    "number. Nothing has been published. Raise the threshold or publish "
                    "only the report of the whole organisation.",
                    year=year,
                    table=self._table_titles().get(error.table, error.table),
                )
            ) from None
        return (
            self.env["vp.annual.report.year"]
            .sudo()
            .create(
                {
                    "company_id": self.company_id.id,
                    "year": year,
                    "threshold": self.threshold,
                    "counts_json": json.dumps(counts, sort_keys=True),
                    "columns_json": json.dumps(columns, sort_keys=True),
                }
            )
        )

    def _year_column(self, year, fix):
        """(protected column of this report's scope for ``year``, fixed year or None).

        A fixed year gives its column. Otherwise, with ``fix``, the year is fixed now;
        without it (a counsellor's draft of their own cases) the column is computed from
        their own cases and not kept.
        """
        fixed = self._fixed_year(year) or (fix and self._fix_year(year))
        if fixed:
            columns = json.loads(fixed.columns_json)
            column = columns.get(self._scope_key()) or rl.zero_column(columns[rl.ORG])
            return column, fixed
        if self.scope != "counsellor":
            raise UserError(
                self.env._(
                    "The figures of the whole organisation for %(year)s are computed once, "
                    "after the year is over, and then fixed like a published report.",
                    year=year,
                )
            )
        counts = dict(self._query_case_counts(year))
        contacts = self._query_contacts(year)
        counts.update(contacts=contacts["count"], hours=contacts["hours"])
        return rl.protect_year({"own": counts}, self.threshold, COUNT_TABLES)["own"], None

    def _compute_figures(self, fix=None):
        """All figures of the report, protected, as a JSON-safe dict.

        :param fix: fix the years shown (publishing, or the organisation's figures of a
            closed year); by default only for the organisation's scope.
        """
        self.ensure_one()
        rs.check_threshold(self.threshold)
        if fix is None:
            fix = self.scope == "company"
        if fix and not self._year_is_closed(self.year):
            raise UserError(
                self.env._(
                    "The figures of the whole organisation for %(year)s are available once "
                    "the year is over. Until then you see only your own cases, in a report "
                    "for one counsellor.",
                    year=self.year,
                )
            )
        years = [self.year - 2, self.year - 1, self.year]
        columns, thresholds, sources, fixed_dates = {}, {}, {}, {}
        for year in years:
            column, fixed = self._year_column(year, fix)
            columns[year] = column
            thresholds[str(year)] = fixed.threshold if fixed else self.threshold
            if fixed:
                fixed_dates[str(year)] = fields.Datetime.to_string(fixed.fixed_date)
            published = self.sudo().search_count(
                [
                    ("company_id", "=", self.company_id.id),
                    ("state", "=", "published"),
                    ("year", "=", year),
                ],
                limit=1,
            )
            sources[str(year)] = "published" if published else "computed"
        if thresholds[str(self.year)] != self.threshold:
            raise UserError(
                self.env._(
                    "The figures of %(year)s were fixed with threshold %(fixed)s for every "
                    "report of that year. Set the threshold of this report to %(fixed)s.",
                    year=self.year,
                    fixed=thresholds[str(self.year)],
                )
            )
        threshold = self.threshold
        labels = self._query_row_labels()
        headline = {
            str(year): {"new": columns[year]["new"], "carried": columns[year]["carried"]}
            for year in years
        }
        none_labels, extra_labels = self._special_row_labels()
        zero = rs.published_cell(0, rs.PUBLISHED, threshold)
        tables = []
        for key, mode in COUNT_TABLES:
            row_keys = []
            for year in years:
                for row_key in columns[year]["tables"].get(key, {}).get("cells", {}):
                    if row_key not in row_keys:
                        row_keys.append(row_key)
            order = list(labels.get(key, {}))
            row_keys.sort(
                key=lambda k, order=order: (
                    k in ("none", "unknown", "open"),
                    order.index(k) if k in order else len(order),
                    k,
                )
            )
            rows = []
            for row_key in row_keys:
                label = labels.get(key, {}).get(row_key) or extra_labels.get(row_key)
                if not label:
                    label = none_labels[key] if row_key in ("none", "unknown") else row_key
                cells = {
                    str(year): columns[year]["tables"].get(key, {}).get("cells", {}).get(row_key)
                    or zero
                    for year in years
                }
                rows.append({"key": row_key, "label": label, "cells": cells})
            tables.append(
                {
                    "key": key,
                    "mode": mode,
                    "rows": rows,
                    "total": {str(y): columns[y]["new"] for y in years},
                    "hidden": {
                        str(y): columns[y]["tables"].get(key, {}).get("hidden", False)
                        for y in years
                    },
                }
            )
        current = columns[self.year]
        contact_cell = current["contacts"]
        time_rows = self._query_time(self.year)
        activity_labels = self._selection_labels("vp.time.entry", "activity_type")
        guideline_week = self._guideline_hours_per_week()
        time_total = sum(time_rows.values())
        budget = self._query_budget(self.year) if self.scope == "company" else {}
        budget_labels = self._selection_labels("vp.budget", "cost_category")
        awareness = self._query_awareness(self.year)
        audience_labels = self._selection_labels("vp.awareness", "audience")
        return {
            "year": self.year,
            "years": [str(y) for y in years],
            "threshold": threshold,
            "thresholds": thresholds,
            "fixed": fixed_dates,
            "scope": self.scope,
            "sources": sources,
            "headline": headline,
            "tables": tables,
            "contacts": {
                "count": contact_cell,
                # Hours of a handful of contacts tell as much as their number, and
                # hours can be subtracted across reports like counts.
                "hours": current["hours"],
            },
            "time": {
                "rows": [
                    {
                        "key": key,
                        "label": activity_labels.get(key, key),
                        "hours": round(time_rows.get(key, 0.0), 1),
                    }
                    for key in activity_labels
                    if key in time_rows
                ],
                "total": round(time_total, 1),
                "guideline_per_week": guideline_week,
                "guideline": round(guideline_week * WEEKS_PER_YEAR, 1),
                "per_week": round(time_total / WEEKS_PER_YEAR, 1),
            },
            "budget": {
                "rows": [
                    {
                        "key": key,
                        "label": budget_labels.get(key, key),
                        "planned": round(budget[key][0], 2),
                        "spent": round(budget[key][1], 2),
                    }
                    for key in budget_labels
                    if key in budget
                ],
                "planned": round(sum(v[0] for v in budget.values()), 2),
                "spent": round(sum(v[1] for v in budget.values()), 2),
                "currency": self.company_id.currency_id.name,
            },
            "awareness": {
                "rows": [
                    {
                        "key": key,
                        "label": audience_labels.get(key, key),
                        "activities": awareness[key][0],
                        "participants": awareness[key][1],
                        "hours": round(awareness[key][2], 1),
                    }
                    for key in audience_labels
                    if key in awareness
                ],
                "activities": sum(v[0] for v in awareness.values()),
                "participants": sum(v[1] for v in awareness.values()),
                "hours": round(sum(v[2] for v in awareness.values()), 1),
            },
            "signals": self._query_signals(self.year),
            "wbk": self._query_wbk([str(y) for y in years]),
        }

    def _figures_waiting(self):
        """Why an organisation-wide draft shows no figures yet (a text), or False.

        Figures wider than the reader's own cases are never a live view: they exist only
        for a closed year, computed once and fixed like a publication.
        """
        if self.state != "draft" or self.scope != "company":
            return False
        if not self._year_is_closed(self.year):
            return self.env._(
                "The figures of the whole organisation for %(year)s are available once the "
                "year is over. They are then computed once and fixed for every report of "
                "that year.",
                year=self.year,
            )
        years = (self.year - 2, self.year - 1, self.year)
        if any(not self._fixed_year(year) for year in years):
            return self.env._(
                "The figures of the whole organisation are computed once and then fixed "
                "for every report of the year. Click 'Compute figures' to do so."
            )
        return False

    def action_fix_figures(self):
        """Compute and fix the organisation-wide figures of a closed year (drafts)."""
        self.check_access("write")
        for rec in self.filtered(lambda r: r.state == "draft" and r.scope == "company"):
            rec._compute_figures(fix=True)
        self.invalidate_recordset(["figures_html"])
        return True

    def _get_figures(self):
        """Published: the frozen snapshot. Draft: computed now."""
        self.ensure_one()
        self.check_access("read")
        if self.state == "published" and self.figures_json:
            return json.loads(self.figures_json)
        return self._compute_figures()

    def _table_titles(self):
        return {
            "category": self.env._("Cases by kind of unwanted behaviour"),
            "reporter_type": self.env._("Cases by type of reporter"),
            "accused_role": self.env._("Cases by role of the person causing it"),
            "route": self.env._("Cases by route"),
            "referral": self.env._("Referrals"),
            "outcome": self.env._("Outcome of the new cases"),
        }

    def _table_notes(self):
        return {
            "category": self.env._(
                "A case can concern several kinds of behaviour; every mention counts, so "
                "the rows can add up to more than the number of cases."
            ),
            "referral": self.env._(
                "A case can be referred to several services; every referral counts."
            ),
        }

    def _suppression_note(self, threshold):
        return self.env._(
            "To protect reporters, numbers from 1 to %(max)s are shown as '< %(t)s'. "
            "Where such a number could be calculated back, another number is hidden as "
            "well and shown as 'x'; if that is not enough, the whole table is shown as "
            "'x'. A number shown as '.' is not published at all. Zero is shown as 0. "
            "The reports of the whole organisation and of each "
            "counsellor for the same year are protected together: whoever holds all of "
            "them, of every year and version, and adds or subtracts their numbers, still "
            "cannot find a hidden number. The figures of a year are fixed once and are "
            "the same in every report that shows that year. No figures are split by "
            "department, gender or age.",
            max=threshold - 1,
            t=threshold,
        )

    def _chart_legend(self, threshold):
        return {
            "small": self.env._(
                "< %(t)s: 1 to %(max)s, not shown exactly", t=threshold, max=threshold - 1
            ),
            "hidden": self.env._("x: hidden, so that no small number can be calculated"),
        }

    def _chart(self, table, figures):
        """The bar chart of a count table (all years), as an <img> source."""
        svg = chart.bar_chart(
            table["rows"],
            figures["years"],
            figures["threshold"],
            self._chart_legend(figures["threshold"]),
            self.env.lang,
        )
        return chart.data_uri(svg)

    def _cover_counsellors(self):
        """Names on the cover: the counsellor of the report, or every counsellor."""
        if self.scope == "counsellor":
            return [self.counsellor_id.name]
        group = self.env.ref("vertrouwenspersoon.group_vp_counsellor").sudo()
        users = group.users.filtered(lambda u: u.company_id == self.company_id)
        return sorted(users.mapped("name"))

    def _sections(self, figures, numbered=True):
        """Sections of the document in order: (anchor, title), for the contents."""
        sections = [
            (field, self._fields[field].get_description(self.env)["string"])
            for field in NARRATIVE_FIELDS
            if self[field]
        ]
        sections.append(("key_figures", self.env._("Key figures")))
        titles = self._table_titles()
        sections += [(f"table_{t['key']}", titles[t["key"]]) for t in figures["tables"]]
        sections.append(("time", self.env._("Time spent")))
        if figures["budget"]["rows"]:
            sections.append(("budget", self.env._("Budget")))
        sections.append(("awareness", self.env._("Awareness activities")))
        if figures["signals"]:
            sections.append(("signals", self.env._("Signals sent to the board during the year")))
        if not numbered:
            return sections
        return [
            (anchor, f"{number}. {title}") for number, (anchor, title) in enumerate(sections, 1)
        ]

    def _render_values(self, numbered=True):
        """Everything the PDF, the screen and the workbook show, in the report language.

        :param numbered: section numbers in the headings, as in the contents of the PDF
            (the Figures tab of the form has no contents, so no numbers).
        """
        self.ensure_one()
        lang = self._report_lang()
        report = self.with_context(lang=lang)
        figures = report._relabel(report._get_figures())
        currency = figures["budget"].get("currency") or report.company_id.currency_id.name
        sections = report._sections(figures)
        return {
            "doc": report,
            "lang": lang,
            "figures": figures,
            "titles": report._table_titles(),
            "notes": report._table_notes(),
            "suppression_note": report._suppression_note(figures["threshold"]),
            "legend": report._chart_legend(figures["threshold"]),
            "chart": lambda table: report._chart(table, figures),
            "sections": sections,
            "heading": dict(sections if numbered else report._sections(figures, False)).get,
            "counsellors": report._cover_counsellors(),
            "cell": lambda value: fmt.cell(value, lang),
            "num": lambda value: fmt.number(value, lang),
            "hours": lambda value: fmt.hours(value, lang),
            "money": lambda value: fmt.money(value, currency, lang),
            "long_date": lambda value: fmt.long_date(fields.Date.to_date(value), lang),
        }

    @api.depends("state", "year", "threshold", "scope", "counsellor_id", "figures_json")
    def _compute_figures_html(self):
        for rec in self:
            if not rec.id or not rec.year:
                rec.figures_html = False
                continue
            waiting = rec._figures_waiting()
            if waiting:
                rec.figures_html = Markup("<p class='text-muted'>%s</p>") % waiting
                continue
            lang = rec._report_lang()
            html = (
                self.env["ir.qweb"]
                .with_context(lang=lang)
                ._render(
                    "vertrouwenspersoon.vp_annual_report_figures",
                    {"values": rec._render_values(numbered=False)},
                )
            )
            rec.figures_html = Markup(html)
