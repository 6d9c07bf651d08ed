# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The calendar file of a booking e-mail (vobject, as Odoo's calendar module): a valid
iCalendar a mail client reads back, saying nothing but a neutral title and the time."""

from datetime import datetime

import vobject
from vp_tools.booking_ics import appointment_ics

START = datetime(2026, 12, 3, 9, 0)
STOP = datetime(2026, 12, 3, 10, 0)
NOW = datetime(2026, 12, 1, 6, 0)


def _read(data):
    return vobject.readOne(data.decode())


def test_published_appointment_reads_back():
    calendar = _read(appointment_ics("appointment-7-db", START, STOP, "Afspraak", now=NOW))
    assert calendar.method.value == "PUBLISH"
    event = calendar.vevent
    assert event.uid.value == "appointment-7-db"
    assert event.dtstart.value.isoformat() == "2026-12-03T09:00:00+00:00"
    assert event.dtend.value.isoformat() == "2026-12-03T10:00:00+00:00"
    assert event.summary.value == "Afspraak"
    assert event.status.value == "CONFIRMED"


def test_cancellation_keeps_the_uid():
    calendar = _read(
        appointment_ics("appointment-7-db", START, STOP, "Afspraak", cancel=True, now=NOW)
    )
    assert calendar.method.value == "CANCEL"
    assert calendar.vevent.uid.value == "appointment-7-db"
    assert calendar.vevent.status.value == "CANCELLED"


def test_nothing_but_time_and_title():
    """No description, location, attendee, organizer or alarm: what Odoo's invitations
    carry and a booking must not (the counsellor's address, the room's name)."""
    event = _read(appointment_ics("u", START, STOP, "Afspraak", now=NOW)).vevent
    assert {child.name for child in event.getChildren()} == {
        "UID",
        "DTSTAMP",
        "DTSTART",
        "DTEND",
        "SUMMARY",
        "STATUS",
    }
