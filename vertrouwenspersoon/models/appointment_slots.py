from datetime import datetime, time, timedelta

import pytz
from babel.dates import format_date

from odoo import api, fields, models, tools

ACTIVE_STATES = ("requested", "confirmed")

PARAM_SLOT = "vertrouwenspersoon.booking_slot_minutes"
PARAM_LEAD = "vertrouwenspersoon.booking_lead_hours"
PARAM_HORIZON = "vertrouwenspersoon.booking_horizon_weeks"
DEFAULTS = {PARAM_SLOT: 60, PARAM_LEAD: 4, PARAM_HORIZON: 6}


def booking_settings(env):
    """Slot length (minutes), lead time (hours) and horizon (weeks), sane even if mistyped."""
    icp = env["ir.config_parameter"].sudo()
    values = {}
    for key, default in DEFAULTS.items():
        try:
            values[key] = max(int(icp.get_param(key, default)), 0)
        except (TypeError, ValueError):
            values[key] = default
    return {
        "slot": timedelta(minutes=max(values[PARAM_SLOT], 15)),
        "lead": timedelta(hours=values[PARAM_LEAD]),
        "horizon": timedelta(weeks=max(values[PARAM_HORIZON], 1)),
    }


def _naive_utc(dt):
    return dt.astimezone(pytz.utc).replace(tzinfo=None)


