# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from ..tools import wbk


class VpCase(models.Model):
    """A case can be a report of wrongdoing under the Dutch whistleblower act (Wbk): its
    legal deadlines apply, and it is counted apart from unwanted behaviour."""

    _inherit = "vp.case"

    is_wbk = fields.Boolean(string="Wbk integrity report", readonly=True, index=True)
    wbk_date_received = fields.Date(string="Received on", readonly=True)
    # the annual report counts Wbk reports by the date they were marked: a closed year's
    # figure never changes afterwards (no later version differs from a published one)
    wbk_date_marked = fields.Date(string="Marked as Wbk report on", readonly=True)
    wbk_reminded = fields.Char(readonly=True, help="Technical: reminders already sent.")
    wbk_confirm_due = fields.Date(
        string="Confirmation of receipt due", compute="_compute_wbk_dates", store=True
    )
    wbk_date_confirmed = fields.Date(string="Receipt confirmed on", readonly=True)
    wbk_feedback_due = fields.Date(string="Feedback due", compute="_compute_wbk_dates", store=True)
    wbk_date_feedback = fields.Date(string="Feedback given on", readonly=True)

    @api.depends("is_wbk", "wbk_date_received", "wbk_date_confirmed")
    def _compute_wbk_dates(self):
        for case in self:
            received = case.is_wbk and case.wbk_date_received
            confirmed = case.is_wbk and case.wbk_date_confirmed
            case.wbk_confirm_due = wbk.confirm_due(received)
            case.wbk_feedback_due = wbk.feedback_due(confirmed)

    def action_mark_wbk(self):
        """Mark as a Wbk report, received on the date of first contact."""
        self._check_own_case()
        for case in self.filtered(lambda c: not c.is_wbk):
            case.sudo().write(
                {
                    "is_wbk": True,
                    "wbk_date_received": case.date_intake,
                    "wbk_date_marked": fields.Date.context_today(self),
                }
            )
        return True

    def action_wbk_confirmed(self):
        """The counsellor confirmed the receipt to the reporter (today)."""
        self._check_own_case()
        self.filtered("is_wbk").sudo().write(
            {"wbk_date_confirmed": fields.Date.context_today(self)}
        )
        return True

    def action_wbk_feedback_given(self):
        self._check_own_case()
        self.filtered("is_wbk").sudo().write({"wbk_date_feedback": fields.Date.context_today(self)})
        return True

    def _wbk_from_conversation(self, conversation):
        """A case made from a Wbk conversation keeps its dates."""
        self.sudo().write(
            {
                "is_wbk": True,
                "wbk_date_marked": fields.Date.context_today(self),
                "wbk_date_received": conversation.wbk_date_received,
                "wbk_date_confirmed": conversation.wbk_date_confirmed,
                "wbk_date_feedback": conversation.wbk_date_feedback,
            }
        )
