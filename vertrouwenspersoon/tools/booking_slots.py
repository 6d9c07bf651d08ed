# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Slot arithmetic of the booking page, without the ORM: which appointment times a
counsellor's working hours and busy time leave free.

Times are naive UTC ``datetime`` objects, as Odoo stores them, except the working
intervals, which are aware (in the counsellor's calendar's time zone) so that slots are
cut on local time: 09:00 stays 09:00 across daylight saving time.
"""

from datetime import datetime

import pytz

SLOT_FORMAT = "%Y-%m-%d %H:%M:%S"


def naive_utc(moment):
    """An aware datetime as naive UTC (how Odoo stores datetimes)."""
    return moment.astimezone(pytz.utc).replace(tzinfo=None)


def to_local(moment, tz_name):
    """A naive UTC datetime as an aware datetime in ``tz_name`` (UTC when empty)."""
    return pytz.utc.localize(moment).astimezone(pytz.timezone(tz_name or "UTC"))


def parse_slot(value):
    """The slot value posted by a form (naive UTC 'YYYY-MM-DD HH:MM:SS'), or None."""
    try:
        return datetime.strptime((value or "")[:19], SLOT_FORMAT)
    except (TypeError, ValueError):
        return None


def free_slots(work_intervals, busy, length, first, last):
    """Starts of the free slots of ``length``, in order.

    Slots are cut from the start of each working interval (aware ``(start, stop)``), so
    a lead time never shifts them to odd minutes; a slot is offered when it starts from
    ``first`` to ``last`` and overlaps no ``busy`` interval (naive UTC ``(start, stop)``;
    touching one is not overlapping).
    """
    busy = sorted(busy)
    slots = []
    for interval_start, interval_stop in work_intervals:
        cursor = interval_start
        while cursor + length <= interval_stop:
            start = naive_utc(cursor)
            stop = start + length
            cursor += length
            if start < first or start > last:
                continue
            if any(b_start < stop and b_stop > start for b_start, b_stop in busy):
                continue
            slots.append(start)
    return slots
