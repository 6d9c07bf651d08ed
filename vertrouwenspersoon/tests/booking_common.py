# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging
import re
import threading

import psycopg2

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.api import Transaction
from odoo.exceptions import UserError
from odoo.tests import new_test_user
from odoo.tools import mute_logger

from .common import setup_vaults

_logger = logging.getLogger(__name__)
COUNSELLOR = "vertrouwenspersoon.group_vp_counsellor"
REFUSED_BY_DB = "refused by the database"
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def run_concurrently(case, count, attempt):
    """Run ``attempt(env, index)`` in ``count`` real transactions that all took their
    snapshot before any of them commits; the outcomes: what ``attempt`` returned,
    REFUSED_BY_DB for an IntegrityError, else the name of the error that stopped it."""
    barrier = threading.Barrier(count, timeout=30)
    results = []

    def worker(index):
        with case.registry.cursor() as cr:
            # the loading thread holds the registry lock: hand the registry over
            cr.transaction = Transaction(case.registry)
            env = api.Environment(cr, SUPERUSER_ID, {})
            # take the snapshot of a request that started; never wait forever
            cr.execute("SET LOCAL lock_timeout = '20s'")
            cr.execute("SELECT 1")
            barrier.wait()
            try:
                outcome = attempt(env, index)
                cr.commit()  # pylint: disable=invalid-commit
                results.append(outcome)
            except (UserError, psycopg2.Error) as exc:
                cr.rollback()
                refused = isinstance(exc, psycopg2.IntegrityError)
                results.append(REFUSED_BY_DB if refused else type(exc).__name__)
                _logger.info("attempt %s refused: %s", index, exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    with mute_logger("odoo.sql_db"):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    case.assertEqual(len(results), count)
    return results


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
    def setup_booking(cls, **more_users):
        """The fixture, plus ``more_users``: {attribute: (login, groups)}."""
        env = cls.env
        add_two_counsellors(cls, "vp_b", "Counsellor")
        cls.employee = new_test_user(
            env, "vp_b_employee", groups="base.group_user", email="emp@example.com"
        )
        cls.portal_user = new_test_user(
            env, "vp_b_portal", groups="base.group_portal", email="portal@example.com"
        )
        for attribute, (login, groups) in more_users.items():
            setattr(cls, attribute, new_test_user(env, login, groups=groups))
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


class BookingHttp(BookingFixture):
    """The booking forms over HTTP, for HttpCase classes (mixed in before HttpCase)."""

    def _csrf(self, url, headers=None):
        response = self.url_open(url, headers=headers)
        self.assertEqual(response.status_code, 200, url)
        return CSRF_RE.search(response.text).group(1)

    def _post(self, url, data, csrf_from=None, headers=None):
        if csrf_from:
            data = {**data, "csrf_token": self._csrf(csrf_from, headers=headers)}
        return self.url_open(url, data=data, headers=headers, allow_redirects=False)

    def _portal_form(self):
        return f"/my/vertrouwenspersoon/book/{self.profile.id}"

    def _public_form(self):
        return f"/vertrouwenspersoon/afspraak/book/{self.profile.id}"

    def _public_book(self, index=0, headers=None, **extra):
        """Book the ``index``-th free time on the public page as "Jan" (and ``extra``)."""
        data = {
            "channel": "phone",
            "start": fields.Datetime.to_string(self.free(index=index)),
            "contact_name": "Jan",
            **extra,
        }
        form = self._public_form()
        return self._post(form, data, csrf_from=form, headers=headers)

    def _portal_book_times(self, count, after=None):
        """As the logged-in user, book the first ``count`` free times one by one (calling
        ``after()`` after each): the statuses, and the last response."""
        form = self._portal_form()
        statuses = []
        for index in range(count):
            start = fields.Datetime.to_string(self.free(index=index))
            response = self._post(form, {"channel": "phone", "start": start}, csrf_from=form)
            statuses.append(response.status_code)
            if after:
                after()
        return statuses, response
