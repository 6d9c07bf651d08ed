# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models, tools
from odoo.tools import SQL


def create_sql_view(cr, table, select):
    """(Re)create the SQL view ``table`` of an aggregated, read-only report model."""
    tools.drop_view_if_exists(cr, table)
    select = SQL(select) if isinstance(select, str) else select
    cr.execute(SQL("CREATE VIEW %s AS (%s)", SQL.identifier(table), select))


class VpMonthlySummaryMixin(models.AbstractModel):
    """A read-only SQL view that sums rows of a table per month, some columns and company.

    What the functional admin sees of the counsellors' time and spending: totals only.
    An inheriting model names its source (``_summary_from``, the summed table aliased
    ``x``), the columns it groups by (``_summary_group_by``) and the sums
    (``_summary_sums``: column name and SQL expression).
    """

    _name = "vp.monthly.summary.mixin"
    _description = "Totals per month"
    _summary_from = None
    _summary_group_by = ()
    _summary_sums = ()

    date = fields.Date(string="Month", readonly=True)
    year = fields.Integer(readonly=True, aggregator=None)
    company_id = fields.Many2one("res.company", readonly=True)

    def init(self):
        if self._abstract:
            return
        month = SQL("date_trunc('month', x.date)")
        year = SQL("EXTRACT(YEAR FROM x.date)")
        group_by = [SQL(column) for column in self._summary_group_by]
        sums = [
            SQL("%s AS %s", SQL(expr), SQL.identifier(name)) for name, expr in self._summary_sums
        ]
        create_sql_view(
            self.env.cr,
            self._table,
            SQL(
                """SELECT MIN(x.id) AS id, %(month)s::date AS date, %(year)s::int AS year,
                          %(columns)s, x.company_id
                     FROM %(source)s
                 GROUP BY %(month)s, %(year)s, %(group_by)s, x.company_id""",
                month=month,
                year=year,
                columns=SQL(", ").join([*group_by, *sums]),
                source=SQL(self._summary_from),
                group_by=SQL(", ").join(group_by),
            ),
        )
