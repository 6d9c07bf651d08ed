from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools.sql import create_index

from .security_log_text import _lt

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


class VpCase(models.Model):
    """A dossier (melding) of a confidential counsellor.

    Only its counsellor and the deputies the counsellor added can reach it (global record
    rules in security/vp_case_security.xml). Deliberately no mail.thread / activities:
    chatter, followers and e-mail notifications would copy case data to places other
    users can read.
    """

    _name = "vp.case"
    _description = "Case"
    _order = "date_intake desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------------ metadata
    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/", index=True
    )
    counsellor_id = fields.Many2one(
        "res.users",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
        index=True,
        ondelete="restrict",
        domain=lambda self: [
            ("groups_id", "in", self.env.ref("vertrouwenspersoon.group_vp_counsellor").ids)
        ],
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
    # Plain fields on purpose: the vault overrides them in its own file to encrypt them.
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
                    "%(actor)s shared case %(case)s with %(user)s.",
                    actor=self.env.user.name,
                    case=case.name,
                    user=user.name,
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
                    actor=self.env.user.name,
                    case=case.name,
                    user=user.name,
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
                actor=self.env.user.name,
                case=case.name,
                old=case.counsellor_id.name,
                new=user.name,
            )
            case._change_access("reassign", user, vals, message)
        return True

    def action_open_share_wizard(self, mode="share"):
        self._check_own_case(deputy_allowed=False)
        return {
            "type": "ir.actions.act_window",
            "res_model": "vp.case.share",
            "view_mode": "form",
            "target": "new",
            "context": {"default_case_id": self.id, "default_mode": mode},
        }

    def action_open_revoke_wizard(self):
        return self.action_open_share_wizard(mode="revoke")

    def action_open_hand_over_wizard(self):
        return self.action_open_share_wizard(mode="hand_over")

    def action_print_inzage(self):
        """The case file for the reporter (GDPR access request)."""
        self._check_own_case()
        return self.env.ref("vertrouwenspersoon.vp_case_inzage_report").report_action(self)
