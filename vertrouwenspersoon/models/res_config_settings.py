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

# The lowest value of each setting that still makes sense (filled by _setting below);
# below it the reader uses the minimum and the settings forms refuse to save.
MINIMUM = {}


def _setting(key, string, default, help_text, minimum=None, field_type=fields.Integer, **extra):
    """The field ``vp_<key>`` of system parameter ``vertrouwenspersoon.<key>``, for both
    settings forms (``string`` and ``help_text`` are translated through the field, like any
    field's); its ``minimum``, if any, goes into MINIMUM."""
    if minimum is not None:
        MINIMUM[f"vp_{key}"] = minimum
    return field_type(
        string=string,
        config_parameter=f"vertrouwenspersoon.{key}",
        default=default,
        groups=SETTINGS_GROUPS,
        help=help_text,
        **extra,
    )


class VpSettings(models.AbstractModel):
    _name = "vp.settings"
    _description = "Confidential counsellor settings"

    # each field is named vp_<key> after its parameter (test_settings checks it)
    vp_vault_idle_minutes = _setting(
        "vault_idle_minutes",
        "Lock the vault after (minutes idle)",
        30,
        "An unlocked vault locks itself after this many minutes without activity.",
        minimum=1,
    )
    vp_booking_slot_minutes = _setting(
        "booking_slot_minutes",
        "Appointment length (minutes)",
        60,
        "Length of one bookable appointment; at least 15 minutes.",
        minimum=15,
    )
    vp_booking_lead_hours = _setting(
        "booking_lead_hours",
        "Book at least (hours ahead)",
        4,
        "Free times closer than this to now are not offered. 0: no lead time.",
        minimum=0,
    )
    vp_booking_horizon_weeks = _setting(
        "booking_horizon_weeks",
        "Book at most (weeks ahead)",
        6,
        "How far ahead free times are offered.",
        minimum=1,
    )
    vp_booking_max_active = _setting(
        "booking_max_active",
        "Open appointments per person",
        2,
        "How many future appointments one person may hold at once. 0: no limit.",
        minimum=0,
    )
    vp_public_booking = _setting(
        "public_booking",
        "Who can book",
        "1",
        "Closing the public page hides free times from people who are not logged in; "
        "links already mailed keep working.",
        field_type=fields.Selection,
        selection=[
            ("1", "Everyone, also without an account"),
            ("0", "Only people with an account"),
        ],
    )
    vp_public_booking_per_hour = _setting(
        "public_booking_per_hour",
        "Bookings per hour without an account",
        5,
        "Booking attempts per hour from one address on the public page (rate limit).",
        minimum=1,
    )
    vp_portal_booking_per_hour = _setting(
        "portal_booking_per_hour",
        "Bookings per hour with an account",
        5,
        "Bookings per hour of one logged-in person (rate limit).",
        minimum=1,
    )
    vp_retention_months = _setting(
        "retention_months",
        "Keep closed cases (months)",
        12,
        "The content of a closed case is destroyed this many months after closing, "
        "unless the counsellor extends it. Figures of published reports stay.",
        minimum=1,
    )
    vp_report_threshold = _setting(
        "report_threshold",
        "Hide counts below",
        5,
        "Counts in the annual report below this number are shown as '< n' so that "
        "nobody can be recognised; never less than 3.",
        minimum=MIN_THRESHOLD,
    )
    vp_guideline_hours_per_week = _setting(
        "guideline_hours_per_week",
        "Guideline (hours per week)",
        2.0,
        "Time the organisation gives the counsellor role (LVV guideline: 2 hours a "
        "week). A year counts 52 weeks, in the annual report and in the time lists.",
        minimum=0,
        field_type=fields.Float,
    )
    # the anonymous channel (models/conversation/vp_conversation.py)
    vp_anonymous_retention_months = _setting(
        "anonymous_retention_months",
        "Keep anonymous conversations (months)",
        12,
        "A conversation that did not become a case is destroyed this many months after "
        "its last message.",
        minimum=1,
    )
    vp_anonymous_wrong_codes_per_hour = _setting(
        "anonymous_wrong_codes_per_hour",
        "Wrong receipt codes per hour (one visitor)",
        10,
        "Wrong receipt codes one visitor may try in an hour; then they must wait (rate "
        "limit, counted per address as a keyed hash).",
        minimum=1,
    )
    vp_anonymous_wrong_codes_global_per_hour = _setting(
        "anonymous_wrong_codes_global_per_hour",
        "Wrong receipt codes per hour (everyone)",
        200,
        "Wrong receipt codes all visitors together may try in an hour (rate limit).",
        minimum=1,
    )
    vp_anonymous_new_per_hour = _setting(
        "anonymous_new_per_hour",
        "New anonymous conversations per hour",
        60,
        "Anonymous conversations all writers together may start in an hour (rate limit).",
        minimum=1,
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
    def default_get(self, fields_list):
        """What the settings forms show: the values the code uses (for res.config.settings
        this runs before Odoo's own reading of the parameters, and has the last word).
        They are read as superuser, so only who may save the settings gets them
        (default_get is callable over RPC by any user, and Odoo's own one checks nothing)."""
        values = super().default_get(fields_list)
        names = [name for name in self._vp_setting_names() if name in fields_list]
        if names:
            self.check_access("write")
        values.update({name: self._vp_value(name) for name in names})
        return values

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

    # vp.settings first: its default_get comes before res.config.settings' own in the
    # method order, so the typed values replace what Odoo reads from the parameters
    _inherit = ["vp.settings", "res.config.settings"]
    _name = "res.config.settings"

    def set_values(self):
        result = super().set_values()
        self._vp_write_settings()
        return result
