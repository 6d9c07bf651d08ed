from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

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


class VpPublishedYearMixin(models.AbstractModel):
    """Entries of a year whose annual report is published are frozen.

    Models inheriting it have the fields `date` and `company_id`.
    """

    _name = "vp.published.year.mixin"
    _description = "Frozen once the annual report of the year is published"

    @api.model
    def _check_year_not_published(self, year, company):
        """Raise a UserError if the annual report of `year` for `company` is published.

        The annual report model may not be installed (yet): then nothing is frozen.
        """
        if "vp.annual.report" not in self.env:
            return
        published = (
            self.env["vp.annual.report"]
            .sudo()
            .search_count(
                [
                    ("year", "=", int(year)),
                    ("company_id", "in", [company.id if company else False, False]),
                    ("state", "=", "published"),
                ],
                limit=1,
            )
        )
        if published:
            raise UserError(
                _(
                    "The annual report of %(year)s has been published: its time and "
                    "expenses can no longer be added, changed or deleted.",
                    year=year,
                )
            )

    def _check_records_not_published(self):
        if self._abstract:
            return  # RPC on the mixin itself: the ORM's access check refuses it
        for year, company in {(rec.date.year, rec.company_id) for rec in self if rec.date}:
            self._check_year_not_published(year, company)

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._check_records_not_published()
        return records

    def write(self, vals):
        self._check_records_not_published()
        res = super().write(vals)
        if "date" in vals or "company_id" in vals:
            self._check_records_not_published()
        return res

    def unlink(self):
        self._check_records_not_published()
        return super().unlink()


class VpTimeEntry(models.Model):
    """Time a counsellor spent on the role, in quarters of an hour."""

    _name = "vp.time.entry"
    _inherit = ["vp.published.year.mixin"]
    _description = "Counsellor time entry"
    _order = "date desc, id desc"
    _rec_name = "note"

    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    counsellor_id = fields.Many2one(
        "res.users",
        required=True,
        default=lambda self: self.env.user,
        ondelete="restrict",
        index=True,
    )
    activity_type = fields.Selection(ACTIVITY_TYPES, string="Activity", required=True)
    hours = fields.Float(
        required=True, default=0.25, digits=(6, 2), help="In quarters of an hour (0.25)."
    )
    note = fields.Char(help="Short note, only visible to you. No names of reporters.")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )

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
