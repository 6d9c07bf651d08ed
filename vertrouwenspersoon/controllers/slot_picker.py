# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The slot picker of the booking pages: free times week by week.

Plain HTML, no script needed: each week is a page of its own (``?week=N`` links), each
day a fieldset of radio buttons posted with the form. The first week shown is the one
with the first free time (or the one holding the time the booker had chosen), so the
first free time is visible at once.
"""

from datetime import timedelta

import pytz

from odoo import fields


def _week_start(local_date):
    return local_date - timedelta(days=local_date.weekday())


def slot_weeks(profile, slots, week=None, chosen=None):
    """What the template shows: {"days": [(label, [(value, time, id)])], "week": index,
    "weeks": count, "label": week label, "prev": index or None, "next": index or None}.

    ``slots`` are naive UTC datetimes in order; ``week`` the requested week index (bad
    values fall back to the default); ``chosen`` the posted value of a time to keep.
    """
    tz = pytz.timezone(profile.sudo().resource_calendar_id.tz or "UTC")
    weeks = []  # [(monday, [(local, value)])]
    for start in slots:
        local = pytz.utc.localize(start).astimezone(tz)
        monday = _week_start(local.date())
        if not weeks or weeks[-1][0] != monday:
            weeks.append((monday, []))
        weeks[-1][1].append((local, fields.Datetime.to_string(start)))
    result = {"days": [], "week": 0, "weeks": len(weeks), "label": "", "prev": None, "next": None}
    if not weeks:
        return result
    index = 0
    if chosen:
        index = next(
            (i for i, (_m, week_slots) in enumerate(weeks) if chosen in dict(week_slots).values()),
            0,
        )
    try:
        requested = int(week) if week not in (None, "") else None
    except (TypeError, ValueError):
        requested = None
    if requested is not None and 0 <= requested < len(weeks):
        index = requested
    monday, week_slots = weeks[index]
    days = []
    last_date = None
    for local, value in week_slots:
        if local.date() != last_date:  # one (slow) babel label per day, not per slot
            last_date = local.date()
            days.append((profile._format_day(local), []))
        slot_id = "vp_slot_" + value.replace("-", "").replace(":", "").replace(" ", "_")
        days[-1][1].append((value, local.strftime("%H:%M"), slot_id))
    first_day = profile._format_day(tz.localize(fields.Datetime.to_datetime(str(monday))))
    result.update(
        days=days,
        week=index,
        label=first_day,
        prev=index - 1 if index > 0 else None,
        next=index + 1 if index + 1 < len(weeks) else None,
    )
    return result
