# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The calendar file of a booking e-mail, built with vobject as Odoo's calendar module
builds its invitations (calendar.event._get_ics_file), but with what a booking may say
only: a neutral summary, the time and its status. No description, no location (a room's
name may say what it is for), no attendees nor organizer (the counsellor's address), no
alarm. Pure Python: no database."""

import pytz
import vobject

PRODID = "-//Odoo//Appointment//EN"  # neutral, like the rest of the e-mail


def appointment_ics(uid, start, stop, summary, *, cancel=False, now):
    """iCalendar bytes for one appointment; naive datetimes are UTC (Odoo's)."""
    calendar = vobject.iCalendar()
    calendar.add("prodid").value = PRODID
    calendar.add("method").value = "CANCEL" if cancel else "PUBLISH"
    event = calendar.add("vevent")
    event.add("uid").value = uid
    event.add("dtstamp").value = _utc(now)
    event.add("dtstart").value = _utc(start)
    event.add("dtend").value = _utc(stop)
    event.add("summary").value = summary
    event.add("status").value = "CANCELLED" if cancel else "CONFIRMED"
    return calendar.serialize().encode()


def _utc(moment):
    # pytz's UTC, as the calendar module: vobject writes it as ...Z
    return pytz.utc.localize(moment) if moment.tzinfo is None else moment.astimezone(pytz.utc)
