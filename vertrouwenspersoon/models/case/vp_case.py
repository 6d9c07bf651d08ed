# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
import logging
import random
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models, modules
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools.sql import create_index

from ...tools import vault_crypto as vc
from ...tools import wbk
from ..res_users import counsellor_field
from ..vault.security_log_text import _lt
from ..vault.vp_vault_drop_mixin import (
    DROP_PREFIX,
    VaultIntegrityError,
    _with_vault,
    encrypt_legacy_columns,
    encrypted_field,
    envelope_hash,
)

CHANNELS = [
    ("in_person", "In person"),
    ("phone", "Phone"),
    ("video", "Video call"),
    ("email", "E-mail"),
    ("outside", "Outside the organisation"),
]
CLOSED_STATES = ("closed", "outside_remit")
OPEN_STATES = ("intake", "guidance", "formal", "aftercare")

# state -> states a case may move to (buttons and direct writes alike)
TRANSITIONS = {
    "intake": ("guidance", "formal", "closed", "outside_remit"),
    "guidance": ("formal", "aftercare", "closed", "outside_remit"),
    "formal": ("guidance", "aftercare", "closed"),
    "aftercare": ("guidance", "closed"),
    "closed": ("guidance",),
    "outside_remit": ("intake",),
}

# The fields holding what a reporter told the counsellor. The vault encrypts them, the
# retention cron erases them; everything else on a case is metadata.
CONTENT_FIELDS = ("melder_name", "melder_contact", "others_involved", "description", "notes")

_logger = logging.getLogger(__name__)


WARNING_DAYS = 30


# One file per model, one class block per concern in the order Odoo loads them
# (docs/architecture.md): pylint-odoo's advice to merge these blocks does not apply.
# pylint: disable=consider-merging-classes-inherited


