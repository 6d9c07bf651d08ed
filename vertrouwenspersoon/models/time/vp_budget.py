# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models

COST_CATEGORIES = [
    ("basic_training", "Basic training and certification"),
    ("further_training", "Further training"),
    ("intervision", "Intervision"),
    ("materials", "Awareness materials"),
    ("literature", "Professional literature"),
    ("membership", "Professional association membership"),
    ("outside_meeting", "Conversation outside the organisation"),
    ("other", "Other"),
]


class VpBudget(models.Model):
    """The planned yearly budget of one cost category, set by the functional admin."""

    _name = "vp.budget"
    _description = "Counsellor budget"
    _order = "year desc, cost_category"

    year = fields.Integer(
        required=True, default=lambda self: fields.Date.context_today(self).year, aggregator=None
    )
    cost_category = fields.Selection(COST_CATEGORIES, required=True)
    amount = fields.Monetary(string="Planned", required=True, currency_field="currency_id")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id", store=True)
    # the year as text, to group by: grouping by the integer showed "2.025" in the
    # year column and a truncated group header
    year_label = fields.Char(string="Budget year", compute="_compute_year_label", store=True)
    expense_ids = fields.One2many("vp.expense", "budget_id", string="Expenses")
    # stored, so that the budget list sums them per year
    amount_spent = fields.Monetary(string="Spent", compute="_compute_spent", store=True)
    amount_remaining = fields.Monetary(string="Remaining", compute="_compute_spent", store=True)
    progress = fields.Float(
        string="Spent (%)", compute="_compute_spent", aggregator=None, store=True
    )

    _sql_constraints = [
        (
            "year_category_company_unique",
            "unique(year, cost_category, company_id)",
            "There is already a budget for this cost category in this year.",
        ),
        ("amount_not_negative", "CHECK(amount >= 0)", "The planned amount cannot be negative."),
    ]

    @api.depends("year")
    def _compute_year_label(self):
        for budget in self:
            budget.year_label = str(budget.year) if budget.year else False

    @api.depends("amount", "expense_ids.amount")
    def _compute_spent(self):
        # Totals over all counsellors' expenses; the expenses themselves stay private.
        spent = dict(
            self.env["vp.expense"]
            .sudo()
            ._read_group([("budget_id", "in", self.ids)], ["budget_id"], ["amount:sum"])
        )
        for budget in self:
            budget.amount_spent = spent.get(budget._origin, 0.0)
            budget.amount_remaining = budget.amount - budget.amount_spent
            budget.progress = 100.0 * budget.amount_spent / budget.amount if budget.amount else 0.0

    @api.depends("year", "cost_category")
    def _compute_display_name(self):
        labels = dict(self._fields["cost_category"]._description_selection(self.env))
        for budget in self:
            budget.display_name = f"{labels.get(budget.cost_category, '')} {budget.year or ''}"
