# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import sql

from ..res_users import counsellor_field
from ..vault.vp_vault_drop_mixin import _with_vault, encrypt_legacy_columns, encrypted_field

COMPUTE = "_compute_expense_content"


class VpExpense(models.Model):
    """An expense a counsellor books against a budget, with its receipt."""

    _name = "vp.expense"
    _inherit = ["vp.published.year.mixin"]
    _description = "Counsellor expense"
    _rec_name = "description"

    budget_id = fields.Many2one("vp.budget", required=True, ondelete="restrict", index=True)
    cost_category = fields.Selection(related="budget_id.cost_category", store=True)
    amount = fields.Monetary(required=True, currency_field="currency_id")
    currency_id = fields.Many2one(related="company_id.currency_id")
    description = fields.Char(required=True)
    receipt = fields.Binary(attachment=False)
    receipt_filename = fields.Char()
    counsellor_id = counsellor_field(required=True, default=lambda self: self.env.user)

    @api.constrains("amount")
    def _check_amount(self):
        for expense in self:
            if expense.amount <= 0:
                raise ValidationError(_("An expense needs an amount above zero."))

    @api.constrains("date", "budget_id", "company_id")
    def _check_budget(self):
        for expense in self:
            budget = expense.budget_id.sudo()
            if budget.year != expense.date.year:
                raise ValidationError(
                    _(
                        "The expense of %(date)s must be booked on a budget of %(year)s.",
                        date=fields.Date.to_string(expense.date),
                        year=expense.date.year,
                    )
                )
            if budget.company_id != expense.company_id:
                raise ValidationError(_("The budget belongs to another company."))


# An expense's description and receipt are content: a vault drop for its counsellor only.
#
# The description was the record's name; the display name now shows the date, cost
# category and amount, so a list, breadcrumb or many2one never shows content.
class VpExpenseVault(models.Model):
    _name = "vp.expense"
    _inherit = ["vp.expense", "vp.vault.drop.mixin"]

    _vault_fields = ("description", "receipt", "receipt_filename")
    _vault_counsellor_field = "counsellor_id"
    _vault_binary_fields = ("receipt",)

    description = encrypted_field(fields.Char, "description", compute=COMPUTE, required=True)
    description_enc = fields.Text(string="Expense description (encrypted)", copy=False)
    receipt = encrypted_field(fields.Binary, "receipt", compute=COMPUTE, attachment=False)
    receipt_enc = fields.Text(string="Receipt (encrypted)", copy=False)
    receipt_filename = encrypted_field(fields.Char, "receipt_filename", compute=COMPUTE)
    receipt_filename_enc = fields.Text(string="Receipt file name (encrypted)", copy=False)

    @api.depends("date", "cost_category", "amount")
    def _compute_display_name(self):
        labels = dict(self._fields["cost_category"]._description_selection(self.env))
        for expense in self:
            parts = [
                fields.Date.to_string(expense.date) if expense.date else "",
                labels.get(expense.cost_category, ""),
                f"{expense.amount:.2f}" if expense.amount else "",
            ]
            expense.display_name = " ".join(part for part in parts if part)

    @api.depends("description_enc", "receipt_enc", "receipt_filename_enc")
    @api.depends_context("uid")
    def _compute_expense_content(self):
        self._compute_vault_drop_content()
        # a locked receipt is no file: the placeholder text is for text fields only
        placeholders = self._vault_placeholders()
        placeholders |= {text.encode() for text in placeholders}
        for expense in self:
            if expense.receipt in placeholders:
                expense.receipt = False

    @api.model_create_multi
    def create(self, vals_list):
        # required, but no longer a column that the database can hold to it; checked
        # after the access rules, and the failed call writes nothing (rolled back)
        expenses = super().create(vals_list)
        if any(not vals.get("description") for vals in vals_list):
            raise ValidationError(self.env._("An expense needs a description."))
        return expenses

    def write(self, vals):
        if "description" in vals and not vals["description"]:
            raise ValidationError(self.env._("An expense needs a description."))
        return super().write(vals)

    def init(self):
        result = super().init()
        # the old required column would refuse new expenses until it is dropped
        if sql.column_exists(self.env.cr, self._table, "description"):
            sql.drop_not_null(self.env.cr, self._table, "description")
        encrypt_legacy_columns(self, self._encrypt_legacy_value)
        return result

    def _encrypt_legacy_value(self, record, fname, value):
        readers = _with_vault(self.env, record.sudo().counsellor_id)
        return None if readers is None else record._vault_drop_for(readers, fname, value)
