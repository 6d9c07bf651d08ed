from odoo import api, fields, models

from .case import CHANNELS


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