class VpCase(models.Model):
    """A dossier (melding) of a confidential counsellor.

    Only its counsellor and the deputies the counsellor added can reach it (global record
    rules in security/vp_case_security.xml). Deliberately no mail.thread / activities:
    chatter, followers and e-mail notifications would copy case data to places other
    users can read.
    """

    _name = "vp.case"
    _inherit = ["vp.rule.check.sql.mixin", "vp.share.mixin"]
    _description = "Case"
    _order = "date_intake desc, id desc"
    _check_company_auto = True
    _share_wizard = "vp.case.share"

    # ------------------------------------------------------------------ metadata
    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/", index=True
    )
    counsellor_id = counsellor_field(
        required=True, readonly=True, default=lambda self: self.env.user
    )
    deputy_ids = fields.Many2many(
        "res.users",
        "vp_case_deputy_rel",
        "case_id",
        "user_id",
        string="Deputies",
        readonly=True,
        prefetch=False,
        copy=False,
        help="Counsellors this case is shared with (vervangingsregeling). Use the Share "
        "and Revoke buttons: both are logged.",
    )
    has_deputies = fields.Boolean(
        compute="_compute_has_deputies",
        store=True,
        help="Technical: lets the record rule skip the deputy lookup for unshared cases.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    state = fields.Selection(
        [
            ("intake", "Intake"),
            ("guidance", "Guidance"),
            ("formal", "Formal procedure"),
            ("aftercare", "Aftercare"),
            ("closed", "Closed"),
            ("outside_remit", "Closed: outside remit"),
        ],
        default="intake",
        required=True,
        readonly=True,
        copy=False,
        index=True,
    )
    is_open = fields.Boolean(compute="_compute_is_open", search="_search_is_open")
    date_intake = fields.Date(
        string="Date of first contact", required=True, default=fields.Date.context_today, index=True
    )
    intake_channel = fields.Selection(CHANNELS, string="Channel of first contact")
    date_closed = fields.Date(readonly=True, copy=False)
    category_ids = fields.Many2many("vp.category", string="Categories")
    reporter_type = fields.Selection(
        [
            ("employee", "Employee"),
            ("temp", "Temporary worker"),
            ("secondee", "Secondee"),
            ("freelancer", "Freelancer"),
            ("intern", "Intern"),
            ("former", "Former employee (up to a year)"),
            ("other", "Other"),
        ],
    )
    accused_role = fields.Selection(
        [
            ("manager", "Manager"),
            ("colleague", "Colleague"),
            ("subordinate", "Subordinate"),
            ("client", "Client or third party"),
            ("unknown", "Unknown"),
        ],
        string="Role of person causing it",
    )
    behaviour_duration = fields.Selection(
        [
            ("lt_1m", "Less than a month"),
            ("m1_6", "1 to 6 months"),
            ("m6_12", "6 to 12 months"),
            ("gt_1y", "More than a year"),
            ("unknown", "Unknown"),
        ],
        string="Going on for",
    )
    route = fields.Selection(
        [
            ("listening", "Listening ear only"),
            ("informal", "Informal: conversation or mediation"),
            ("formal_complaint", "Formal complaint to the complaints committee"),
            ("police_report", "Police report"),
            ("whistleblower", "Report of wrongdoing"),
        ],
    )
    referral_ids = fields.Many2many("vp.referral.type", string="Referrals")
    outcome = fields.Selection(
        [
            ("resolved", "Resolved"),
            ("partly_resolved", "Partly resolved"),
            ("not_resolved", "Not resolved"),
            ("referred", "Referred"),
            ("withdrawn", "Withdrawn by the reporter"),
            ("left", "Reporter left the organisation"),
            ("unknown", "Unknown"),
        ],
    )
    remit_reason = fields.Selection(
        [
            ("functioning", "Functioning or appraisal"),
            ("reorganisation", "Reorganisation"),
            ("labour_conflict", "Labour conflict"),
            ("integrity", "Integrity"),
            ("private", "Private matter"),
            ("other", "Other"),
        ],
        string="Outside remit because",
    )
    consent_date = fields.Date(help="Date on which the reporter gave consent to share information.")
    consent_scope = fields.Selection(
        [
            ("none", "No information may be shared"),
            ("referral", "With the referral only"),
            ("hr", "With HR"),
            ("committee", "With the complaints committee"),
            ("route", "With all parties of the agreed route"),
        ],
        help="What the reporter agreed the counsellor may share, and with whom.",
    )
    contact_ids = fields.One2many("vp.case.contact", "case_id", string="Contact moments")
    document_ids = fields.One2many("vp.case.document", "case_id", string="Documents")
    contact_count = fields.Integer(compute="_compute_counts")
    contact_hours = fields.Float(compute="_compute_counts")
    document_count = fields.Integer(compute="_compute_counts")
    next_aftercare = fields.Datetime(
        string="Next aftercare moment", compute="_compute_next_aftercare"
    )
    is_deputy = fields.Boolean(
        compute="_compute_is_deputy", help="The current user sees this case as deputy."
    )

    # ------------------------------------------------------------- content
    # Plain fields on purpose: VpCaseVault below overrides them to encrypt them.
    # prefetch="content": lists never load them, only views that show them.
    melder_name = fields.Char(string="Reporter", copy=False, prefetch="content")
    melder_contact = fields.Char(
        string="Reporter's contact details", copy=False, prefetch="content"
    )
    others_involved = fields.Text(copy=False, prefetch="content")
    description = fields.Text(string="Account", copy=False, prefetch="content")
    notes = fields.Text(copy=False, prefetch="content")

    _sql_constraints = [
        ("name_company_unique", "unique(name, company_id)", "The case reference must be unique."),
    ]

    def init(self):
        # The record rule is "counsellor_id = uid OR (has_deputies AND uid in deputies)":
        # these two indexes let PostgreSQL answer it with a BitmapOr of two index scans
        # instead of scanning every case (see bench/bench_cases.py).
        create_index(
            self.env.cr, "vp_case_counsellor_state_index", self._table, ["counsellor_id", "state"]
        )
        create_index(self.env.cr, "vp_case_shared_index", self._table, ["id"], where="has_deputies")

    # ----------------------------------------------------------- computes
    @api.depends("deputy_ids")
    def _compute_has_deputies(self):
        for case in self:
            case.has_deputies = bool(case.deputy_ids)

    @api.depends("state")
    def _compute_is_open(self):
        for case in self:
            case.is_open = case.state not in CLOSED_STATES

    def _search_is_open(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on open cases."))
        positive = (operator == "=") == value
        # a positive IN (not NOT IN) so the (counsellor_id, state) index applies
        return [("state", "in", list(OPEN_STATES if positive else CLOSED_STATES))]

    @api.depends("contact_ids.duration", "document_ids")
    def _compute_counts(self):
        for case in self:
            case.contact_count = len(case.contact_ids)
            case.contact_hours = sum(case.contact_ids.mapped("duration"))
            case.document_count = len(case.document_ids)

    @api.depends("contact_ids.date", "contact_ids.is_aftercare")
    def _compute_next_aftercare(self):
        now = fields.Datetime.now()
        for case in self:
            planned = case.contact_ids.filtered(lambda c: c.is_aftercare and c.date >= now)
            case.next_aftercare = min(planned.mapped("date")) if planned else False

    @api.depends_context("uid")
    @api.depends("deputy_ids")
    def _compute_is_deputy(self):
        for case in self:
            case.is_deputy = self.env.user in case.deputy_ids

    @api.constrains("counsellor_id", "deputy_ids")
    def _check_counsellors(self):
        group = self.env.ref("vertrouwenspersoon.group_vp_counsellor")
        for case in self:
            users = case.counsellor_id | case.deputy_ids
            if users - group.sudo().users:
                raise ValidationError(
                    _("Only counsellors can hold or share a case (%s).", case.name)
                )
            if case.counsellor_id in case.deputy_ids:
                raise ValidationError(_("The counsellor of a case cannot be its own deputy."))

    # ------------------------------------------------------------- CRUD
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            counsellor = vals.get("counsellor_id", self.env.uid)
            if counsellor != self.env.uid and not self.env.su:
                # Decision: a counsellor creates cases for themselves only; a case goes
                # to a colleague through action_hand_over, which is logged.
                raise UserError(
                    _("You can only create cases for yourself; use Hand over afterwards.")
                )
            if vals.get("deputy_ids") and not self.env.su:
                raise UserError(_("Share a case with a deputy with the Share button."))
            if vals.get("state") in CLOSED_STATES:
                vals.setdefault("date_closed", fields.Date.context_today(self))
            if not vals.get("name") or vals["name"] == "/":
                vals["name"] = self._next_reference(vals.get("date_intake"))
        cases = super().create(vals_list)
        cases.filtered(lambda c: c.state in CLOSED_STATES)._check_can_close()
        for case in cases.filtered(lambda c: c.state in CLOSED_STATES):
            if not case.retention_date:
                case.retention_date = case._default_retention_date()
        log = self.env["vp.security.log"].sudo()
        for case in cases:
            if case.counsellor_id != self.env.user:
                log._log(
                    "case_create",
                    _lt(
                        "Case %(case)s created for %(user)s.",
                        case=case.name,
                        user=case.counsellor_id.name,
                    ),
                    case=case,
                    user=case.counsellor_id,
                )
        return cases

    @api.model
    def _next_reference(self, date_intake=None):
        """VP-<year>-<nnnn>, numbered per year of first contact.

        ir.sequence with yearly date ranges, implementation "standard": every year has
        its own PostgreSQL sequence, so concurrent intakes never get the same number.
        """
        day = fields.Date.to_date(date_intake) or fields.Date.context_today(self)
        return self.env["ir.sequence"].sudo().next_by_code("vp.case", sequence_date=day)

    def write(self, vals):
        if {"counsellor_id", "deputy_ids", "state"} & set(vals):
            self.check_access("write")  # access errors first, for everyone without access
        silent_reassign = self.browse()
        if "counsellor_id" in vals and not self.env.context.get("vp_hand_over"):
            silent_reassign = self.filtered(lambda c: c.counsellor_id.id != vals["counsellor_id"])
            if silent_reassign and not self.env.su:
                raise UserError(_("Use Hand over to give a case to another counsellor."))
        if "deputy_ids" in vals and not self.env.context.get("vp_share"):
            raise UserError(_("Share a case with a deputy with the Share button."))
        if "state" in vals:
            self._check_transition(vals["state"])
            if vals["state"] in CLOSED_STATES:
                self._check_can_close(vals)
                vals.setdefault("date_closed", fields.Date.context_today(self))
            else:
                vals.update(date_closed=False, retention_date=False, retention_extended=False)
        previous = {case.id: case.counsellor_id.name for case in silent_reassign}
        result = super().write(vals)
        for case in silent_reassign:
            # system code (sudo) may reassign, but never unnoticed by the counsellors
            self.env["vp.security.log"].sudo()._log(
                "reassign",
                _lt(
                    "Case %(case)s was reassigned from %(old)s to %(new)s by system code.",
                    case=case.name,
                    old=previous[case.id],
                    new=case.counsellor_id.name,
                ),
                case=case,
                user=case.counsellor_id,
            )
        if vals.get("state") in CLOSED_STATES:
            self._check_can_close()
            for case in self.filtered(lambda c: not c.retention_date):
                case.retention_date = case._default_retention_date()
        elif self.filtered(lambda c: c.state in CLOSED_STATES) and (
            {"outcome", "referral_ids"} & set(vals)
        ):
            self.filtered(lambda c: c.state in CLOSED_STATES)._check_can_close()
        return result

    def _check_transition(self, new_state):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for case in self:
            if case.state == new_state:
                continue
            if case.destroyed_date:
                raise UserError(
                    _(
                        "Case %s was destroyed under the retention policy; it cannot be reopened.",
                        case.name,
                    )
                )
            if new_state not in TRANSITIONS.get(case.state, ()):
                raise UserError(
                    _(
                        "Case %(case)s cannot go from %(old)s to %(new)s.",
                        case=case.name,
                        old=labels.get(case.state),
                        new=labels.get(new_state),
                    )
                )

    def _check_can_close(self, vals=None):
        """Closing needs an outcome; outside remit needs the referral given.

        With ``vals`` (a pending write) the check runs before anything is written.
        """
        vals = vals or {}
        for case in self:
            state = vals.get("state", case.state)
            outcome = vals.get("outcome", case.outcome)
            referred = case.referral_ids or vals.get("referral_ids")
            if state == "closed" and not outcome:
                raise UserError(_("Set the outcome before closing case %s.", case.name))
            if state == "outside_remit" and not referred:
                raise UserError(
                    _(
                        "Case %s is outside the counsellor's remit: record the referral "
                        "given to the reporter before closing it.",
                        case.name,
                    )
                )

    # ----------------------------------------------------------- actions
    def _check_own_case(self, deputy_allowed=True):
        """Raise unless the current user is the counsellor (or a deputy) of every case.

        Called first by every public method, so an RPC call by anyone else fails
        before anything happens, whatever their groups (system administrators too).
        """
        self.check_access("write")
        user = self.env.user
        for case in self:
            if case.counsellor_id == user or (deputy_allowed and user in case.deputy_ids):
                continue
            raise AccessError(_("Only the counsellor of case %s can do this.", case.name))

    def _set_state(self, state):
        self._check_own_case()
        self.write({"state": state})
        return True

    def action_guidance(self):
        return self._set_state("guidance")

    def action_formal(self):
        return self._set_state("formal")

    def action_aftercare(self):
        return self._set_state("aftercare")

    def action_close(self):
        return self._set_state("closed")

    def action_outside_remit(self):
        return self._set_state("outside_remit")

    def action_reopen(self):
        self._check_own_case()
        for case in self:
            case.write({"state": "intake" if case.state == "outside_remit" else "guidance"})
        return True

    def _counsellor_arg(self, user):
        """The ``user`` argument of share/revoke/hand-over (a record or an id, e.g. from RPC)
        as an existing res.users record, or an empty one."""
        if isinstance(user, models.BaseModel):
            return user.exists()
        try:
            return self.env["res.users"].browse(int(user)).exists()
        except (TypeError, ValueError):
            return self.env["res.users"]

    def _other_counsellor(self, user, message):
        """``user`` as a counsellor record, or a UserError with ``message``."""
        user = self._counsellor_arg(user)
        if not user or not user.has_group("vertrouwenspersoon.group_vp_counsellor"):
            raise UserError(message)
        return user

    def _access_log_names(self, user):
        """What a security log line of an access change names."""
        return {"actor": self.env.user.name, "case": self.name, "user": user.name}

    def _change_access(self, event, user, vals, message):
        """Write a share, revoke or hand-over on this one case and log it."""
        self.ensure_one()
        self.with_context(vp_share=True, vp_hand_over=event == "reassign").write(vals)
        self.env["vp.security.log"].sudo()._log(event, message, case=self, user=user)

    def action_share_with(self, user):
        """Give ``user`` (another counsellor) access to this case as deputy; logged."""
        self._check_own_case(deputy_allowed=False)
        user = self._other_counsellor(user, _("A case can only be shared with another counsellor."))
        for case in self:
            if user == case.counsellor_id or user in case.deputy_ids:
                continue
            case._change_access(
                "share",
                user,
                {"deputy_ids": [fields.Command.link(user.id)]},
                _lt(
                    "%(actor)s shared case %(case)s with %(user)s.", **case._access_log_names(user)
                ),
            )
        return True

    def action_revoke(self, user):
        """Take the deputy access of ``user`` away again; logged."""
        self._check_own_case(deputy_allowed=False)
        user = self._counsellor_arg(user)
        for case in self:
            if user not in case.deputy_ids:
                continue
            case._change_access(
                "revoke",
                user,
                {"deputy_ids": [fields.Command.unlink(user.id)]},
                _lt(
                    "%(actor)s revoked the access of %(user)s to case %(case)s.",
                    **case._access_log_names(user),
                ),
            )
        return True

    def action_hand_over(self, user):
        """Give the case to another counsellor (e.g. when leaving); logged."""
        self._check_own_case(deputy_allowed=False)
        user = self._other_counsellor(
            user, _("A case can only be handed over to another counsellor.")
        )
        for case in self:
            vals = {"counsellor_id": user.id}
            if user in case.deputy_ids:
                vals["deputy_ids"] = [fields.Command.unlink(user.id)]
            message = _lt(
                "%(actor)s handed case %(case)s over from %(old)s to %(new)s.",
                old=case.counsellor_id.name,
                new=user.name,
                **case._access_log_names(user),
            )
            case._change_access("reassign", user, vals, message)
        return True

    def _check_may_share(self):
        self._check_own_case(deputy_allowed=False)

    def _action_open_form(self):
        """The form of this case, in the main window (after a booking or an anonymous
        conversation became this case)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_print_inzage(self):
        """The case file for the reporter (GDPR access request)."""
        self._check_own_case()
        return self.env.ref("vertrouwenspersoon.vp_case_inzage_report").report_action(self)

    # Retention: a closed case keeps its content until ``retention_date``; then the daily
    # cron erases the content, its contact notes and documents, and keeps the anonymised
    # metadata the annual reports were built from.
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
        return self.env["vp.settings"]._vp_value("vp_retention_months")

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


class VpCaseVault(models.Model):
    _name = "vp.case"
    _inherit = ["vp.case", "vp.vault.content.mixin"]

    _vault_fields = (*CONTENT_FIELDS, "retention_reason")

    melder_name = encrypted_field(fields.Char, "melder_name")
    melder_contact = encrypted_field(fields.Char, "melder_contact")
    others_involved = encrypted_field(fields.Text, "others_involved")
    description = encrypted_field(fields.Text, "description")
    notes = encrypted_field(fields.Text, "notes")
    melder_name_enc = fields.Text(copy=False)
    melder_contact_enc = fields.Text(copy=False)
    others_involved_enc = fields.Text(copy=False)
    description_enc = fields.Text(copy=False)
    notes_enc = fields.Text(copy=False)
    # why the counsellor keeps the case longer tells about the case: content too
    retention_reason = encrypted_field(fields.Text, "retention_reason")
    retention_reason_enc = fields.Text(copy=False)
    vault_key_ids = fields.One2many("vp.case.key", "case_id", string="Wrapped case keys")
    vault_locked = fields.Boolean(
        compute="_compute_vault_locked",
        string="Vault locked",
        help="The content of this case is encrypted and your vault is locked.",
    )

    def _vault_case(self):
        return self

    def action_unlock_vault(self):
        self._check_own_case()
        return super().action_unlock_vault()

    # ------------------------------------------------------------------ re-keying

    def _vault_require_key(self):
        """The data key of this case for the current (unlocked) user, or a clear error."""
        self.ensure_one()
        if not self.env["vp.vault"].is_vault_unlocked():
            raise UserError(self.env._("Unlock your vault first: sharing needs the case key."))
        if not self.env["vp.case.key"].sudo().search_count([("case_id", "=", self.id)]):
            return self._vault_create_case_key(self)
        key = self._vault_case_key(self)
        if key is None:
            raise UserError(
                self.env._("You hold no key for case %s, so you cannot share it.", self.name)
            )
        return key

    def _vault_content_records(self):
        self.ensure_one()
        case = self.sudo()
        return [(case, case._vault_fields), *case._vault_child_records()]

    def _vault_child_records(self):
        return [
            (self.contact_ids, self.env["vp.case.contact"]._vault_fields),
            (self.document_ids, self.env["vp.case.document"]._vault_fields),
        ]

    def _vault_rekey(self, rotate=False):
        """Re-encrypt all content of this case (drops included) and re-wrap its key for
        the current readers. ``rotate``: under a fresh data key (after a revoke)."""
        self.ensure_one()
        old_key = self._vault_require_key()
        revision = (self._vault_manifest(old_key) or {"rev": 0})["rev"]
        private = self.env["vp.vault"]._get_private_key()
        cache = {self.id: old_key}
        plain = []
        for records, fnames in self._vault_content_records():
            for record in records:
                for fname in fnames:
                    envelope = record[f"{fname}_enc"]
                    if not envelope or (not rotate and not envelope.startswith(DROP_PREFIX)):
                        continue
                    value = record._vault_decrypt(envelope, fname, record.id, self, cache, private)
                    if value is None:
                        raise UserError(
                            self.env._(
                                "Content of case %s was added for other counsellors only; "
                                "it cannot be re-encrypted by you.",
                                self.name,
                            )
                        )
                    plain.append((record, fname, value))
        keys = self.env["vp.case.key"].sudo()
        if rotate:
            keys.search([("case_id", "=", self.id)]).unlink()
            new_key = self._vault_create_case_key(self)
        else:
            new_key = old_key
            readers = self._vault_readers(self)
            existing = keys.search([("case_id", "=", self.id)])
            foreign = existing.filtered(lambda k: k.user_id not in readers)
            foreign.unlink()
            for user in readers - (existing - foreign).user_id:
                keys.create(
                    {
                        "case_id": self.id,
                        "user_id": user.id,
                        "wrapped_key": self.env["vp.vault"]._wrap_for(
                            user, new_key, ("vp.case", self.id, user.id)
                        ),
                    }
                )
        entries = {}
        for record, fname, value in plain:
            envelope = vc.encrypt_field(new_key, value, record._name, record.id, fname)
            record.sudo()[f"{fname}_enc"] = envelope
            entries[record._vault_manifest_key(record.id, fname)] = envelope
        # a rotated key seals a fresh manifest (all content was re-encrypted above)
        self._vault_manifest_update(new_key, entries, after_revision=revision if rotate else None)

    # ------------------------------------------------------------------ sharing

    def _vault_counsellor_with_vault(self, user):
        """Vault checks only for a counsellor: anything else is refused by the case code."""
        if user and user.has_group("vertrouwenspersoon.group_vp_counsellor"):
            self.env["vp.vault"]._public_key_of(user)  # they need a vault to receive a key

    def _vault_foreign_keys(self):
        """Key rows of these cases held by someone who is not a reader (planted with
        sudo or SQL, or left to a counsellor who has left the group)."""
        return self.env["vp.case.key"]._foreign_rows(case_ids=self.ids)

    def _vault_log_foreign_keys(self):
        """Before re-keying drops them, log the key rows of non-readers: never unnoticed."""
        for row in self._vault_foreign_keys():
            self.env["vp.security.log"].sudo()._log(
                "vault_foreign_key",
                _lt(
                    "Case %(case)s held a key for %(user)s, who is not its counsellor or a "
                    "deputy; it was removed and nothing new is encrypted for them.",
                    case=row.case_id.name,
                    user=row.user_id.name,
                ),
                case=row.case_id,
                user=row.user_id,
            )

    def _vault_check_verified_key(self, user):
        """Share only with the key the counsellor saw at their last unlock: a colleague's
        key replaced since then is reviewed at the next unlock first."""
        vault = self.env["vp.vault"]._vault_of()
        private = self.env["vp.vault"]._get_private_key()
        colleague = self.env["vp.vault"]._vault_of(user)
        if not vault or private is None or not colleague:
            return
        state = vault._load_state(private) or {}
        keys = state.setdefault("keys", {})
        known = keys.get(str(user.id))
        if known is None:
            # a colleague who set up a vault since: trusted on first use, remembered
            keys[str(user.id)] = colleague.fingerprint
            vault._save_state(private, state)
        elif known != colleague.fingerprint:
            raise UserError(
                self.env._(
                    "The key of %s is not the one you verified at your last unlock. Lock "
                    "and unlock your vault to review the change before you share.",
                    user.name,
                )
            )

    def _change_access(self, event, user, vals, message):
        if event == "share":
            vault = self.env["vp.vault"]._vault_of(user)
            if vault:
                message = _lt(
                    "%(line)s Case key wrapped for key fingerprint %(fp)s.",
                    line=message,
                    fp=vault.fingerprint,
                )
        return super()._change_access(event, user, vals, message)

    def action_share_with(self, user):
        user = self._counsellor_arg(user)
        self._check_own_case(deputy_allowed=False)
        self._vault_log_foreign_keys()
        self._vault_counsellor_with_vault(user)
        for case in self:
            case._vault_require_key()
        self._vault_check_verified_key(user)
        result = super().action_share_with(user)
        for case in self:
            if user in case.deputy_ids and user not in case.sudo().vault_key_ids.user_id:
                case._vault_rekey()
        return result

    def action_revoke(self, user):
        user = self._counsellor_arg(user)
        self._check_own_case(deputy_allowed=False)
        self._vault_log_foreign_keys()
        for case in self:
            case._vault_require_key()
        result = super().action_revoke(user)
        for case in self:
            if user not in case.deputy_ids and user in case.sudo().vault_key_ids.user_id:
                # a fresh data key: whatever the deputy may have kept opens nothing new
                case._vault_rekey(rotate=True)
        return result

    def action_hand_over(self, user):
        user = self._counsellor_arg(user)
        self._check_own_case(deputy_allowed=False)
        self._vault_log_foreign_keys()
        self._vault_counsellor_with_vault(user)
        keys = {}
        for case in self:
            case._vault_rekey()  # drops under the case key, so the new counsellor reads them
            keys[case.id] = case._vault_require_key()
        result = super().action_hand_over(user)
        for case in self.sudo():
            # the new counsellor gets the key, the previous one keeps none
            rows = self.env["vp.case.key"].sudo().search([("case_id", "=", case.id)])
            readers = self._vault_readers(case)
            rows.filtered(lambda k, r=readers: k.user_id not in r).unlink()
            if case.counsellor_id not in rows.exists().user_id:
                rows.create(
                    {
                        "case_id": case.id,
                        "user_id": case.counsellor_id.id,
                        "wrapped_key": self.env["vp.vault"]._wrap_for(
                            case.counsellor_id,
                            keys[case.id],
                            ("vp.case", case.id, case.counsellor_id.id),
                        ),
                    }
                )
        return result

    # ------------------------------------------------------------------ retention

    def _retention_destroy(self):
        result = super()._retention_destroy()
        self.env["vp.case.key"].sudo().search([("case_id", "in", self.ids)]).unlink()
        return result


class VpCaseIntegrity(models.Model):
    _inherit = "vp.case"

    vault_manifest_enc = fields.Text(copy=False, groups="base.group_no_one")

    def _vault_manifest_context(self):
        return ("vp.case.manifest", self.id)

    def _vault_manifest(self, key, cache=None):
        """The manifest of this case (opened with ``key``), None when it has none yet;
        an integrity error when it was altered, or older than its readers saw."""
        self.ensure_one()
        # asked for every field of the case and its contact moments: read the ORM cache
        # without a sudo() environment each time
        field = self._fields["vault_manifest_enc"]
        envelope = self.env.cache.get(self, field, None)
        if envelope is None:
            envelope = self.sudo().vault_manifest_enc
        # opened (and its revision checked) once per version in a request
        slot = ("manifest", self.id, envelope)
        if cache is not None and slot in cache:
            return cache[slot]
        manifest = None
        if not envelope:
            # every case key comes with a manifest: none, for a case a reader saw, means
            # it was removed (to slip in a key row of someone else's making)
            self._vault_check_revision(0, cache)
        else:
            try:
                manifest = vc.open_document(key, envelope, *self._vault_manifest_context())
            except (vc.VaultCryptoError, ValueError):
                raise self._vault_replay_error() from None
            self._vault_check_revision(manifest["rev"], cache)
        if cache is not None:
            cache[slot] = manifest
        return manifest

    def _vault_check_revision(self, revision, cache=None):
        cache = {} if cache is None else cache
        if "private" not in cache:
            cache["private"] = self.env["vp.vault"]._get_private_key()
        private = cache["private"]
        if "vault" not in cache:
            cache["vault"] = self.env["vp.vault"]._vault_of()
        vault = cache["vault"]
        if not vault or private is None:
            return
        if "revisions" not in cache:
            cache["revisions"] = vault._case_revisions(private)
        known = cache["revisions"].get(str(self.id), 0)
        if revision < known:
            raise self._vault_replay_error()
        if revision > known and not self.env.cr.readonly:
            # remembered on a read only where the request may write (Odoo 18 serves
            # reads on read-only cursors); the next write remembers it anyway
            vault._remember_revision(private, self.id, revision)

    def _vault_manifest_update(self, key, entries, after_revision=None):
        """Record new ciphertexts ({manifest key: envelope or ""}) under a new revision.

        ``after_revision``: start a fresh manifest after that revision (the case key was
        rotated, so the old manifest cannot be opened with ``key``)."""
        self.ensure_one()
        if after_revision is None:
            manifest = self._vault_manifest(key) or {"rev": 0, "f": {}}
        else:
            manifest = {"rev": after_revision, "f": {}}
        manifest["rev"] += 1
        for name, envelope in entries.items():
            manifest["f"][name] = envelope_hash(envelope) if envelope else ""
        self.sudo().vault_manifest_enc = vc.seal_document(
            key, manifest, *self._vault_manifest_context()
        )
        vault = self.env["vp.vault"]._vault_of()
        private = self.env["vp.vault"]._get_private_key()
        if vault and private is not None:
            vault._remember_revision(private, self.id, manifest["rev"])

    def _vault_known_revision(self):
        """The highest revision of this case the current user's vault remembers."""
        self.ensure_one()
        vault = self.env["vp.vault"]._vault_of()
        private = self.env["vp.vault"]._get_private_key()
        if not vault or private is None:
            return 0
        return vault._case_revisions(private).get(str(self.id), 0)

    def _vault_replay_error(self):
        return VaultIntegrityError(
            self.env._(
                "Case %s is not the version last written: an older copy was put back "
                "outside Odoo. Nothing is shown; warn your fellow counsellors.",
                self.name,
            )
        )


class VpCaseLegacyColumns(models.Model):
    _inherit = "vp.case"

    def init(self):
        result = super().init()
        encrypt_legacy_columns(self, self._encrypt_legacy_value)
        self._scrub_legacy_retention_log()
        return result

    def _encrypt_legacy_value(self, case, fname, value):
        readers = _with_vault(self.env, self._vault_readers(case))
        return None if readers is None else case._vault_drop_for(readers, fname, value)

    def _scrub_legacy_retention_log(self):
        """Older builds wrote the reason for an extension into the log line."""
        self.env.cr.execute(
            r"""
            UPDATE vp_security_log
               SET description = substring(description from '^(.*?\d{4}-\d{2}-\d{2}): ') || '.'
             WHERE event = 'retention_extend'
               AND description ~ '\d{4}-\d{2}-\d{2}: '
            """
        )


class VpCaseWbk(models.Model):
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


# ---------------------------------------------------------------- demo volume
# Demo only: a realistic volume of cases, so the demo annual report shows real figures.
#
# Eight hand-written cases (demo/vp_case_demo.xml) show what a case looks like; the annual
# report needs volume: a few hundred employees and around a hundred cases a year over
# three years, or every cell is "< 5". Generated in batches from a seeded random source,
# so every demo database gets the same figures.
#
# Cases whose retention period is over are created as the retention cron leaves them:
# metadata only. The others get encrypted content, like every case.

DEMO_FIRST_NAMES = [
    "Anna",
    "Bram",
    "Chantal",
    "Daan",
    "Emma",
    "Fleur",
    "Gijs",
    "Hanneke",
    "Iris",
    "Jasper",
    "Kim",
    "Lotte",
    "Mark",
    "Noor",
    "Olga",
    "Pim",
    "Quinten",
    "Ruben",
    "Sophie",
    "Thijs",
    "Umut",
    "Vera",
    "Wouter",
    "Yara",
    "Zeynep",
    "Ahmed",
    "Bas",
    "Carla",
    "Dirk",
    "Esra",
    "Femke",
    "Gerrit",
    "Hatice",
    "Ilse",
    "Joost",
    "Karin",
    "Lars",
    "Maaike",
    "Niels",
    "Özlem",
    "Paul",
    "Rachida",
    "Stijn",
    "Tamara",
]
DEMO_LAST_NAMES = [
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "van Dijk",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "van der Meer",
    "Yilmaz",
    "El Idrissi",
    "Kok",
    "Jacobs",
    "Vermeulen",
    "van Beek",
    "Postma",
    "Kuiper",
]
DEMO_JOBS = {
    "dept_zorg": ["Carer", "Nurse", "Care Assistant", "Senior Nurse"],
    "dept_facilitair": ["Facility Employee", "Cook", "Cleaner", "Driver"],
    "dept_po": ["HR Adviser", "Payroll Administrator"],
    "dept_financien": ["Accountant", "Administrative Assistant"],
    "dept_ict": ["Service Desk Employee", "System Administrator"],
    "dept_directie": ["Management Assistant", "Policy Adviser"],
}
# relative frequency of the classifying values: a care organisation with a lot of
# aggression from clients, most reports by employees about colleagues and managers
DEMO_CATEGORIES = {
    "vp_category_aggression": 30,
    "vp_category_bullying": 22,
    "vp_category_intimidation": 16,
    "vp_category_conflict": 14,
    "vp_category_sexual_harassment": 9,
    "vp_category_discrimination": 8,
    "vp_category_other": 3,
}
DEMO_REPORTER_TYPES = {"employee": 72, "temp": 12, "intern": 7, "former": 6, "secondee": 3}
DEMO_ACCUSED_ROLES = {"colleague": 37, "manager": 28, "client": 28, "subordinate": 7}
DEMO_ROUTES = {"listening": 45, "informal": 40, "formal_complaint": 11, "police_report": 4}
DEMO_REFERRALS = {
    "": 52,
    "vp_referral_company_doctor": 16,
    "vp_referral_social_work": 12,
    "vp_referral_gp_psychologist": 9,
    "vp_referral_legal": 6,
    "vp_referral_victim_support": 6,
    "vp_referral_mediator": 3,
}
DEMO_OUTCOMES = {
    "resolved": 46,
    "partly_resolved": 24,
    "referred": 12,
    "not_resolved": 10,
    "withdrawn": 8,
}
DEMO_CHANNELS = {"in_person": 45, "phone": 35, "video": 12, "email": 8}
DEMO_DURATIONS = {"lt_1m": 25, "m1_6": 40, "m6_12": 20, "gt_1y": 15}
DEMO_AVATAR_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="180" height="180">'
    b'<rect width="180" height="180" fill="#7db06e"/></svg>'
)
DEMO_ACCOUNTS = (
    "Melder beschrijft herhaalde incidenten op de afdeling en wil eerst haar verhaal kwijt.",
    "Melder voelt zich buitengesloten in het team en twijfelt of hij iets moet ondernemen.",
    "Melder werd tijdens een dienst uitgescholden en bedreigd en zoekt steun bij de opvang.",
    "Melder ervaart opmerkingen van een leidinggevende als kleinerend en wil advies.",
)


