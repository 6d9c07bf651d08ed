# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class VpCategory(models.Model):
    """A kind of unwanted behaviour, used to classify cases and in the annual report."""

    _name = "vp.category"
    _description = "Kind of unwanted behaviour"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Stable technical key, used in exports and the annual report.",
    )
    description = fields.Text(translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_unique", "unique(code)", "A category with this code already exists."),
    ]
