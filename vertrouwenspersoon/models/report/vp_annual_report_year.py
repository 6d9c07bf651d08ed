# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class VpAnnualReportYear(models.Model):
    """The figures of one company and year, fixed once for every report of that year.

    Made the first time a report of the year is published, a year is shown as a
    comparison column, or a counsellor asks for the organisation's draft figures of a
    closed year. It holds the counts per counsellor (the truth the suppression is
    computed from) and the protected column of every scope. Every report of the year,
    whatever its scope or version, shows a column of this one protected whole, so
    reports cannot be combined to reveal a small count (see ``report_linked``).

    Nobody has access rights to this model: only the report code reads it, with sudo.
    """

    _name = "vp.annual.report.year"
    _description = "Fixed figures of a report year"
    _order = "year desc"

    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")
    year = fields.Integer(required=True)
    threshold = fields.Integer(required=True)
    fixed_date = fields.Datetime(required=True, default=fields.Datetime.now)
    counts_json = fields.Text(help="True counts per counsellor; never shown.")
    columns_json = fields.Text(help="Protected column of every scope; holds no hidden value.")

    _sql_constraints = [
        ("company_year_unique", "UNIQUE(company_id, year)", "A year is fixed only once."),
    ]