class VpCounsellor(models.Model):
    """Availability of counsellors: free slots from working hours minus busy time."""

    _inherit = "vp.counsellor"

    def _busy_intervals(self, start, stop):
        """{profile id: [(start, stop)]} in naive UTC: active appointments and busy events."""
        busy = {profile.id: [] for profile in self}
        by_user = {profile.user_id.id: profile.id for profile in self}
        by_partner = {profile.user_id.partner_id.id: profile.id for profile in self}
        self.env.cr.execute(
            """
            SELECT counsellor_id, start, stop FROM vp_appointment
             WHERE counsellor_id = ANY(%s) AND state IN %s AND start < %s AND stop > %s
            """,
            [list(by_user), ACTIVE_STATES, stop, start],
        )
        for user_id, a_start, a_stop in self.env.cr.fetchall():
            busy[by_user[user_id]].append((a_start, a_stop))
        # Only time the counsellor chose to spend counts: events they organise, or
        # accepted. An invitation anyone can send (unanswered, declined, tentative)
        # must not block their bookable time for weeks.
        self.env.cr.execute(
            """
            SELECT att.partner_id, ev.start, ev.stop
              FROM calendar_event ev
              JOIN calendar_attendee att ON att.event_id = ev.id
             WHERE att.partner_id = ANY(%s) AND att.state = 'accepted'
               AND ev.active AND ev.show_as = 'busy'
               AND ev.start < %s AND ev.stop > %s
               -- an appointment's own block: the appointment itself counts (and is
               -- freed at once when cancelled, before its block is removed)
               AND NOT EXISTS (SELECT 1 FROM vp_appointment a WHERE a.event_id = ev.id)
             UNION
            SELECT u.partner_id, ev.start, ev.stop
              FROM calendar_event ev
              JOIN res_users u ON u.id = ev.user_id
             WHERE u.partner_id = ANY(%s) AND ev.active AND ev.show_as = 'busy'
               AND ev.start < %s AND ev.stop > %s
               AND NOT EXISTS (SELECT 1 FROM vp_appointment a WHERE a.event_id = ev.id)
            """,
            [list(by_partner), stop, start, list(by_partner), stop, start],
        )
        for partner_id, e_start, e_stop in self.env.cr.fetchall():
            busy[by_partner[partner_id]].append((e_start, e_stop))
        return busy

    def _free_slots(self, now=None, exclude=None, window=None):
        """{profile id: [start (naive UTC datetime)]} of bookable slots.

        Slots are cut from the start of each working interval of the counsellor's
        calendar, in the calendar's time zone (so 09:00 stays 09:00 across daylight
        saving time, and the lead time never shifts them to 13:17), and start no earlier
        than ``now`` + lead time and no later than ``now`` + horizon. ``window`` (naive
        UTC start, stop) narrows that range, so checking one slot costs one day.
        ``exclude`` is an appointment being moved: its own time does not count as busy.
        """
        settings = booking_settings(self.env)
        now = now or fields.Datetime.now()
        first = now + settings["lead"]
        last = now + settings["horizon"]
        if window:
            first, last = max(first, window[0]), min(last, window[1])
        result = {profile.id: [] for profile in self}
        if first > last:
            return result
        self.env["vp.appointment"].flush_model()
        self.env["calendar.event"].flush_model(["start", "stop", "show_as", "active", "user_id"])
        self.env["calendar.attendee"].flush_model(["state", "partner_id", "event_id"])
        busy = self._busy_intervals(first, last + settings["slot"])
        if exclude:
            busy = {
                key: [iv for iv in value if iv != (exclude.start, exclude.stop)]
                for key, value in busy.items()
            }
        intervals_by_calendar = {}
        for profile in self.sudo():
            calendar = profile.resource_calendar_id
            if calendar not in intervals_by_calendar:
                intervals_by_calendar[calendar] = self._work_intervals(
                    calendar, first, last + settings["slot"]
                )
            slots = []
            profile_busy = sorted(busy.get(profile.id, []))
            for iv_start, iv_stop in intervals_by_calendar[calendar]:
                cursor = iv_start
                while cursor + settings["slot"] <= iv_stop:
                    s_start = _naive_utc(cursor)
                    s_stop = s_start + settings["slot"]
                    cursor += settings["slot"]
                    if s_start < first or s_start > last:
                        continue
                    if any(
                        b_start < s_stop and b_stop > s_start for b_start, b_stop in profile_busy
                    ):
                        continue
                    slots.append(s_start)
            result[profile.id] = slots
        return result

    @api.model
    def _work_intervals(self, calendar, first, stop):
        """Working intervals [(aware start, aware stop)] of whole local days.

        Whole days from midnight: the resource calendar clips intervals at the requested
        start, which would misalign slots. Cached per calendar and days, under a digest
        of the calendar, its attendances and its holidays in that period (one query), so
        a change to working hours or a new holiday counts at once.
        """
        for model in (
            "resource.calendar",
            "resource.calendar.attendance",
            "resource.calendar.leaves",
        ):
            self.env[model].flush_model()
        tz = pytz.timezone(calendar.tz or "UTC")
        first_day = to_local(self.env, first, tz.zone).date()
        last_day = to_local(self.env, stop, tz.zone).date() + timedelta(days=1)
        self.env.cr.execute(
            """
            SELECT md5(concat(
                (SELECT row(c.*)::text FROM resource_calendar c WHERE c.id = %(calendar)s),
                (SELECT string_agg(row(a.*)::text, ',' ORDER BY a.id)
                   FROM resource_calendar_attendance a WHERE a.calendar_id = %(calendar)s),
                (SELECT string_agg(row(l.*)::text, ',' ORDER BY l.id)
                   FROM resource_calendar_leaves l
                  WHERE l.resource_id IS NULL
                    AND (l.calendar_id = %(calendar)s OR l.calendar_id IS NULL)
                    AND l.date_to > %(first)s AND l.date_from < %(last)s)
            ))
            """,
            {
                "calendar": calendar.id,
                "first": first - timedelta(days=1),
                "last": stop + timedelta(days=2),
            },
        )
        version = self.env.cr.fetchone()[0]
        return self._work_intervals_of_days(calendar.id, first_day, last_day, version)

    @tools.ormcache("calendar_id", "first_day", "last_day", "version")
    def _work_intervals_of_days(self, calendar_id, first_day, last_day, version):
        calendar = self.env["resource.calendar"].sudo().browse(calendar_id)
        tz = pytz.timezone(calendar.tz or "UTC")
        intervals = calendar._work_intervals_batch(
            tz.localize(datetime.combine(first_day, time())),
            tz.localize(datetime.combine(last_day, time())),
        )[False]
        return tuple((start, stop) for start, stop, _meta in intervals)

    def _is_free_slot(self, start, exclude=None):
        """Whether ``start`` is one of the free slots (computed for its own day only)."""
        self.ensure_one()
        window = (start, start)
        return start in self._free_slots(exclude=exclude, window=window)[self.id]

    def _format_day(self, local):
        return format_date(local.date(), "EEEE d MMMM y", locale=self.env.lang or "en_US")


def to_local(env, dt, tz_name):
    """A naive UTC datetime as an aware datetime in ``tz_name``."""
    return pytz.utc.localize(dt).astimezone(pytz.timezone(tz_name or "UTC"))


def parse_slot(value):
    """The slot value posted by a form (naive UTC 'YYYY-MM-DD HH:MM:SS'), or None."""
    try:
        return datetime.strptime((value or "")[:19], "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None
