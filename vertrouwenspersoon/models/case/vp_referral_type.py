# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class VpReferralType(models.Model):
    """Where a counsellor can refer a reporter to (bedrijfsarts, Slachtofferhulp, ...)."""

    _name = "vp.referral.type"
    _description = "Referral"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Stable technical key, used in the annual report.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_unique", "unique(code)", "A referral with this code already exists."),
    ]
