# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command
from odoo.tests import new_test_user

from .common import setup_vaults

COUNSELLOR = "vertrouwenspersoon.group_vp_counsellor"


def make_calendar(env, name="VP test hours", hours=(8, 18), days=range(7)):
    """Working hours on every day, so that tests find slots whatever day they run."""
    return env["resource.calendar"].create(
        {
            "name": name,
            "tz": "Europe/Amsterdam",
            "attendance_ids": [Command.clear()]
            + [
                Command.create(
                    {
                        "name": f"day {day}",
                        "dayofweek": str(day),
                        "hour_from": hours[0],
                        "hour_to": hours[1],
                        "day_period": "morning",
                    }
                )
                for day in days
            ],
        }
    )


def make_counsellor(env, login, calendar, **values):
    user = new_test_user(
        env, login, groups=COUNSELLOR, email=f"{login}@example.com", tz="Europe/Amsterdam"
    )
    profile = env["vp.counsellor"].create(
        {
            "user_id": user.id,
            "name": values.pop("name", login),
            "resource_calendar_id": calendar.id,
            "room": "Room B.14",
            **values,
        }
    )
    return user, profile


def add_two_counsellors(cls, prefix, surname):
    """Working hours every day (``cls.calendar``) and two bookable counsellors on the test
    class: ``cls.counsellor``/``cls.profile`` (Anna <surname>, internal) and
    ``cls.other_counsellor``/``cls.other_profile`` (Bert <surname>, external)."""
    cls.calendar = make_calendar(cls.env)
    cls.counsellor, cls.profile = make_counsellor(
        cls.env, f"{prefix}_counsellor", cls.calendar, name=f"Anna {surname}"
    )
    cls.other_counsellor, cls.other_profile = make_counsellor(
        cls.env, f"{prefix}_other", cls.calendar, name=f"Bert {surname}", is_external=True
    )


class BookingFixture:
    """Two counsellors with working hours every day 08:00-18:00 (Amsterdam), an
    employee and a portal user."""

    @classmethod
    def setup_booking(cls):
        env = cls.env
        add_two_counsellors(cls, "vp_b", "Counsellor")
        cls.employee = new_test_user(
            env, "vp_b_employee", groups="base.group_user", email="emp@example.com"
        )
        cls.portal_user = new_test_user(
            env, "vp_b_portal", groups="base.group_portal", email="portal@example.com"
        )
        cls.Appointment = env["vp.appointment"].sudo()
        # what the booker types is encrypted for the counsellor's public key
        setup_vaults(cls, cls.counsellor, cls.other_counsellor)

    @classmethod
    def free(cls, profile=None, index=0):
        profile = profile or cls.profile
        return profile._free_slots()[profile.id][index]

    @classmethod
    def book(cls, user=None, profile=None, start=None, channel="phone", note=None):
        user = user or cls.employee
        profile = profile or cls.profile
        appointment = cls.Appointment._book(
            profile,
            start or cls.free(profile),
            channel,
            {"user_id": user.id, "partner_id": user.partner_id.id},
            note=note,
        )
        cls.send_notices()
        return appointment

    @classmethod
    def send_notices(cls):
        """What the outbox cron does a few seconds after a booker's request."""
        cls.env["vp.appointment.notice"]._cron_send()
