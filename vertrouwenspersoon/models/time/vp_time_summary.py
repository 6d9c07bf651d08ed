# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import calendar
from datetime import date

from odoo import fields, models, tools
from odoo.tools import SQL

from .vp_time_entry import ACTIVITY_TYPES

INDICATORS = [
    ("far_below", "Far below guideline"),
    ("below", "Below guideline"),
    ("on_track", "On track"),
    ("above", "Above guideline"),
    ("far_above", "Far above guideline"),
]


def create_sql_view(cr, table, select):
    """(Re)create the SQL view `table` of an aggregated, read-only report model."""
    tools.drop_view_if_exists(cr, table)
    cr.execute(SQL("CREATE VIEW %s AS (%s)", SQL.identifier(table), SQL(select)))


def indicator_for(ratio):
    """Map hours / pro-rata guideline to an indicator key (ratio 1.0 = exactly on it)."""
    if ratio < 0.5:
        return "far_below"
    if ratio < 0.9:
        return "below"
    if ratio <= 1.1:
        return "on_track"
    if ratio <= 1.5:
        return "above"
    return "far_above"


def elapsed_fraction(year, today):
    """Fraction of `year` that has passed on `today` (today counted as passed)."""
    if year < today.year:
        return 1.0
    if year > today.year:
        return 0.0
    days_in_year = 366 if calendar.isleap(year) else 365
    return ((today - date(year, 1, 1)).days + 1) / days_in_year


class VpTimeSummary(models.Model):
    """Hours per counsellor, month and activity: totals only, never notes or case links.

    This is what the functional admin sees of the counsellors' time.
    """

    _name = "vp.time.summary"
    _description = "Counsellor hours per month and activity"
    _auto = False
    _order = "date desc, counsellor_id"

    date = fields.Date(string="Month", readonly=True)
    year = fields.Integer(readonly=True, aggregator=None)
    counsellor_id = fields.Many2one("res.users", readonly=True)
    activity_type = fields.Selection(ACTIVITY_TYPES, string="Activity", readonly=True)
    hours = fields.Float(readonly=True, digits=(6, 2))
    company_id = fields.Many2one("res.company", readonly=True)

    def init(self):
        create_sql_view(
            self.env.cr,
            self._table,
            """
                SELECT MIN(e.id) AS id,
                       date_trunc('month', e.date)::date AS date,
                       EXTRACT(YEAR FROM e.date)::int AS year,
                       e.counsellor_id,
                       e.activity_type,
                       SUM(e.hours) AS hours,
                       e.company_id
                  FROM vp_time_entry e
              GROUP BY date_trunc('month', e.date), EXTRACT(YEAR FROM e.date),
                       e.counsellor_id, e.activity_type, e.company_id""",
        )
