# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
import hashlib
import re
import secrets
from datetime import datetime, timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import consteq, sql

from ...tools.booking_ics import appointment_ics
from ...tools.booking_slots import to_local
from ..vault.vp_vault_drop_mixin import _with_vault, encrypt_legacy_columns, encrypted_field
from .vp_counsellor import ACTIVE_STATES, CHANNELS, booking_settings

NOTE_MAX = 2000
EPOCH = datetime(1970, 1, 1)
SHORT_MAX = 120


# what PostgreSQL cannot store (NUL) and what no one types: C0 controls and DEL, but
# tab and line breaks (a note has lines)
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def token_digest(token):
    """What is stored of a link token: its SHA-256 (a token is 256 random bits)."""
    return hashlib.sha256(str(token).encode("utf-8", "surrogatepass")).hexdigest()


COMPUTE = "_compute_vault_drop_content"


def new_booking_code():
    code = base64.b32encode(secrets.token_bytes(5)).decode()
    return f"{code[:4]}-{code[4:8]}"


# One file per model, one class block per concern in the order Odoo loads them
# (docs/architecture.md): pylint-odoo's advice to merge these blocks does not apply.
# pylint: disable=consider-merging-classes-inherited


class SlotTakenError(UserError):
    """The slot was free when the page was shown but is not any more."""

    @staticmethod
    def default_message(env):
        return env._(
            "This time was just taken or is not available. "
            "Please choose one of the free times below."
        )


class BookingRateError(UserError):
    """The booker made too many bookings in the last hour."""

    @staticmethod
    def default_message(env):
        return env._(
            "Too many booking requests in a short time. Please try again in an hour, "
            "or phone or e-mail the counsellor directly."
        )