def _pick(rng, weights):
    keys, values = zip(*weights.items(), strict=True)
    return rng.choices(keys, values)[0]


class VpCaseDemo(models.Model):
    _inherit = "vp.case"

    @api.model
    def _vp_demo_generate_employees(self, count=360, seed=7):
        """Several hundred employees in the demo departments (names are placeholders)."""
        rng = random.Random(seed)
        company = self.env.ref("base.main_company")
        departments = [
            (self.env.ref(f"vertrouwenspersoon.{xmlid}"), jobs) for xmlid, jobs in DEMO_JOBS.items()
        ]
        weights = [70, 12, 4, 3, 3, 2]  # most people work in care
        vals_list = []
        for _n in range(count):
            department, jobs = rng.choices(departments, weights)[0]
            first, last = rng.choice(DEMO_FIRST_NAMES), rng.choice(DEMO_LAST_NAMES)
            vals_list.append(
                {
                    "name": f"{first} {last}",
                    "job_title": rng.choice(jobs),
                    "department_id": department.id,
                    "company_id": company.id,
                }
            )
        # One work contact per employee made in one batch, and a plain avatar: hr makes
        # both one employee at a time otherwise, which is most of the time it takes.
        partners = (
            self.env["res.partner"]
            .sudo()
            .with_context(tracking_disable=True)
            .create([{"name": vals["name"], "company_id": company.id} for vals in vals_list])
        )
        avatar = base64.b64encode(DEMO_AVATAR_SVG)
        for vals, partner in zip(vals_list, partners, strict=True):
            vals.update(work_contact_id=partner.id, image_1920=avatar)
        return self.env["hr.employee"].sudo().with_context(tracking_disable=True).create(vals_list)

    @api.model
    def _vp_demo_generate_cases(self, counsellor_xmlids, per_year=(92, 104, 112), seed=11):
        """Cases of the last three full years and of this year so far, for the counsellors
        (the first one takes the larger share), with contact moments."""
        rng = random.Random(seed)
        today = fields.Date.context_today(self)
        counsellors = [self.env.ref(xmlid) for xmlid in counsellor_xmlids]
        ref = self.env.ref
        retention = relativedelta(months=self._retention_months())
        years = list(range(today.year - len(per_year), today.year + 1))
        # this year so far: the same pace as last year
        counts = list(per_year) + [round(per_year[-1] * today.timetuple().tm_yday / 365)]
        created = self.browse()
        for counsellor_index, counsellor in enumerate(counsellors):
            share = 0.6 if counsellor_index == 0 else 0.4 / max(len(counsellors) - 1, 1)
            vals_list = []
            for year, count in zip(years, counts, strict=True):
                last_day = min(date(year, 12, 31), today)
                span = (last_day - date(year, 1, 1)).days
                for _n in range(round(count * share)):
                    vals_list.append(
                        self._vp_demo_case_values(
                            rng,
                            counsellor,
                            date(year, 1, 1) + timedelta(days=rng.randint(0, span)),
                            today,
                            retention,
                            ref,
                        )
                    )
            Case = self.with_user(counsellor).sudo().with_context(tracking_disable=True)
            created |= Case.create(vals_list)
        self._vp_demo_generate_contacts(rng, created, today)
        return created

    def _vp_demo_case_values(self, rng, counsellor, intake, today, retention, ref):
        categories = {_pick(rng, DEMO_CATEGORIES)}
        if rng.random() < 0.18:  # some cases concern two kinds of behaviour
            categories.add(_pick(rng, DEMO_CATEGORIES))
        referrals = {_pick(rng, DEMO_REFERRALS)} - {""}
        values = {
            "counsellor_id": counsellor.id,
            "date_intake": intake,
            "intake_channel": _pick(rng, DEMO_CHANNELS),
            "reporter_type": _pick(rng, DEMO_REPORTER_TYPES),
            "accused_role": _pick(rng, DEMO_ACCUSED_ROLES),
            "behaviour_duration": _pick(rng, DEMO_DURATIONS),
            "route": _pick(rng, DEMO_ROUTES),
            "category_ids": [
                fields.Command.set([ref(f"vertrouwenspersoon.{c}").id for c in categories])
            ],
            "referral_ids": [
                fields.Command.set([ref(f"vertrouwenspersoon.{r}").id for r in referrals])
            ],
        }
        closed = intake + timedelta(days=rng.randint(14, 150))
        if closed < today - timedelta(days=10) and rng.random() < 0.93:
            values.update(
                state="closed",
                outcome=_pick(rng, DEMO_OUTCOMES),
                date_closed=closed,
                retention_date=closed + retention,
            )
            if closed + retention < today:
                # what the retention cron leaves: metadata only
                values["destroyed_date"] = closed + retention
                return values
        else:
            values["state"] = rng.choice(["intake", "guidance", "guidance", "aftercare"])
        values.update(
            melder_name=f"Melder {rng.randint(100, 999)}",
            description=rng.choice(DEMO_ACCOUNTS),
        )
        return values

    def _vp_demo_generate_contacts(self, rng, cases, today):
        now = fields.Datetime.now()
        vals_list = []
        for case in cases:
            end = case.date_closed or today
            for _n in range(rng.choice([1, 1, 2, 2, 3, 4])):
                day = case.date_intake + timedelta(
                    days=rng.randint(0, max((end - case.date_intake).days, 0))
                )
                moment = fields.Datetime.to_datetime(day) + timedelta(
                    hours=rng.choice([9, 10, 11, 14, 15])
                )
                if moment > now:
                    continue
                vals_list.append(
                    {
                        "case_id": case.id,
                        "date": moment,
                        "duration": rng.choice([0.5, 0.75, 1.0, 1.0, 1.5]),
                        "channel": _pick(rng, DEMO_CHANNELS),
                    }
                )
        return (
            self.env["vp.case.contact"].sudo().with_context(tracking_disable=True).create(vals_list)
        )
