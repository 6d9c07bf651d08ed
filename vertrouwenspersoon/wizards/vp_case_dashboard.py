# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import datetime, time, timedelta

from odoo import api, fields, models

from ..tools import wbk

AFTERCARE_DAYS = 7


class VpCaseDashboard(models.TransientModel):
    """The counsellor's start screen: three counters, each opening the matching cases.

    Counts go through the normal ORM as the counsellor, so record rules apply: a
    counsellor only ever counts their own (and deputised) cases.
    """

    _name = "vp.case.dashboard"
    _description = "Counsellor dashboard"

    open_count = fields.Integer(string="Open cases", compute="_compute_counts")
    aftercare_count = fields.Integer(string="Aftercare due", compute="_compute_counts")
    retention_count = fields.Integer(string="Retention due", compute="_compute_counts")
    intake_count = fields.Integer(string="Cases this year", compute="_compute_counts")
    conversation_count = fields.Integer(
        string="Anonymous messages waiting", compute="_compute_counts"
    )
    wbk_count = fields.Integer(string="Wbk deadlines", compute="_compute_counts")

    @api.model
    def _aftercare_domain(self):
        today = fields.Date.context_today(self)
        start = datetime.combine(today, time.min)
        end = start + timedelta(days=AFTERCARE_DAYS + 1)
        return [
            ("is_open", "=", True),
            (
                "contact_ids",
                "any",
                [
                    ("is_aftercare", "=", True),
                    ("date", ">=", fields.Datetime.to_string(start)),
                    ("date", "<", fields.Datetime.to_string(end)),
                ],
            ),
        ]

    @api.depends_context("uid")
    def _compute_counts(self):
        cases = self.env["vp.case"]
        year_start = fields.Date.context_today(self).replace(month=1, day=1)
        for dashboard in self:
            dashboard.open_count = cases.search_count([("is_open", "=", True)])
            dashboard.aftercare_count = cases.search_count(self._aftercare_domain())
            dashboard.retention_count = cases.search_count([("retention_warning", "=", True)])
            dashboard.intake_count = cases.search_count([("date_intake", ">=", year_start)])
            dashboard.conversation_count = self.env["vp.conversation"].search_count(
                [("awaiting_answer", "=", True), ("state", "!=", "closed")]
            )
            dashboard.wbk_count = self.env["vp.conversation"].search_count(
                [("state", "!=", "case"), *self._wbk_domain()]
            ) + cases.search_count(self._wbk_domain())

    @api.model
    def get_cards(self):
        """The counters of the dashboard client action, with the button each opens.

        The start screen is a client action, not a form of this model: a form of a
        transient model shows an unsaved "New" record and its computed counters stay 0.
        """
        dashboard = self.new({})
        return [
            {
                "key": key,
                "label": dashboard._fields[f"{key}_count"].get_description(self.env)["string"],
                "hint": hint,
                "count": dashboard[f"{key}_count"],
                "method": method,
                "style": style,
            }
            for key, hint, method, style in (
                ("open", "", "action_open_cases", "primary"),
                ("aftercare", self.env._("next 7 days"), "action_aftercare_due", "info"),
                ("retention", self.env._("next 30 days"), "action_retention_due", "warning"),
                ("intake", "", "action_this_year", "secondary"),
                ("conversation", "", "action_conversations_waiting", "primary"),
                ("wbk", self.env._("due within 7 days or overdue"), "action_wbk_due", "danger"),
            )
        ]

    def _open_cases(self, name, domain):
        action = self.env["ir.actions.act_window"]._for_xml_id("vertrouwenspersoon.vp_case_action")
        # the breadcrumb shows display_name before name: both name the counter
        action.update(name=name, display_name=name, domain=domain, context={})
        return action

    def action_open_cases(self):
        return self._open_cases(self.env._("Open cases"), [("is_open", "=", True)])

    def action_aftercare_due(self):
        return self._open_cases(self.env._("Aftercare due"), self._aftercare_domain())

    def action_retention_due(self):
        return self._open_cases(self.env._("Retention due"), [("retention_warning", "=", True)])

    def action_this_year(self):
        year_start = fields.Date.context_today(self).replace(month=1, day=1)
        return self._open_cases(self.env._("Cases this year"), [("date_intake", ">=", year_start)])

    @api.model
    def _wbk_domain(self):
        """Wbk reports with a deadline still open within a week, or past."""
        return wbk.open_deadline_domain("<=", fields.Date.context_today(self) + timedelta(days=7))

    def _open_conversations(self, name, domain):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "vertrouwenspersoon.vp_conversation_action"
        )
        action.update(name=name, display_name=name, domain=domain, context={})
        return action

    def action_conversations_waiting(self):
        return self._open_conversations(
            self.env._("Anonymous messages waiting"),
            [("awaiting_answer", "=", True), ("state", "!=", "closed")],
        )

    def action_wbk_due(self):
        """The conversations with a Wbk deadline, or the cases when no conversation has."""
        conversations = [("state", "!=", "case"), *self._wbk_domain()]
        if self.env["vp.conversation"].search_count(conversations):
            return self._open_conversations(self.env._("Wbk deadlines"), conversations)
        return self._open_cases(self.env._("Wbk deadlines"), self._wbk_domain())
