# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


class VpAwareness(models.Model):
    """An awareness activity (voorlichting) given by a counsellor; feeds the annual report."""

    _name = "vp.awareness"
    _inherit = ["vp.counsellor.owned.mixin"]
    _description = "Awareness activity"
    _order = "date desc, id desc"

    date = fields.Date(required=True, default=fields.Date.context_today)
    audience = fields.Selection(
        [
            ("employees", "Employees"),
            ("management", "Management"),
            ("board", "Board"),
            ("works_council", "Works council"),
            ("newcomers", "Newcomers"),
            ("other", "Other"),
        ],
        required=True,
        default="employees",
    )
    topic = fields.Char(required=True)
    participants = fields.Integer()
    duration = fields.Float(string="Duration (hours)")

    _sql_constraints = [
        (
            "participants_positive",
            "CHECK(participants >= 0)",
            "The number of participants cannot be negative.",
        ),
        ("duration_positive", "CHECK(duration >= 0)", "The duration cannot be negative."),
    ]

    @api.depends("topic", "date")
    def _compute_display_name(self):
        for rec in self:
            rec.display_name = f"{rec.date or ''} {rec.topic or ''}".strip()
