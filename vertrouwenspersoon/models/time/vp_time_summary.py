# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import calendar
from datetime import date

from odoo import fields, models

from .vp_time_entry import ACTIVITY_TYPES

INDICATORS = [
    ("far_below", "Far below guideline"),
    ("below", "Below guideline"),
    ("on_track", "On track"),
    ("above", "Above guideline"),
    ("far_above", "Far above guideline"),
]


def indicator_for(ratio):
    """Map hours / pro-rata guideline to an indicator key (ratio 1.0 = exactly on it)."""
    if ratio < 0.5:
        return "far_below"
    if ratio < 0.9:
        return "below"
    if ratio <= 1.1:
        return "on_track"
    if ratio <= 1.5:
        return "above"
    return "far_above"


def elapsed_fraction(year, today):
    """Fraction of `year` that has passed on `today` (today counted as passed)."""
    if year < today.year:
        return 1.0
    if year > today.year:
        return 0.0
    days_in_year = 366 if calendar.isleap(year) else 365
    return ((today - date(year, 1, 1)).days + 1) / days_in_year


class VpTimeSummary(models.Model):
    """Hours per counsellor, month and activity: totals only, never notes or case links.

    This is what the functional admin sees of the counsellors' time.
    """

    _name = "vp.time.summary"
    _inherit = ["vp.monthly.summary.mixin"]
    _description = "Counsellor hours per month and activity"
    _auto = False
    _order = "date desc, counsellor_id"
    _summary_from = "vp_time_entry x"
    _summary_group_by = ("x.counsellor_id", "x.activity_type")
    _summary_sums = (("hours", "SUM(x.hours)"),)

    counsellor_id = fields.Many2one("res.users", readonly=True)
    activity_type = fields.Selection(ACTIVITY_TYPES, string="Activity", readonly=True)
    hours = fields.Float(readonly=True, digits=(6, 2))
