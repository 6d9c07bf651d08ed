# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import math

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..vault.vp_vault_drop_mixin import encrypted_field
from .vp_case import CHANNELS


class VpCaseContact(models.Model):
    """A contact moment with the reporter: metadata (date, duration, channel) plus notes.

    Aftercare moments are contact moments flagged ``is_aftercare``; planned ones are the
    counsellor's reminders (calendar and dashboard), without any mail.activity.
    """

    _name = "vp.case.contact"
    _description = "Contact moment"
    _order = "date desc, id desc"

    case_id = fields.Many2one("vp.case", required=True, ondelete="cascade", index=True)
    counsellor_id = fields.Many2one(related="case_id.counsellor_id", store=True, index=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    duration = fields.Float(string="Duration (hours)", default=1.0)
    channel = fields.Selection(CHANNELS, default="in_person")
    is_aftercare = fields.Boolean(string="Aftercare")
    concerns_third_party = fields.Boolean(
        string="Concerns third parties",
        help="Left out of the case file handed to the reporter (inzage).",
    )
    # content: the vault encrypts it, retention erases it
    notes = fields.Text(copy=False)

    @api.depends("case_id.name", "date")
    def _compute_display_name(self):
        for contact in self:
            date = fields.Datetime.context_timestamp(self, contact.date) if contact.date else ""
            contact.display_name = (
                f"{contact.case_id.name or ''} {date and date.strftime('%d-%m-%Y %H:%M')}".strip()
            )

    @api.model_create_multi
    def create(self, vals_list):
        contacts = super().create(vals_list)
        contacts.filtered("notes").case_id._check_open_for_content()
        return contacts

    def write(self, vals):
        result = super().write(vals)
        if vals.get("notes"):
            self.case_id._check_open_for_content()
        return result


class VpCaseContactRuleCheck(models.Model):
    _name = "vp.case.contact"
    _inherit = ["vp.case.contact", "vp.rule.check.sql.mixin"]


class VpCaseContactVault(models.Model):
    _name = "vp.case.contact"
    _inherit = ["vp.case.contact", "vp.vault.content.mixin"]

    _vault_fields = ("notes",)

    notes = encrypted_field(fields.Text, "notes")
    notes_enc = fields.Text(copy=False)

    def _vault_case(self):
        return self.case_id


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
