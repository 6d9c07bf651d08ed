# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


from odoo import _, api, fields, models

from .vp_monthly_summary_mixin import create_sql_view
from .vp_time_summary import INDICATORS, elapsed_fraction, indicator_for


class VpTimeGuideline(models.Model):
    """Hours per counsellor and year against the guideline, pro rata to today."""

    _name = "vp.time.guideline"
    _description = "Counsellor hours against the guideline"
    _auto = False
    _order = "year desc, counsellor_id"
    _rec_name = "counsellor_id"

    year = fields.Integer(readonly=True, aggregator=None)
    counsellor_id = fields.Many2one("res.users", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    hours = fields.Float(string="Hours registered", readonly=True, digits=(6, 2))
    guideline_year_hours = fields.Float(
        string="Guideline (year)",
        compute="_compute_guideline",
        digits=(6, 2),
        help="Contracted hours of the year if there is a contract, otherwise the "
        "guideline hours per week times the weeks of the year.",
    )
    guideline_hours = fields.Float(
        string="Guideline to date",
        compute="_compute_guideline",
        digits=(6, 2),
        help="The yearly guideline pro rata to today.",
    )
    guideline_ratio = fields.Float(
        string="Of guideline (%)", compute="_compute_guideline", digits=(6, 0)
    )
    indicator = fields.Selection(INDICATORS, compute="_compute_guideline")

    def init(self):
        create_sql_view(
            self.env.cr,
            self._table,
            """
                SELECT MIN(e.id) AS id,
                       EXTRACT(YEAR FROM e.date)::int AS year,
                       e.counsellor_id,
                       e.company_id,
                       SUM(e.hours) AS hours
                  FROM vp_time_entry e
              GROUP BY EXTRACT(YEAR FROM e.date), e.counsellor_id, e.company_id""",
        )

    @api.model
    def _guideline_for(self, user, year, company, today=None):
        """(yearly guideline, guideline pro rata to `today`) in hours."""
        contract = (
            self.env["vp.counsellor.contract"]
            .sudo()
            .search(
                [
                    ("counsellor_id", "=", user.id),
                    ("year", "=", year),
                    ("company_id", "=", company.id),
                ],
                limit=1,
            )
        )
        if contract.contract_hours:
            year_hours = contract.contract_hours
        else:
            year_hours = self.env["vp.settings"]._vp_guideline_year_hours()
        today = today or fields.Date.context_today(self)
        return year_hours, year_hours * elapsed_fraction(year, today)

    @api.depends("year", "counsellor_id", "company_id", "hours")
    @api.depends_context("vp_today")
    def _compute_guideline(self):
        today = self.env.context.get("vp_today")
        for line in self:
            year_hours, to_date = self._guideline_for(
                line.counsellor_id, line.year, line.company_id, today=today
            )
            ratio = line.hours / to_date if to_date else 0.0
            line.guideline_year_hours = year_hours
            line.guideline_hours = to_date
            line.guideline_ratio = ratio * 100
            line.indicator = indicator_for(ratio) if to_date else False

    @api.depends("year", "counsellor_id")
    def _compute_display_name(self):
        for line in self:
            line.display_name = _(
                "%(name)s, %(year)s", name=line.counsellor_id.name, year=line.year
            )
