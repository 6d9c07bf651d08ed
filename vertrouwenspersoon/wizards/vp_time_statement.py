# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..models.res_users import counsellor_field
from ..models.time.vp_time_entry import ACTIVITY_TYPES


class VpTimeStatement(models.TransientModel):
    """Monthly statement of hours per activity type, for invoicing: no case detail."""

    _name = "vp.time.statement"
    _description = "Monthly statement of counsellor hours"

    def _default_month(self):
        return str((fields.Date.context_today(self) - relativedelta(months=1)).month)

    def _default_year(self):
        return (fields.Date.context_today(self) - relativedelta(months=1)).year

    # cascade: a statement is a dialog's row, it never keeps a user from being deleted
    counsellor_id = counsellor_field(
        required=True, default=lambda self: self.env.user, ondelete="cascade"
    )
    year = fields.Integer(required=True, default=_default_year)
    month = fields.Selection(
        [
            ("1", "January"),
            ("2", "February"),
            ("3", "March"),
            ("4", "April"),
            ("5", "May"),
            ("6", "June"),
            ("7", "July"),
            ("8", "August"),
            ("9", "September"),
            ("10", "October"),
            ("11", "November"),
            ("12", "December"),
        ],
        required=True,
        default=_default_month,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )

    def _check_may_print(self):
        self.ensure_one()
        if self.counsellor_id != self.env.user and not self.env.user.has_group(
            "vertrouwenspersoon.group_vp_manager"
        ):
            raise AccessError(_("You can only print your own statement."))
        if not 1900 < self.year < 3000:
            raise UserError(_("Enter a valid year."))

    def _period(self):
        start = date(self.year, int(self.month), 1)
        return start, start + relativedelta(months=1, days=-1)

    def _contract(self):
        return (
            self.env["vp.counsellor.contract"]
            .sudo()
            .search(
                [
                    ("counsellor_id", "=", self.counsellor_id.id),
                    ("year", "=", self.year),
                    ("company_id", "=", self.company_id.id),
                ],
                limit=1,
            )
        )

    def _statement_lines(self):
        """[(activity key, label, hours)] for every activity type, zero included."""
        self._check_may_print()
        start, stop = self._period()
        totals = dict(
            self.env["vp.time.entry"]
            .sudo()
            ._read_group(
                [
                    ("counsellor_id", "=", self.counsellor_id.id),
                    ("company_id", "=", self.company_id.id),
                    ("date", ">=", start),
                    ("date", "<=", stop),
                ],
                ["activity_type"],
                ["hours:sum"],
            )
        )
        labels = dict(
            self.env["vp.time.entry"]._fields["activity_type"]._description_selection(self.env)
        )
        return [(key, labels[key], totals.get(key, 0.0)) for key, _label in ACTIVITY_TYPES]

    def action_print(self):
        self._check_may_print()
        return self.env.ref("vertrouwenspersoon.vp_time_statement_xlsx").report_action(self)

    @api.model
    def _month_label(self, month):
        return dict(self._fields["month"]._description_selection(self.env))[month]
