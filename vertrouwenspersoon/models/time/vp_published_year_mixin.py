# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class VpPublishedYearMixin(models.AbstractModel):
    """Entries of a year whose annual report is published are frozen: the counsellors'
    time and expenses, dated and of a company."""

    _name = "vp.published.year.mixin"
    _description = "Frozen once the annual report of the year is published"
    _order = "date desc, id desc"

    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )

    @api.model
    def _check_year_not_published(self, year, company):
        """Raise a UserError if the annual report of `year` for `company` is published."""
        published = (
            self.env["vp.annual.report"]
            .sudo()
            .search_count(
                [
                    ("year", "=", int(year)),
                    ("company_id", "in", [company.id if company else False, False]),
                    ("state", "=", "published"),
                ],
                limit=1,
            )
        )
        if published:
            raise UserError(
                _(
                    "The annual report of %(year)s has been published: its time and "
                    "expenses can no longer be added, changed or deleted.",
                    year=year,
                )
            )

    def _check_records_not_published(self):
        if self._abstract:
            return  # RPC on the mixin itself: the ORM's access check refuses it
        for year, company in {(rec.date.year, rec.company_id) for rec in self if rec.date}:
            self._check_year_not_published(year, company)

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._check_records_not_published()
        return records

    def write(self, vals):
        self._check_records_not_published()
        res = super().write(vals)
        if "date" in vals or "company_id" in vals:
            self._check_records_not_published()
        return res

    def unlink(self):
        self._check_records_not_published()
        return super().unlink()
