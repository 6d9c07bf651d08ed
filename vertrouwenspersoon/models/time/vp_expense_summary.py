# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models

from .vp_budget import COST_CATEGORIES


class VpExpenseSummary(models.Model):
    """Spending per month and cost category: totals only, no descriptions or receipts."""

    _name = "vp.expense.summary"
    _inherit = ["vp.monthly.summary.mixin"]
    _description = "Counsellor spending per month and cost category"
    _auto = False
    _order = "date desc, cost_category"
    _summary_from = "vp_expense x JOIN vp_budget b ON b.id = x.budget_id"
    _summary_group_by = ("b.cost_category",)
    _summary_sums = (("amount", "SUM(x.amount)"),)

    cost_category = fields.Selection(COST_CATEGORIES, readonly=True)
    amount = fields.Float(readonly=True, digits=(12, 2))
