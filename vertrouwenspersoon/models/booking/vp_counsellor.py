# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import datetime, time, timedelta

import pytz
from babel.dates import format_date

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

from ...tools import booking_slots
from ..case.vp_case import CHANNELS as CONTACT_CHANNELS
from ..res_users import counsellor_field

# The channels of a contact moment one can book: not e-mail, and in person means the
# confidential room.
CHANNELS = [
    ("in_person", "In person (confidential room)"),
    *(channel for channel in CONTACT_CHANNELS if channel[0] not in ("in_person", "email")),
]

ACTIVE_STATES = ("requested", "confirmed")


def booking_settings(env):
    """Slot length, lead time and horizon of the booking settings (vp.settings)."""
    settings = env["vp.settings"]
    return {
        "slot": timedelta(minutes=settings._vp_value("vp_booking_slot_minutes")),
        "lead": timedelta(hours=settings._vp_value("vp_booking_lead_hours")),
        "horizon": timedelta(weeks=settings._vp_value("vp_booking_horizon_weeks")),
    }


class VpCounsellor(models.Model):
    """The public face of a counsellor: what an employee sees when choosing one.

    Employees and portal users never read this model through the ORM; the portal
    controller reads a whitelist of fields with sudo (see ``_portal_profile``).
    """

    _name = "vp.counsellor"
    _description = "Counsellor profile"
    _inherit = ["image.mixin"]
    _order = "sequence, name, id"

    user_id = counsellor_field(required=True)
    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    intro = fields.Text(
        string="Introduction",
        help="A few sentences shown to employees choosing a counsellor.",
    )
    is_external = fields.Boolean(
        string="External counsellor",
        help="Not employed by the organisation (e.g. hired from an agency).",
    )
    language_ids = fields.Many2many(
        "res.lang",
        string="Languages",
        context={"active_test": False},
    )
    gender = fields.Selection(
        [("female", "Female"), ("male", "Male"), ("other", "Other")],
    )
    channel_in_person = fields.Boolean(string="In person", default=True)
    channel_phone = fields.Boolean(string="By phone", default=True)
    channel_video = fields.Boolean(string="By video call", default=True)
    channel_outside = fields.Boolean(string="Outside the organisation")
    room = fields.Char(
        string="Room / location",
        help="Where the confidential room is, shown to the employee after booking.",
    )
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working hours",
        required=True,
        default=lambda self: self.env.company.resource_calendar_id,
        help="Appointments can be booked within these hours.",
    )
    _sql_constraints = [
        ("user_unique", "unique(user_id)", "This user already has a counsellor profile."),
    ]

    @api.constrains("user_id")
    def _check_user_is_counsellor(self):
        for profile in self:
            if not profile.user_id.has_group("vertrouwenspersoon.group_vp_counsellor"):
                raise ValidationError(
                    self.env._(
                        "%(user)s is not a counsellor: add the user to the Counsellor group first.",
                        user=profile.user_id.name,
                    )
                )

    @api.constrains("channel_in_person", "channel_phone", "channel_video", "channel_outside")
    def _check_channels(self):
        for profile in self:
            if not profile._channels():
                raise ValidationError(self.env._("Offer at least one channel."))

    @api.onchange("user_id")
    def _onchange_user_id(self):
        if self.user_id and not self.name:
            self.name = self.user_id.name

    @api.model
    def _bookable_domain(self):
        """Profiles employees may book: active, of an active user who is a counsellor
        now (a user removed from the group is offered to nobody and receives nothing)."""
        group = self.env.ref("vertrouwenspersoon.group_vp_counsellor")
        return [
            ("active", "=", True),
            ("user_id.active", "=", True),
            ("user_id.groups_id", "in", group.ids),
        ]

    def _is_bookable(self):
        self.ensure_one()
        profile = self.sudo()
        return bool(
            profile.exists()
            and profile.active
            and profile.user_id.active
            and profile.user_id.has_group("vertrouwenspersoon.group_vp_counsellor")
        )

    def _channels(self):
        """Keys of the channels this counsellor offers, in display order."""
        self.ensure_one()
        return [key for key, _label in CHANNELS if self[f"channel_{key}"]]

    def _channel_labels(self):
        names = dict(self.env["vp.appointment"]._fields["channel"]._description_selection(self.env))
        return [(key, names[key]) for key in self._channels()]

    def _portal_profile(self):
        """The whitelist of profile data an employee may see (read with sudo)."""
        self.ensure_one()
        profile = self.sudo()
        return {
            "id": profile.id,
            "name": profile.name,
            "intro": profile.intro or "",
            "is_external": profile.is_external,
            "languages": profile.language_ids.mapped("name"),
            "gender": dict(profile._fields["gender"]._description_selection(self.env)).get(
                profile.gender, ""
            ),
            "channels": profile._channel_labels(),
            "room": profile.room or "",
            # bin_size: the size, not the photo itself read from the filestore
            "has_image": bool(profile.with_context(bin_size=True).image_128),
        }

    # Availability of counsellors: free slots from working hours minus busy time.
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
            result[profile.id] = booking_slots.free_slots(
                intervals_by_calendar[calendar],
                busy.get(profile.id, []),
                settings["slot"],
                first,
                last,
            )
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
        first_day = booking_slots.to_local(first, tz.zone).date()
        last_day = booking_slots.to_local(stop, tz.zone).date() + timedelta(days=1)
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
