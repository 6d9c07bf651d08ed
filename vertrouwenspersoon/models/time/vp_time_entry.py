# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import random
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..res_users import counsellor_field
from ..vault.vp_vault_drop_mixin import _with_vault, encrypt_legacy_columns, encrypted_field

ACTIVITY_TYPES = [
    ("support", "Support and guidance"),
    ("prevention", "Awareness and prevention"),
    ("advice", "Advice to management"),
    ("training", "Professional development (training and intervision)"),
    (
        "network",
        "Consultation with partners (occupational health service, company doctor, works council)",
    ),
    ("administration", "Administration and reporting"),
    ("travel", "Travel time"),
]

# rough share of a counsellor's time per activity (LVV practice)
DEMO_WEIGHTS = {
    "support": 35,
    "prevention": 15,
    "advice": 8,
    "training": 14,
    "network": 10,
    "administration": 13,
    "travel": 5,
}

COMPUTE = "_compute_vault_drop_content"


# One file per model, one class block per concern in the order Odoo loads them
# (docs/architecture.md): pylint-odoo's advice to merge these blocks does not apply.
# pylint: disable=consider-merging-classes-inherited


class VpTimeEntry(models.Model):
    """Time a counsellor spent on the role, in quarters of an hour."""

    _name = "vp.time.entry"
    _inherit = ["vp.published.year.mixin"]
    _description = "Counsellor time entry"
    _rec_name = "note"

    counsellor_id = counsellor_field(required=True, default=lambda self: self.env.user)
    activity_type = fields.Selection(ACTIVITY_TYPES, string="Activity", required=True)
    hours = fields.Float(
        required=True, default=0.25, digits=(6, 2), help="In quarters of an hour (0.25)."
    )
    note = fields.Char(help="Short note, only visible to you. No names of reporters.")

    @api.depends("date", "activity_type", "hours")
    def _compute_display_name(self):
        labels = dict(self._fields["activity_type"]._description_selection(self.env))
        for entry in self:
            entry.display_name = "%s %s (%s h)" % (
                entry.date or "",
                labels.get(entry.activity_type, ""),
                entry.hours,
            )

    @api.constrains("hours")
    def _check_hours(self):
        for entry in self:
            if entry.hours <= 0:
                raise ValidationError(_("Hours must be more than zero."))
            if abs(entry.hours * 4 - round(entry.hours * 4)) > 1e-6:
                raise ValidationError(
                    _("Register hours in quarters of an hour (0.25, 0.5, 0.75, ...).")
                )

    @api.constrains("hours", "date", "counsellor_id")
    def _check_max_per_day(self):
        keys = {(e.counsellor_id.id, e.date) for e in self}
        for counsellor_id, date in keys:
            groups = (
                self.sudo()
                .with_context(active_test=False)
                ._read_group(
                    [("counsellor_id", "=", counsellor_id), ("date", "=", date)],
                    aggregates=["hours:sum"],
                )
            )
            total = groups[0][0] if groups else 0.0
            if total > 24 + 1e-6:
                raise ValidationError(
                    _(
                        "More than 24 hours registered on %(date)s (%(hours)s hours in total).",
                        date=fields.Date.to_string(date),
                        hours=round(total, 2),
                    )
                )

    @api.model
    def _vp_demo_generate(self, user_xmlids, weeks=78, hours_per_week=2.0, seed=42):
        """Plausible demo time: about `hours_per_week` per counsellor, with variation."""
        rng = random.Random(seed)
        today = fields.Date.context_today(self)
        monday = today - timedelta(days=today.weekday())
        keys, weights = zip(*DEMO_WEIGHTS.items(), strict=True)
        vals_list = []
        for xmlid in user_xmlids:
            user = self.env.ref(xmlid)
            for week in range(weeks, -1, -1):
                start = monday - timedelta(weeks=week)
                if rng.random() < 0.08:  # holiday week
                    continue
                budget = max(0.0, rng.gauss(hours_per_week, hours_per_week * 0.35))
                while budget >= 0.25:
                    hours = min(budget, rng.choice([0.5, 0.75, 1.0, 1.0, 1.5]))
                    hours = round(hours * 4) / 4
                    day = start + timedelta(days=rng.randrange(5))
                    if day > today or hours <= 0:
                        break
                    activity = rng.choices(keys, weights)[0]
                    vals_list.append(
                        {
                            "date": day,
                            "counsellor_id": user.id,
                            "activity_type": activity,
                            "hours": hours,
                            "company_id": user.company_id.id,
                        }
                    )
                    budget -= hours
        return self.sudo().create(vals_list)

    @api.model
    def _vp_demo_register_contacts(self, weeks=78):
        """Register the recent demo contact moments as time, as their counsellor would."""
        since = fields.Datetime.now() - timedelta(weeks=weeks)
        contacts = self.env["vp.case.contact"].search(
            [("date", ">=", since), ("date", "<=", fields.Datetime.now())]
        )
        for contact in contacts.filtered(lambda c: not c.time_entry_ids):
            contact.with_user(contact.counsellor_id).action_register_time()

    # Link a time entry to one of the counsellor's own (or deputy) cases.
    case_id = fields.Many2one(
        "vp.case",
        index="btree_not_null",
        ondelete="set null",
        domain="['|', ('counsellor_id', '=', counsellor_id), "
        "('deputy_ids', 'in', [counsellor_id])]",
        help="Optional: one of your own cases, or a case shared with you as deputy.",
    )
    contact_id = fields.Many2one(
        "vp.case.contact",
        string="Contact moment",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
        copy=False,
    )

    _sql_constraints = [
        ("contact_unique", "unique(contact_id)", "This contact moment is already registered."),
    ]

    @api.constrains("case_id", "counsellor_id")
    def _check_case_is_own(self):
        for entry in self.filtered("case_id"):
            case = entry.case_id.sudo()
            if entry.counsellor_id not in case.counsellor_id | case.deputy_ids:
                raise ValidationError(
                    _("You can only link time to your own cases or cases shared with you.")
                )


# The note on a time entry is content: a vault drop for the counsellor only.
class VpTimeEntryVault(models.Model):
    _name = "vp.time.entry"
    _inherit = ["vp.time.entry", "vp.vault.drop.mixin"]

    _vault_fields = ("note",)
    _vault_counsellor_field = "counsellor_id"

    note = encrypted_field(fields.Char, "note", compute=COMPUTE)
    note_enc = fields.Text(copy=False)

    def init(self):
        result = super().init()
        encrypt_legacy_columns(self, self._encrypt_legacy_value)
        return result

    def _encrypt_legacy_value(self, record, fname, value):
        readers = _with_vault(self.env, record.sudo().counsellor_id)
        return None if readers is None else record._vault_drop_for(readers, fname, value)
