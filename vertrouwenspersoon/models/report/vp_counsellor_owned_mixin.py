# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class VpCounsellorOwnedMixin(models.AbstractModel):
    """A record written by a counsellor for a company (awareness, signals, reports)."""

    _name = "vp.counsellor.owned.mixin"
    _description = "Written by a counsellor"

    counsellor_id = fields.Many2one(
        "res.users",
        required=True,
        default=lambda self: self.env.user,
        ondelete="restrict",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
