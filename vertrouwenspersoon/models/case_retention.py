import logging
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models, modules
from odoo.exceptions import UserError

from .case import CLOSED_STATES, CONTENT_FIELDS
from .security_log_text import _lt

_logger = logging.getLogger(__name__)

RETENTION_PARAM = "vertrouwenspersoon.retention_months"
DEFAULT_RETENTION_MONTHS = 12
WARNING_DAYS = 30


class VpCase(models.Model):
    """Retention: a closed case keeps its content until ``retention_date``; then the daily
    cron erases the content, its contact notes and documents, and keeps the anonymised
    metadata the annual reports were built from.
    """

    _inherit = "vp.case"

    retention_date = fields.Date(
        readonly=True,
        copy=False,
        index=True,
        help="Set when the case is closed. On this day the content is destroyed.",
    )
    retention_extended = fields.Boolean(readonly=True, copy=False)
    retention_reason = fields.Text(string="Reason for extension", readonly=True, copy=False)
    retention_warning = fields.Boolean(
        string="Retention due",
        compute="_compute_retention_warning",
        search="_search_retention_warning",
        help="The content of this case will be destroyed within 30 days.",
    )
    destroyed_date = fields.Date(readonly=True, copy=False, index=True)

    @api.model
    def _retention_months(self):
        value = self.env["ir.config_parameter"].sudo().get_param(RETENTION_PARAM)
        try:
            months = int(value) if value else DEFAULT_RETENTION_MONTHS
        except ValueError:
            months = DEFAULT_RETENTION_MONTHS
        return max(months, 1)

    def _default_retention_date(self):
        self.ensure_one()
        closed = self.date_closed or fields.Date.context_today(self)
        return closed + relativedelta(months=self._retention_months())

    def _compute_retention_warning(self):
        limit = fields.Date.context_today(self) + timedelta(days=WARNING_DAYS)
        for case in self:
            case.retention_warning = bool(
                case.retention_date and not case.destroyed_date and case.retention_date <= limit
            )

    def _search_retention_warning(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on retention due."))
        limit = fields.Date.context_today(self) + timedelta(days=WARNING_DAYS)
        domain = [
            ("retention_date", "!=", False),
            ("retention_date", "<=", limit),
            ("destroyed_date", "=", False),
        ]
        return domain if (operator == "=") == value else ["!", *["&", "&"], *domain]

    def _check_open_for_content(self):
        for case in self:
            if case.destroyed_date:
                raise UserError(
                    _("The content of case %s was destroyed; nothing can be added.", case.name)
                )

    def action_extend_retention(self, reason):
        """Keep the content longer, once, for a stated reason (logged)."""
        self._check_own_case(deputy_allowed=False)
        reason = (reason or "").strip()
        if not reason:
            raise UserError(_("Give the reason for keeping the case longer."))
        for case in self:
            if case.state not in CLOSED_STATES or not case.retention_date:
                raise UserError(_("Only a closed case has a retention date (%s).", case.name))
            if case.destroyed_date:
                raise UserError(_("The content of case %s was already destroyed.", case.name))
            if case.retention_extended:
                raise UserError(_("The retention of case %s was already extended once.", case.name))
            new_date = case.retention_date + relativedelta(months=self._retention_months())
            case.write(
                {"retention_date": new_date, "retention_extended": True, "retention_reason": reason}
            )
            # the reason is content (encrypted on the case); the log keeps none
            self.env["vp.security.log"].sudo()._log(
                "retention_extend",
                _lt(
                    "Retention of case %(case)s extended to %(date)s.",
                    case=case.name,
                    date=new_date,
                ),
                case=case,
            )
        return True

    def action_open_extend_wizard(self):
        self._check_own_case(deputy_allowed=False)
        return {
            "type": "ir.actions.act_window",
            "res_model": "vp.case.retention.extend",
            "view_mode": "form",
            "target": "new",
            "context": {"default_case_id": self.id},
        }

    # --------------------------------------------------------------- destruction
    def _retention_destroy(self):
        """Erase content, contact notes and documents; keep metadata. Idempotent.

        The vault extends this to drop the case's wrapped keys as well.
        """
        today = fields.Date.context_today(self)
        for case in self.sudo():
            case.document_ids.unlink()
            case.contact_ids.write({"notes": False})
            case.write(
                {
                    **dict.fromkeys(CONTENT_FIELDS, False),
                    "retention_reason": False,
                    "destroyed_date": today,
                }
            )
            self.env["vp.security.log"].sudo()._log(
                "retention_destroy",
                _lt(
                    "Content of case %(case)s destroyed on %(date)s (retention).",
                    case=case.name,
                    date=today,
                ),
                case=case,
            )

    @api.model
    def _cron_retention(self, batch_size=50):
        """Daily: destroy the content of cases whose retention date has passed.

        One transaction per batch, each case fully done or not at all: if the run is
        interrupted, the next run picks up what is left (destroyed cases no longer match).
        """
        domain = [
            ("retention_date", "<", fields.Date.context_today(self)),
            ("destroyed_date", "=", False),
            ("state", "in", list(CLOSED_STATES)),
        ]
        cases = self.sudo().with_context(active_test=False)
        done = 0
        remaining = cases.search_count(domain)
        cron = self.env["ir.cron"]
        while True:
            batch = cases.search(domain, limit=batch_size, order="retention_date, id")
            if not batch:
                break
            with self.env.cr.savepoint():
                batch._retention_destroy()
            done += len(batch)
            remaining = max(remaining - len(batch), 0)
            cron._notify_progress(done=done, remaining=remaining)
            if not modules.module.current_test:
                self.env.cr.commit()  # pylint: disable=invalid-commit
        if done:
            _logger.info("retention: destroyed the content of %d case(s)", done)
        return done


class VpCaseRetentionExtend(models.TransientModel):
    _name = "vp.case.retention.extend"
    _description = "Extend the retention of a case"

    case_id = fields.Many2one("vp.case", required=True, ondelete="cascade")
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.case_id.action_extend_retention(self.reason)
        return {"type": "ir.actions.act_window_close"}
