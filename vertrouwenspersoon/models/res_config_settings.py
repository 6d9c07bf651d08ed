# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The addon's settings: one field per system parameter, and one reader of them.

Each setting is declared once, in ``vp.settings``: its key (``config_parameter``), type,
default and minimum. Settings → Confidential Counsellor (``res.config.settings``, Settings
administrators) and the functional administrator's own form (``vp.config.settings``) both
inherit these fields; the code reads a setting only through ``_vp_value``, which returns
the default for a missing or mistyped parameter and never less than the minimum, also
when someone writes the parameter directly (Technical → System Parameters).
"""

import logging

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.report_suppression import MIN_THRESHOLD

_logger = logging.getLogger(__name__)

# The one definition of the guideline year: 52 weeks. The LVV guideline is given per
# week; a year of it is what a reader of the annual report works out by hand (2 h x 52 =
# 104 h), and the annual report and the time lists use this same figure.
WEEKS_PER_YEAR = 52

# Both the Settings administrators and the functional administrator set these.
SETTINGS_GROUPS = "base.group_system,vertrouwenspersoon.group_vp_manager"

# The lowest value that still makes sense; below it the reader uses the minimum and the
# settings forms refuse to save.
MINIMUM = {
    "vp_vault_idle_minutes": 1,
    "vp_booking_slot_minutes": 15,
    "vp_booking_lead_hours": 0,
    "vp_booking_horizon_weeks": 1,
    "vp_booking_max_active": 0,
    "vp_public_booking_per_hour": 1,
    "vp_portal_booking_per_hour": 1,
    "vp_retention_months": 1,
    "vp_report_threshold": MIN_THRESHOLD,
    "vp_guideline_hours_per_week": 0,
}


class VpSettings(models.AbstractModel):
    _name = "vp.settings"
    _description = "Confidential counsellor settings"

    vp_vault_idle_minutes = fields.Integer(
        string="Lock the vault after (minutes idle)",
        config_parameter="vertrouwenspersoon.vault_idle_minutes",
        default=30,
        groups=SETTINGS_GROUPS,
        help="An unlocked vault locks itself after this many minutes without activity.",
    )
    vp_booking_slot_minutes = fields.Integer(
        string="Appointment length (minutes)",
        config_parameter="vertrouwenspersoon.booking_slot_minutes",
        default=60,
        groups=SETTINGS_GROUPS,
        help="Length of one bookable appointment; at least 15 minutes.",
    )
    vp_booking_lead_hours = fields.Integer(
        string="Book at least (hours ahead)",
        config_parameter="vertrouwenspersoon.booking_lead_hours",
        default=4,
        groups=SETTINGS_GROUPS,
        help="Free times closer than this to now are not offered. 0: no lead time.",
    )
    vp_booking_horizon_weeks = fields.Integer(
        string="Book at most (weeks ahead)",
        config_parameter="vertrouwenspersoon.booking_horizon_weeks",
        default=6,
        groups=SETTINGS_GROUPS,
        help="How far ahead free times are offered.",
    )
    vp_booking_max_active = fields.Integer(
        string="Open appointments per person",
        config_parameter="vertrouwenspersoon.booking_max_active",
        default=2,
        groups=SETTINGS_GROUPS,
        help="How many future appointments one person may hold at once. 0: no limit.",
    )
    vp_public_booking = fields.Selection(
        [("1", "Everyone, also without an account"), ("0", "Only people with an account")],
        string="Who can book",
        config_parameter="vertrouwenspersoon.public_booking",
        default="1",
        groups=SETTINGS_GROUPS,
        help="Closing the public page hides free times from people who are not logged in; "
        "links already mailed keep working.",
    )
    vp_public_booking_per_hour = fields.Integer(
        string="Bookings per hour without an account",
        config_parameter="vertrouwenspersoon.public_booking_per_hour",
        default=5,
        groups=SETTINGS_GROUPS,
        help="Booking attempts per hour from one address on the public page (rate limit).",
    )
    vp_portal_booking_per_hour = fields.Integer(
        string="Bookings per hour with an account",
        config_parameter="vertrouwenspersoon.portal_booking_per_hour",
        default=5,
        groups=SETTINGS_GROUPS,
        help="Bookings per hour of one logged-in person (rate limit).",
    )
    vp_retention_months = fields.Integer(
        string="Keep closed cases (months)",
        config_parameter="vertrouwenspersoon.retention_months",
        default=12,
        groups=SETTINGS_GROUPS,
        help="The content of a closed case is destroyed this many months after closing, "
        "unless the counsellor extends it. Figures of published reports stay.",
    )
    vp_report_threshold = fields.Integer(
        string="Hide counts below",
        config_parameter="vertrouwenspersoon.report_threshold",
        default=5,
        groups=SETTINGS_GROUPS,
        help="Counts in the annual report below this number are shown as '< n' so that "
        "nobody can be recognised; never less than 3.",
    )
    vp_guideline_hours_per_week = fields.Float(
        string="Guideline (hours per week)",
        config_parameter="vertrouwenspersoon.guideline_hours_per_week",
        default=2.0,
        groups=SETTINGS_GROUPS,
        help="Time the organisation gives the counsellor role (LVV guideline: 2 hours a "
        "week). A year counts 52 weeks, in the annual report and in the time lists.",
    )

    def _valid_field_parameter(self, field, name):
        # config_parameter is res.config.settings' own; the functional administrator's
        # form (vp.config.settings) reads and writes the same parameters
        return name == "config_parameter" or super()._valid_field_parameter(field, name)

    @api.constrains(*MINIMUM)
    def _check_vp_minimum(self):
        for settings in self:
            for name, minimum in MINIMUM.items():
                if settings[name] < minimum:
                    raise ValidationError(
                        self.env._(
                            "%(setting)s must be at least %(minimum)s.",
                            setting=self._fields[name]._description_string(self.env),
                            minimum=minimum,
                        )
                    )

    @api.model
    def _vp_value(self, name):
        """The typed value of setting ``name``: its parameter, or the default when the
        parameter is missing or mistyped, and never less than the minimum."""
        field = self._fields[name]
        default = field.default(self)
        raw = self.env["ir.config_parameter"].sudo().get_param(field.config_parameter)
        if raw in (None, False, ""):
            return default
        try:
            if field.type == "integer":
                value = int(float(raw))
            elif field.type == "float":
                value = float(raw)
            else:
                value = raw.strip()
                if value not in dict(field.selection):
                    raise ValueError(value)
        except ValueError:
            _logger.warning("system parameter %s: %r is not valid", field.config_parameter, raw)
            return default
        if name in MINIMUM:
            value = max(value, MINIMUM[name])
        return value

    @api.model
    def _vp_current_values(self, fields_list):
        """What the settings forms show: the values the code uses. They are read as
        superuser, so only who may save the settings gets them (default_get is callable
        over RPC by any user, and Odoo's own one checks nothing)."""
        names = [name for name in self._vp_setting_names() if name in fields_list]
        if names:
            self.check_access("write")
        return {name: self._vp_value(name) for name in names}

    @api.model
    def _vp_guideline_year_hours(self):
        """Hours of the counsellor role in a year by the guideline (52 weeks)."""
        return self._vp_value("vp_guideline_hours_per_week") * WEEKS_PER_YEAR

    def _vp_write_settings(self):
        """Store the settings of this form. Odoo's res.config.settings deletes a parameter
        whose number is 0, which brings back the default: keep a real 0 where it is
        allowed (no lead time, no limit)."""
        params = self.env["ir.config_parameter"].sudo()
        for settings in self:
            for name in self._vp_setting_names():
                field = self._fields[name]
                value = settings[name]
                if field.type in ("integer", "float"):
                    value = repr(value)
                if params.get_param(field.config_parameter) != value:
                    params.set_param(field.config_parameter, value)

    @api.model
    def _vp_setting_names(self):
        return [name for name in self.env["vp.settings"]._fields if name.startswith("vp_")]


class ResConfigSettings(models.TransientModel):
    """Settings → Confidential Counsellor, for Settings administrators."""

    _inherit = ["res.config.settings", "vp.settings"]
    _name = "res.config.settings"

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        values.update(self._vp_current_values(fields_list))
        return values

    def set_values(self):
        result = super().set_values()
        self._vp_write_settings()
        return result