class VpAppointment(models.Model):
    """A confidential appointment requested by an employee (or someone without account).

    Deliberately no mail.thread, activities or links from partner/employee: the only
    trace outside this table is a private busy block in the counsellor's calendar.
    """

    _name = "vp.appointment"
    # portal.mixin for Odoo's portal flow (access_url, share URL, the controller's
    # _document_check_access), without its clear-text token column: see the tokens below
    _inherit = ["portal.mixin"]
    _description = "Confidential appointment"
    _order = "start desc, id desc"
    _rec_names_search = ["contact_name", "partner_id"]

    counsellor_id = fields.Many2one("res.users", required=True, ondelete="restrict", index=True)
    profile_id = fields.Many2one(
        "vp.counsellor", string="Counsellor profile", ondelete="restrict", index=True
    )
    start = fields.Datetime(required=True, index=True)
    stop = fields.Datetime(required=True)
    channel = fields.Selection(CHANNELS, required=True, default="in_person")
    state = fields.Selection(
        [
            ("requested", "Requested"),
            ("confirmed", "Confirmed"),
            ("declined", "Declined"),
            ("cancelled", "Cancelled"),
            ("done", "Done"),
        ],
        required=True,
        default="requested",
        index=True,
    )
    user_id = fields.Many2one(
        "res.users", string="Booked by (user)", ondelete="set null", index=True
    )
    # cascade: erasing a person erases their bookings, and Privacy Lookup (which lists
    # every non-cascading link to a partner, names included) reveals no confidential
    # booking to an administrator
    partner_id = fields.Many2one("res.partner", string="Booked by", ondelete="cascade")
    contact_name = fields.Char(string="Name")
    contact_email = fields.Char(string="E-mail")
    contact_phone = fields.Char(string="Phone")
    callback_phone = fields.Char(
        string="Call-back phone", help="Number the counsellor may call back on."
    )
    note = fields.Text(
        string="Note for the counsellor",
        help="What the employee would like the counsellor to know beforehand.",
    )
    decline_message = fields.Text(string="Message to the employee")
    proposed_start = fields.Datetime(string="Proposed other time")
    # Only digests of the manage links are stored (one per e-mail that carried one):
    # neither the database nor a log of it opens a booking.
    access_token_hashes = fields.Text(string="Link token digests", copy=False, readonly=True)
    # portal.mixin stores one token in the clear (column access_token): a DBA could open
    # the booking with it. Here it is never stored (no column) and always empty; tokens
    # are minted by _portal_ensure_token and checked by _check_token against the digests.
    access_token = fields.Char(compute="_compute_access_token", readonly=True)
    booker_email_key = fields.Char(
        string="Booker e-mail key", copy=False, readonly=True, index="btree_not_null"
    )
    booker_phone_key = fields.Char(
        string="Booker phone key", copy=False, readonly=True, index="btree_not_null"
    )
    email_state = fields.Selection(
        [("none", "No e-mail"), ("pending", "Not confirmed"), ("confirmed", "Confirmed")],
        string="E-mail address",
        default="none",
        readonly=True,
        help="Booking e-mails go to an address given on the public page only after "
        "its owner confirmed it.",
    )
    email_confirm_hash = fields.Char(string="E-mail confirmation digest", copy=False, readonly=True)
    event_id = fields.Many2one(
        "calendar.event", string="Calendar block", ondelete="set null", index="btree_not_null"
    )
    reminder_sent = fields.Boolean(copy=False, readonly=True)
    # the language of the page the booking was made on: the booker's e-mails follow it
    # (a public booker has no partner whose language could say it)
    lang = fields.Char(string="Booking language", readonly=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )

    def init(self):
        self._hash_legacy_tokens()
        # The database, not Python, guarantees a slot is held at most once: a partial
        # unique index for the same start, and an exclusion constraint for overlapping
        # times of one counsellor (gist on ranges; no extension needed). A concurrent
        # transaction waits for the first one and then fails with an IntegrityError,
        # which the portal turns into "this time was just taken".
        cr = self.env.cr
        cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS vp_appointment_active_slot_uniq
                ON vp_appointment (counsellor_id, start)
             WHERE state IN ('requested', 'confirmed')
            """
        )
        cr.execute("SELECT 1 FROM pg_constraint WHERE conname = 'vp_appointment_no_overlap'")
        if not cr.fetchone():
            cr.execute(
                """
                ALTER TABLE vp_appointment ADD CONSTRAINT vp_appointment_no_overlap
                EXCLUDE USING gist (
                    int4range(counsellor_id, counsellor_id, '[]') WITH &&,
                    tsrange(start, stop) WITH &&
                ) WHERE (state IN ('requested', 'confirmed'))
                """
            )

    def _hash_legacy_tokens(self):
        """Builds before the token digests kept the manage token in the clear: store its
        digest (the links already mailed keep working) and drop the plain column."""
        cr = self.env.cr
        if not sql.column_exists(cr, self._table, "access_token"):
            return
        cr.execute(
            """
            UPDATE vp_appointment
               SET access_token_hashes = encode(sha256(convert_to(access_token, 'UTF8')), 'hex')
             WHERE access_token IS NOT NULL AND access_token != ''
            """
        )
        cr.execute("ALTER TABLE vp_appointment DROP COLUMN access_token")

    @api.depends("start")
    def _compute_display_name(self):
        for appointment in self:
            appointment.display_name = self.env._(
                "Appointment on %(date)s", date=appointment._local_label()
            )

    @api.constrains("start", "stop")
    def _check_dates(self):
        for appointment in self:
            if appointment.stop <= appointment.start:
                raise ValidationError(self.env._("An appointment must end after it starts."))

    # ------------------------------------------------------------------ helpers

    def _tz(self):
        self.ensure_one()
        return self.sudo().profile_id.resource_calendar_id.tz or "Europe/Amsterdam"

    def _local_label(self, dt=None):
        dt = dt or self.start
        if not dt:
            return ""
        local = to_local(dt, self._tz())
        return "%s %s" % (
            self.env["vp.counsellor"]._format_day(local),
            local.strftime("%H:%M"),
        )

    def _booker_email(self):
        self.ensure_one()
        return self.partner_id.email_formatted if self.partner_id.email else self.contact_email

    def _booker_lang(self):
        return self.lang or self.partner_id.lang or self.env.lang or "en_US"

    def _compute_access_token(self):
        self.access_token = False

    @api.depends("user_id")
    def _compute_access_url(self):
        """The booker's page: the portal's for an account, else the page a session grant
        opens (tokens are exchanged for a grant on first use, see controllers/portal.py)."""
        for appointment in self:
            appointment.access_url = (
                f"/my/vertrouwenspersoon/{appointment.id}"
                if appointment.user_id
                else f"/vertrouwenspersoon/afspraak/manage/{appointment.id}"
            )

    def _manage_url(self):
        """The link in e-mails: the portal page, or a public link with a new token.

        Each mail gets its own token; only its digest is stored, the token itself lives
        in the mail until it is sent (and deleted).
        """
        self.ensure_one()
        return self.get_base_url() + self._get_share_url()

    def _get_share_url(self, redirect=False, signup_partner=False, pid=None, share_token=True):
        """portal.mixin's share URL, in the neutral form of the mails ("afspraak", not
        "vertrouwenspersoon"): an account's booking needs no token (its page checks the
        account); a public booking gets a fresh token in the path."""
        self.ensure_one()
        if self.user_id:
            return f"/my/afspraak/{self.id}"
        return f"/afspraak/{self.id}/{self._portal_ensure_token()}"

    def _portal_ensure_token(self):
        """A new token for a link, of which only the digest is stored.

        portal.mixin returns the one stored token; nothing here can give a token back, so
        every call mints another one (one per e-mail). Only code running as superuser
        (the mail and page flows) mints: an RPC call of get_portal_url() by any user,
        the counsellor included, is refused instead of handing out a key to the booking.
        """
        self.ensure_one()
        if not self.env.su:
            raise AccessError(self.env._("Only the booking flow makes links to an appointment."))
        token = secrets.token_urlsafe(32)
        hashes = (self.access_token_hashes or "").split()
        self.access_token_hashes = " ".join([*hashes, token_digest(token)])
        return token

    def _check_token(self, token):
        """Constant-time token check; tokens expire when the appointment starts."""
        self.ensure_one()
        digest = token_digest(token or "")
        known = (self.sudo().access_token_hashes or "").split()
        # compare with every digest (no early exit), then the time
        matches = [consteq(digest, real) for real in known]
        return bool(token) and any(matches) and self.start > fields.Datetime.now()

    def _is_manageable_publicly(self):
        """A public booking is managed through its links until it starts."""
        self.ensure_one()
        return self.start > fields.Datetime.now()

    def _is_changeable(self):
        self.ensure_one()
        return self.state in ACTIVE_STATES and self.start > fields.Datetime.now()

    @api.model
    def _clean_text(self, value, limit, label):
        value = (value or "").strip()
        if CONTROL_RE.search(value):
            raise ValidationError(
                self.env._(
                    "%(field)s contains invisible control characters. "
                    "Please type it again without them.",
                    field=label,
                )
            )
        if len(value) > limit:
            raise ValidationError(
                self.env._(
                    "%(field)s is too long (at most %(limit)s characters).",
                    field=label,
                    limit=limit,
                )
            )
        return value or False

    # ------------------------------------------------------------------ booking

    @api.model
    def _check_bookable(self, profile, start, channel, exclude=None):
        profile = profile.sudo()
        if not profile._is_bookable():
            raise UserError(self.env._("This counsellor cannot be booked (any more)."))
        if channel not in profile._channels():
            raise UserError(self.env._("Choose one of the ways this counsellor offers."))
        if not start:
            raise UserError(self.env._("Choose a time."))
        if start <= fields.Datetime.now():
            raise UserError(self.env._("This time is in the past. Choose a time from the list."))
        # Someone booking this very slot right now holds its lock: they win, and this
        # request answers at once instead of waiting for their commit and then hitting
        # the unique index (which still decides when the lock is gone by then).
        self.env.cr.execute(
            "SELECT pg_try_advisory_xact_lock(%s, %s)",
            [profile.user_id.id, (start - EPOCH) // timedelta(minutes=1)],
        )
        if not self.env.cr.fetchone()[0] or not profile._is_free_slot(start, exclude=exclude):
            raise SlotTakenError(SlotTakenError.default_message(self.env))

    @api.model
    def _book(self, profile, start, channel, booker, callback_phone=None, note=None, hourly=None):
        """Book a slot for ``booker`` (dict: user_id / partner_id or contact_*), as sudo.

        Raises UserError (SlotTakenError) with a message for the employee; the caller
        runs this inside a savepoint so nothing is half-written.
        """
        appointments = self.sudo()
        profile = profile.sudo()
        values = {
            "callback_phone": self._clean_text(
                callback_phone, SHORT_MAX, self.env._("Call-back phone")
            ),
            "note": self._clean_text(note, NOTE_MAX, self.env._("Note")),
        }
        labels = {
            "contact_name": self.env._("Name"),
            "contact_email": self.env._("E-mail"),
            "contact_phone": self.env._("Phone"),
        }
        for key, label in labels.items():
            if booker.get(key) is not None:
                values[key] = self._clean_text(booker[key], SHORT_MAX, label)
        email = values.get("contact_email") or ""
        if booker.get("partner_id") and not email:
            email = self.env["res.partner"].sudo().browse(booker["partner_id"]).email or ""
        keys = self._booker_keys(booker.get("user_id"), email, values.get("contact_phone"))
        appointments._check_booker_limit(keys, booker.get("user_id"), hourly)
        appointments._check_bookable(profile, start, channel)
        slot = booking_settings(self.env)["slot"]
        public_email = not booker.get("user_id") and values.get("contact_email")
        appointment = appointments.create(
            {
                **values,
                "profile_id": profile.id,
                "counsellor_id": profile.user_id.id,
                "company_id": profile.company_id.id,
                "start": start,
                "stop": start + slot,
                "channel": channel,
                "user_id": booker.get("user_id"),
                "partner_id": booker.get("partner_id"),
                "booker_email_key": keys.get("email"),
                "booker_phone_key": keys.get("phone"),
                "lang": self.env.lang,
                # an account's address is its own; one typed on the public page first
                # has to be confirmed by whoever reads that mailbox
                "email_state": "pending" if public_email else ("confirmed" if email else "none"),
            }
        )
        if hourly and keys.get("user"):
            self.env["vp.booking.attempt"].sudo()._add([keys["user"]])
        appointment._queue_notice("booked")
        return appointment

    @api.model
    def _booker_keys(self, user_id, email, phone):
        """Hashed keys that identify a booker across bookings: {kind: key}."""
        hash_ = self.env["vp.booking.attempt"]._hash
        keys = {}
        if user_id:
            keys["user"] = hash_("booker-user", user_id)
        if email and email.strip():
            keys["email"] = hash_("booker-email", email.strip().lower())
        digits = re.sub(r"\D", "", phone or "")
        if len(digits) >= 6:
            keys["phone"] = hash_("booker-phone", digits[-9:])  # 06-… and +316… alike
        return keys

    @api.model
    def _max_active(self):
        return self.env["vp.settings"]._vp_value("vp_booking_max_active")

    @api.model
    def _check_booker_limit(self, keys, user_id=None, hourly=None):
        """Refuse a booker who already holds the most active (future, open) appointments,
        or (``hourly``: the setting of an account's bookings per hour) who booked too
        often in the last hour.

        Atomic per booker: the guard rows of the keys serialize concurrent bookings of
        one booker (see vp.booking.guard). 0 in the setting means no limit.
        """
        limit = self._max_active()
        hourly = hourly if user_id else None
        if not keys or not (limit or hourly):
            return
        if not self.env["vp.booking.guard"].sudo()._claim(keys.values()):
            raise UserError(
                self.env._(
                    "Another booking with your details is being made at this moment. "
                    "Please reload the page and try again."
                )
            )
        attempts = self.env["vp.booking.attempt"].sudo()
        if hourly and attempts._count_recent(keys["user"]) >= attempts._limit(hourly):
            raise BookingRateError(BookingRateError.default_message(self.env))
        if not limit:
            return
        domain = [("state", "in", list(ACTIVE_STATES)), ("start", ">", fields.Datetime.now())]
        matches = []
        if user_id:
            matches.append([("user_id", "=", user_id)])
        if keys.get("email"):
            matches.append([("booker_email_key", "=", keys["email"])])
        if keys.get("phone"):
            matches.append([("booker_phone_key", "=", keys["phone"])])
        count = self.sudo().search_count(expression.AND([domain, expression.OR(matches)]))
        if count >= limit:
            raise UserError(
                self.env._(
                    "You already have %(count)s appointments planned, the most that can "
                    "be booked here at one time. Cancel or move one of them, or phone or "
                    "e-mail the counsellor directly for another appointment.",
                    count=count,
                )
            )

    def _move(self, start, channel=None):
        """Move to another free slot (by the booker), perhaps another channel; back to
        'requested'."""
        self.ensure_one()
        appointment = self.sudo()
        if not appointment._is_changeable():
            raise UserError(self.env._("This appointment can no longer be changed."))
        channel = channel or appointment.channel
        self._check_bookable(appointment.profile_id, start, channel, exclude=appointment)
        slot = booking_settings(self.env)["slot"]
        appointment.write(
            {
                "start": start,
                "channel": channel,
                "stop": start + slot,
                "state": "requested",
                "proposed_start": False,
                "reminder_sent": False,
            }
        )
        appointment._queue_notice("moved")

    def _accept_proposal(self):
        self.ensure_one()
        appointment = self.sudo()
        if not appointment.proposed_start:
            raise UserError(self.env._("There is no other time proposed."))
        appointment._move(appointment.proposed_start)
        appointment.state = "confirmed"

    def _cancel_by_booker(self):
        self.ensure_one()
        appointment = self.sudo()
        if not appointment._is_changeable():
            raise UserError(self.env._("This appointment can no longer be changed."))
        appointment.state = "cancelled"
        appointment._queue_notice("cancelled")

    # ------------------------------------------------------------- counsellor

    def action_confirm(self):
        for appointment in self:
            if appointment.state != "requested":
                raise UserError(self.env._("Only a requested appointment can be confirmed."))
            appointment.write({"state": "confirmed", "proposed_start": False})
            appointment._queue_notice("confirmed", now=True)

    def action_decline(self):
        for appointment in self:
            if appointment.state not in ACTIVE_STATES:
                raise UserError(self.env._("This appointment is not open any more."))
            if not appointment.decline_message:
                raise UserError(
                    self.env._("Write a short message to the employee before declining.")
                )
            appointment.state = "declined"
            appointment._queue_notice("declined", now=True)

    def action_propose(self):
        for appointment in self:
            if appointment.state not in ACTIVE_STATES:
                raise UserError(self.env._("This appointment is not open any more."))
            if not appointment.proposed_start or (
                appointment.proposed_start <= fields.Datetime.now()
            ):
                raise UserError(self.env._("Enter a proposed time in the future."))
            appointment._queue_notice("proposed", now=True)

    def action_done(self):
        for appointment in self:
            if appointment.state != "confirmed":
                raise UserError(self.env._("Only a confirmed appointment can be marked done."))
            appointment.state = "done"

    # ------------------------------------------------------------------ outbox

    def _queue_notice(self, kind, now=False):
        """Have the calendar block and the e-mails of ``kind`` follow (see the outbox).

        The booker's requests leave them to the cron worker they wake; a counsellor's
        action (``now``) sends at once, after whatever was still waiting, in order.
        """
        Notice = self.env["vp.appointment.notice"].sudo()
        Notice.create([{"appointment_id": appointment.id, "kind": kind} for appointment in self])
        if now:
            Notice.flush_model()
            self.env.cr.execute(
                "SELECT id FROM vp_appointment_notice WHERE appointment_id = ANY(%s)"
                " ORDER BY id FOR UPDATE",
                [self.ids],
            )
            for notice in Notice.browse([row[0] for row in self.env.cr.fetchall()]):
                notice._send()
        else:
            self.env.ref("vertrouwenspersoon.ir_cron_vp_appointment_notices").sudo()._trigger()

    # ---------------------------------------------------------------- calendar

    def _sync_event(self):
        """Keep the counsellor's private busy block in step; delete it when not active."""
        Event = (
            self.env["calendar.event"]
            .sudo()
            .with_context(
                no_mail_to_attendees=True,
                mail_create_nolog=True,
                mail_create_nosubscribe=True,
                mail_notrack=True,
                tracking_disable=True,
                mail_auto_subscribe_no_notify=True,
            )
        )
        for appointment in self.sudo():
            event = Event.browse(appointment.event_id.id)
            if appointment.state not in ACTIVE_STATES:
                if event:
                    appointment.event_id = False
                    event.unlink()
                continue
            counsellor = appointment.counsellor_id
            values = {
                "name": self.with_context(lang=counsellor.lang).env._("Busy"),
                "start": appointment.start,
                "stop": appointment.stop,
                "user_id": counsellor.id,
                "partner_ids": [fields.Command.set(counsellor.partner_id.ids)],
                "privacy": "private",
                "show_as": "busy",
                "description": False,
                "location": False,
                "alarm_ids": [fields.Command.clear()],
            }
            if event:
                event.write(values)
            else:
                appointment.event_id = Event.create(values)

    # ------------------------------------------------------------------- mails

    def _notify_booker(self, kind):
        """Mail the booker; an address typed on the public page only once confirmed.

        Until then the only mail it gets is one neutral request to confirm it (on
        booking): someone who typed another person's address sends that person
        nothing about a confidential counsellor.
        """
        for appointment in self.sudo():
            email = appointment._booker_email()
            if not email:
                continue
            booker = appointment.with_context(lang=appointment._booker_lang())
            if appointment.email_state == "pending":
                if kind == "booked":
                    booker._send_confirm_mail(email)
                continue
            booker._send_mail("booked" if kind == "email_confirmed" else kind, email, True)

    def _send_confirm_mail(self, email_to):
        self.ensure_one()
        token = secrets.token_urlsafe(32)
        self.email_confirm_hash = token_digest(token)
        subject, body = self.env["vp.booking.mail"]._render(
            "vertrouwenspersoon.mail_template_vp_booking_confirm_email",
            {"url": f"{self.get_base_url()}/confirm-email/{self.id}/{token}"},
            lang=self.env.context.get("lang"),
        )
        self._create_mail(subject, body, email_to)

    def _check_confirm_token(self, token):
        self.ensure_one()
        real = self.sudo().email_confirm_hash
        return bool(real and token and consteq(real, token_digest(token)))

    def _confirm_email(self):
        """The owner of the address confirmed it (they opened the link and clicked)."""
        self.ensure_one()
        appointment = self.sudo()
        if appointment.email_state != "pending" or not appointment.email_confirm_hash:
            return False
        appointment.write({"email_state": "confirmed", "email_confirm_hash": False})
        if appointment.state in ACTIVE_STATES:
            appointment._queue_notice("email_confirmed")
        return True

    def _notify_counsellor(self, kind):
        for appointment in self.sudo():
            counsellor = appointment.counsellor_id
            if counsellor.email:
                appointment.with_context(lang=counsellor.lang)._send_mail(
                    kind, counsellor.email_formatted, for_booker=False
                )

    def _send_mail(self, kind, email_to, for_booker):
        """A neutral e-mail from the booking mail templates (vp.booking.mail): no
        counsellor role, no subject matter, no note; the texts are the functional
        administrator's, the values the ones below only."""
        self.ensure_one()
        if not for_booker:
            url = f"{self.get_base_url()}/odoo/vp.appointment/{self.id}"
            template = "counsellor_" + (kind if kind in ("moved", "cancelled") else "booked")
        else:
            template = kind
            # no link in these mails: no token made for them
            url = "" if kind in ("cancelled", "declined") else self._manage_url()
        subject, body = self.env["vp.booking.mail"]._render(
            f"vertrouwenspersoon.mail_template_vp_booking_{template}",
            {
                "when": self._local_label(),
                "proposed": self._local_label(self.proposed_start) if self.proposed_start else "",
                "channel": self._mail_channel(),
                "url": url,
                # the counsellor's reply, decrypted in their own request (never stored plain)
                "message": self.env.context.get("vp_booker_message") or "",
            },
            lang=self.env.context.get("lang"),
        )
        cancel = kind in ("cancelled", "declined")
        ics = self._ics(cancel=cancel) if for_booker and kind != "proposed" else None
        self._create_mail(subject, body, email_to, ics)

    def _create_mail(self, subject, body, email_to, ics=None):
        """Queue one booking mail that leaves nothing behind.

        Deleted once sent (auto_delete), its calendar file with it (an attachment of
        the mail's message is deleted with the message); a mail that keeps failing is
        deleted after its last retry (see mail.mail).
        """
        mail = (
            self.env["mail.mail"]
            .sudo()
            .create(
                {
                    "subject": subject,
                    "body_html": body,
                    "email_to": email_to,
                    "email_from": self.company_id.email_formatted
                    or self.env.company.email_formatted
                    or self.env.user.email_formatted,
                    "author_id": False,
                    "auto_delete": True,
                    "vp_booking_mail": True,
                }
            )
        )
        if ics:
            mail.attachment_ids = (
                self.env["ir.attachment"]
                .sudo()
                .create(
                    {
                        "name": "appointment.ics",
                        "raw": ics,
                        "mimetype": "text/calendar",
                        "res_model": "mail.message",
                        "res_id": mail.mail_message_id.id,
                    }
                )
            )
        return mail

    def _mail_channel(self):
        """The channel in e-mails: whoever reads a waiting mail learns no "confidential"."""
        _ = self.env._
        return {
            "in_person": _("In person"),
            "phone": _("Phone"),
            "video": _("Video call"),
            "outside": _("Outside the organisation"),
        }[self.channel]

    def _ics(self, cancel=False):
        """The calendar file of a booking mail: a neutral title and the time only (no
        location: the room's name may say what it is for; the booker's page shows it)."""
        self.ensure_one()
        uuid = self.env["ir.config_parameter"].sudo().get_param("database.uuid", "")
        return appointment_ics(
            f"appointment-{self.id}-{uuid}",
            self.start,
            self.stop,
            self.env._("Appointment"),
            cancel=cancel,
            now=fields.Datetime.now(),
        )

    @api.model
    def _cron_send_reminders(self):
        self.env["mail.mail"]._vp_retry_or_purge_failed()
        self.env["vp.booking.attempt"]._purge(fields.Datetime.now())
        now = fields.Datetime.now()
        due = self.sudo().search(
            [
                ("state", "in", list(ACTIVE_STATES)),
                ("reminder_sent", "=", False),
                ("start", ">", now),
                ("start", "<=", now + timedelta(hours=24)),
            ]
        )
        for appointment in due:
            appointment._notify_booker("reminder")
            appointment.reminder_sent = True

    # A booking becomes a case (intake) in one click.
    case_id = fields.Many2one("vp.case", readonly=True, copy=False, index=True)

    def action_create_case(self):
        """Create the intake case of this appointment, moving the note and contact over.

        Runs as the counsellor (no sudo): the case is theirs, and the content fields go
        through the ORM so the vault encrypts them like any other case content.
        """
        self.ensure_one()
        if self.case_id:
            raise UserError(self.env._("This appointment already has a case."))
        if self.counsellor_id != self.env.user:
            raise UserError(self.env._("Only the counsellor of the appointment can open a case."))
        if self.state not in ("requested", "confirmed", "done"):
            raise UserError(self.env._("A cancelled or declined appointment cannot become a case."))
        if self._has_vault_content() and self.vault_locked:
            raise UserError(
                self.env._("Unlock your vault first: the note of the booking moves into the case.")
            )
        contact = ", ".join(
            filter(
                None,
                [
                    self.partner_id.email or self.contact_email,
                    self.partner_id.phone or self.contact_phone,
                    self.callback_phone,
                ],
            )
        )
        case = self.env["vp.case"].create(
            {
                "date_intake": to_local(self.start, self._tz()).date(),
                "intake_channel": self.channel,
                "melder_name": self.partner_id.name or self.contact_name or False,
                "melder_contact": contact or False,
                "notes": self.note or False,
            }
        )
        # moved, not copied: the case keeps it encrypted, the appointment no longer
        self.write(
            {
                "case_id": case.id,
                "note": False,
                "callback_phone": False,
                "contact_name": False,
                "contact_phone": False,
            }
        )
        return case._action_open_form()


# Encryption at rest of what the booker types (vault drops for the counsellor).
#
# The note, the call-back number and the name and phone number of a booker without an
# account are stored only as ciphertext for the public key of the appointment's
# counsellor: the booking flow encrypts without anyone unlocking, the counsellor reads
# them when unlocked, nobody else ever. The e-mail address of a booker without an
# account stays readable by the server: it is needed to send the booker's mails
# (confirmation, reminder), like the partner of a booker with an account.
class VpAppointmentVault(models.Model):
    _name = "vp.appointment"
    _inherit = ["vp.appointment", "vp.vault.drop.mixin"]

    _vault_fields = ("note", "callback_phone", "contact_name", "contact_phone", "decline_message")
    _vault_counsellor_field = "counsellor_id"

    note = encrypted_field(fields.Text, "note", compute=COMPUTE)
    callback_phone = encrypted_field(fields.Char, "callback_phone", compute=COMPUTE)
    contact_name = encrypted_field(fields.Char, "contact_name", compute=COMPUTE)
    contact_phone = encrypted_field(fields.Char, "contact_phone", compute=COMPUTE)
    note_enc = fields.Text(copy=False)
    callback_phone_enc = fields.Text(copy=False)
    contact_name_enc = fields.Text(copy=False)
    contact_phone_enc = fields.Text(copy=False)
    # the counsellor's reply goes to the booker by e-mail only; kept for the counsellor
    decline_message = encrypted_field(fields.Text, "decline_message", compute=COMPUTE)
    decline_message_enc = fields.Text(copy=False)
    vault_locked = fields.Boolean(compute="_compute_vault_locked", string="Vault locked")

    def init(self):
        result = super().init()
        # plain columns of builds before the vault: encrypted for the counsellor, dropped
        encrypt_legacy_columns(self, self._encrypt_legacy_value)
        return result

    def _encrypt_legacy_value(self, record, fname, value):
        counsellor = record.sudo().counsellor_id.filtered(
            lambda user: user.has_group("vertrouwenspersoon.group_vp_counsellor")
        )
        readers = _with_vault(self.env, counsellor)
        return None if readers is None else record._vault_drop_for(readers, fname, value)

    def _has_vault_content(self):
        return any(self.sudo()[f"{fname}_enc"] for fname in self._vault_fields)

    @api.model
    def _book(self, profile, start, channel, booker, callback_phone=None, note=None, hourly=None):
        """A counsellor without a vault can be booked, but receives nothing in writing.

        The note and call-back number are refused with a message (the booker removes
        them and books again); for a booker without an account only the e-mail address
        is kept, so one is required.
        """
        vault = self.env["vp.vault"]._vault_of(profile.sudo().user_id)
        if not (vault and vault.public_key):
            if (note or "").strip() or (callback_phone or "").strip():
                raise UserError(
                    self.env._(
                        "This counsellor cannot receive a written note or phone number "
                        "securely yet. Leave those fields empty and tell them at the "
                        "appointment."
                    )
                )
            if not booker.get("user_id"):
                if not (booker.get("contact_email") or "").strip():
                    raise UserError(
                        self.env._(
                            "This counsellor can only be reached by e-mail for now: "
                            "please give an e-mail address."
                        )
                    )
                booker = {**booker, "contact_name": None, "contact_phone": None}
        return super()._book(profile, start, channel, booker, callback_phone, note, hourly)

    def write(self, vals):
        if "counsellor_id" in vals:
            moved = self.filtered(lambda a: a.counsellor_id.id != vals["counsellor_id"])
            if moved and moved._has_vault_content():
                raise UserError(
                    self.env._(
                        "This appointment holds content encrypted for its counsellor: it "
                        "cannot move to another counsellor. Ask the employee to book again."
                    )
                )
        return super().write(vals)

    # ------------------------------------------------------------------ replies

    def _booker_message(self):
        """The counsellor's reply in plain, for the e-mail sent now in their request."""
        self.ensure_one()
        message = self.decline_message
        if message and message in self._vault_placeholders():
            raise UserError(
                self.env._(
                    "Unlock your vault first: your message to the employee is stored "
                    "encrypted and goes out by e-mail."
                )
            )
        return message or ""

    def _reply(self, action):
        """Run the counsellor's ``action`` of the class below with their reply in plain."""
        result = True
        for appointment in self:
            message = appointment._booker_message()
            replying = appointment.with_context(vp_booker_message=message)
            result = getattr(super(VpAppointmentVault, replying), action)()
        return result

    def action_decline(self):
        return self._reply("action_decline")

    def action_propose(self):
        return self._reply("action_propose")


class VpAppointmentBookingCode(models.Model):
    """A short booking code a booker without an account can read out to the counsellor.

    Random (40 bits), not derived from the link's token: it names the booking on the
    phone and opens nothing.
    """

    _inherit = "vp.appointment"

    booking_code = fields.Char(
        string="Booking code",
        default=lambda self: new_booking_code(),
        copy=False,
        readonly=True,
        index=True,
        help="The code the booker sees on the confirmation page, to name the appointment "
        "on the phone.",
    )

    def init(self):
        result = super().init()
        # appointments of earlier builds get a code too
        self.env.cr.execute(
            "SELECT id FROM vp_appointment WHERE booking_code IS NULL OR booking_code = ''"
        )
        for (appointment_id,) in self.env.cr.fetchall():
            self.env.cr.execute(
                "UPDATE vp_appointment SET booking_code = %s WHERE id = %s",
                (new_booking_code(), appointment_id),
            )
        return result
