# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models

from .vp_budget import COST_CATEGORIES
from .vp_time_summary import create_sql_view


class VpExpenseSummary(models.Model):
    """Spending per month and cost category: totals only, no descriptions or receipts."""

    _name = "vp.expense.summary"
    _description = "Counsellor spending per month and cost category"
    _auto = False
    _order = "date desc, cost_category"

    date = fields.Date(string="Month", readonly=True)
    year = fields.Integer(readonly=True, aggregator=None)
    cost_category = fields.Selection(COST_CATEGORIES, readonly=True)
    amount = fields.Float(readonly=True, digits=(12, 2))
    company_id = fields.Many2one("res.company", readonly=True)

    def init(self):
        create_sql_view(
            self.env.cr,
            self._table,
            """
                SELECT MIN(x.id) AS id,
                       date_trunc('month', x.date)::date AS date,
                       EXTRACT(YEAR FROM x.date)::int AS year,
                       b.cost_category,
                       SUM(x.amount) AS amount,
                       x.company_id
                  FROM vp_expense x
                  JOIN vp_budget b ON b.id = x.budget_id
              GROUP BY date_trunc('month', x.date), EXTRACT(YEAR FROM x.date),
                       b.cost_category, x.company_id""",
        )
