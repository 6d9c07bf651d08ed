# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models

from ..res_users import counsellor_field


class VpCounsellorContract(models.Model):
    """Yearly contract of an (external) counsellor: hourly rate and contracted hours."""

    _name = "vp.counsellor.contract"
    _description = "Counsellor contract"
    _order = "year desc, counsellor_id"
    _rec_name = "counsellor_id"

    counsellor_id = counsellor_field(required=True)
    year = fields.Integer(
        required=True, default=lambda self: fields.Date.context_today(self).year, aggregator=None
    )
    hourly_rate = fields.Monetary(currency_field="currency_id")
    contract_hours = fields.Float(string="Contracted hours", digits=(6, 2))
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    hours_registered = fields.Float(
        compute="_compute_hours_registered", digits=(6, 2), string="Hours registered"
    )

    _sql_constraints = [
        (
            "user_year_company_unique",
            "unique(counsellor_id, year, company_id)",
            "This counsellor already has a contract for this year.",
        ),
        ("rate_not_negative", "CHECK(hourly_rate >= 0)", "The hourly rate cannot be negative."),
        (
            "hours_not_negative",
            "CHECK(contract_hours >= 0)",
            "The contracted hours cannot be negative.",
        ),
    ]

    @api.depends("counsellor_id", "year", "company_id")
    def _compute_hours_registered(self):
        for contract in self:
            # totals only: the functional admin never reads the entries themselves
            rows = (
                self.env["vp.time.entry"]
                .sudo()
                ._read_group(
                    [
                        ("counsellor_id", "=", contract.counsellor_id.id),
                        ("company_id", "=", contract.company_id.id),
                        ("date", ">=", f"{contract.year:04d}-01-01"),
                        ("date", "<=", f"{contract.year:04d}-12-31"),
                    ],
                    aggregates=["hours:sum"],
                )
                if contract.counsellor_id and contract.year
                else []
            )
            contract.hours_registered = rows[0][0] if rows else 0.0
