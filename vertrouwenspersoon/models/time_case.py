import math

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError


class VpTimeEntryCase(models.Model):
    """Link a time entry to one of the counsellor's own (or deputy) cases."""

    _inherit = "vp.time.entry"

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


class VpCaseContactTime(models.Model):
    """A contact moment counts as time in one step."""

    _inherit = "vp.case.contact"

    time_entry_ids = fields.One2many("vp.time.entry", "contact_id", string="Time entry")
    time_registered = fields.Boolean(compute="_compute_time_registered")

    @api.depends("time_entry_ids")
    def _compute_time_registered(self):
        for contact in self:
            contact.time_registered = bool(contact.time_entry_ids)

    def action_register_time(self):
        """Register the contact moments as 'support' time of the current counsellor.

        Durations are rounded up to quarters of an hour; moments already registered
        are skipped.
        """
        todo = self.filtered(lambda c: not c.time_entry_ids)
        if not todo:
            raise UserError(_("These contact moments are already registered as time."))
        vals_list = []
        for contact in todo:
            if not contact.duration or contact.duration <= 0:
                raise UserError(
                    _("Enter the duration of the contact moment before registering it.")
                )
            local = fields.Datetime.context_timestamp(contact, contact.date)
            vals_list.append(
                {
                    "date": local.date(),
                    "activity_type": "support",
                    "hours": math.ceil(contact.duration * 4 - 1e-9) / 4,
                    "case_id": contact.case_id.id,
                    "contact_id": contact.id,
                    "counsellor_id": self.env.user.id,
                }
            )
        entries = self.env["vp.time.entry"].create(vals_list)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": _(
                    "%(count)s contact moment(s) registered as time (%(hours)s hours).",
                    count=len(entries),
                    hours=sum(entries.mapped("hours")),
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
