# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models
from odoo.exceptions import UserError


class VpSignal(models.Model):
    """An anonymised signal to the board outside the annual cycle (advies tussendoor).

    Recorded for the next annual report; once sent it is visible to the report readers.
    """

    _name = "vp.signal"
    _inherit = ["vp.counsellor.owned.mixin"]
    _description = "Signal to the board"
    _order = "date desc, id desc"

    date = fields.Date(required=True, default=fields.Date.context_today)
    subject = fields.Char(required=True)
    text = fields.Text(
        string="Anonymised text",
        required=True,
        help="Write it so that no person can be recognised: no names, departments or dates "
        "of incidents.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("sent", "Sent to the board")],
        default="draft",
        required=True,
        readonly=True,
    )
    sent_date = fields.Datetime(readonly=True)

    def action_send(self):
        if any(rec.state == "sent" for rec in self):
            raise UserError(self.env._("This signal has already been sent to the board."))
        self.write({"state": "sent", "sent_date": fields.Datetime.now()})

    def write(self, vals):
        if any(rec.state == "sent" for rec in self) and set(vals) - {"state", "sent_date"}:
            raise UserError(
                self.env._("A signal sent to the board cannot be changed; write a new one.")
            )
        return super().write(vals)

    def unlink(self):
        if any(rec.state == "sent" for rec in self):
            raise UserError(self.env._("A signal sent to the board cannot be deleted."))
        return super().unlink()
