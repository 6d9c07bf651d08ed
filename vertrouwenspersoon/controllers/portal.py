# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Booking a confidential appointment: portal (/my/vertrouwenspersoon) and public flow.

Employees never get ORM access to vp.counsellor or vp.appointment: every read here is
sudo, restricted to a whitelist of profile fields and to the booker's own appointments
(by user, or by a constant-time-checked token for people without an account), all through
one gate: portal's _document_check_access, overridden for vp.appointment below.
"""

import re
import time

import psycopg2

from odoo import _, fields, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

from ..models.booking.vp_appointment import CONTROL_RE, SHORT_MAX, BookingRateError, SlotTakenError
from ..models.booking.vp_booking_attempt import PORTAL_LIMIT
from ..tools.booking_slots import parse_slot
from .slot_picker import slot_weeks

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PORTAL = "/my/vertrouwenspersoon"
PUBLIC = "/vertrouwenspersoon/afspraak"
# the token-free page of a public booking, opened with the session grant of a link
MANAGE = f"{PUBLIC}/manage"
CONFIRM = "/confirm-email"  # neutral: the mail may reach someone who booked nothing
# links in e-mails say "appointment", not "confidential counsellor", to whoever reads
# a mail waiting in the queue
MAIL_LINK = "/afspraak"
GRANT_SECONDS = 3600
# where the booker's page at a place sends back to
HOME = {PORTAL: PORTAL, MANAGE: PUBLIC}


def page_route(url, auth):
    """A page: GET only, HTML on the website, Odoo's own CSRF rules (none for GET)."""
    return http.route(url, type="http", auth=auth, website=True, methods=["GET"])


def form_route(url, auth):
    """A page with a form: GET shows it, POST sends it.

    CSRF protection is NOT switched off for these routes, it is moved: Odoo's dispatcher
    does not check it (csrf=False) because its refusal is a bare "400 Bad Request" page
    with no way back, and the handler checks it instead, before it reads anything else of
    the POST (request.validate_csrf in _vp_book_start and _vp_post_refused), answering
    with a page that says what happened ("Page expired"). Every route made with this
    says where its check is. Every other route keeps Odoo's default (csrf=True).
    """
    return http.route(
        url, type="http", auth=auth, website=True, methods=["GET", "POST"], csrf=False
    )


class VpAppointmentPortal(CustomerPortal):
    # ----------------------------------------------------------------- helpers

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "vp_appointment_count" in counters:
            values["vp_appointment_count"] = (
                request.env["vp.appointment"]
                .sudo()
                .search_count(
                    [
                        ("user_id", "=", request.env.user.id),
                        ("state", "in", ("requested", "confirmed")),
                    ]
                )
            )
        return values

    def _vp_message(self, title, message, status=400, back=None):
        return request.render(
            "vertrouwenspersoon.vp_portal_message",
            {"title": title, "message": message, "back": back, "page_name": "vertrouwenspersoon"},
            status=status,
        )

    def _vp_bad_csrf(self, back):
        return self._vp_message(
            _("Page expired"),
            _(
                "This form has expired or was not sent from this site. Nothing was saved. "
                "Please go back, reload the page and try again."
            ),
            status=400,
            back=back,
        )

    def _vp_profiles(self):
        profiles = request.env["vp.counsellor"].sudo()
        return profiles.search(profiles._bookable_domain())

    def _vp_profile(self, profile_id):
        profile = request.env["vp.counsellor"].sudo().browse(profile_id).exists()
        if not profile or not profile._is_bookable():
            return None
        return profile

    def _vp_form_values(
        self, profile, base, public, error=None, post=None, exclude=None, slots=None
    ):
        post = post or {}
        if slots is None:
            slots = profile._free_slots(exclude=exclude)[profile.id]
        action = f"{base}/book/{profile.id}"
        return {
            "profile": profile._portal_profile(),
            # one week of free times (see slot_picker); ?week=N pages through them
            "picker": slot_weeks(
                profile, slots, week=request.params.get("week"), chosen=post.get("start")
            ),
            "action": action,
            "week_url": action,
            "current_channel_key": None,
            "public": public,
            "error": error,
            "post": post,
            "back": base,
            "short_max": SHORT_MAX,
            "page_name": "vertrouwenspersoon",
        }

    def _vp_manage_values(self, appointment, base, notice=None, keep_link=None):
        appointment = appointment.sudo()
        return {
            "keep_link": keep_link,
            "appointment": appointment,
            "profile": appointment.profile_id._portal_profile(),
            "when": appointment._local_label(),
            "proposed": appointment._local_label(appointment.proposed_start)
            if appointment.proposed_start
            else "",
            "state_label": dict(appointment._fields["state"]._description_selection(request.env))[
                appointment.state
            ],
            "channel_label": dict(
                appointment._fields["channel"]._description_selection(request.env)
            )[appointment.channel],
            "changeable": appointment._is_changeable(),
            "base": base,
            "home": PORTAL if appointment.user_id else PUBLIC,
            "notice": notice,
            "page_name": "vertrouwenspersoon",
        }

    def _vp_book(self, profile, post, booker, base, public, done_url, hourly=None):
        """Validate and book; the response: to ``done_url(appointment)``, or the form again."""
        start = parse_slot(post.get("start"))
        channel = post.get("channel")
        if start and start > fields.Datetime.now() and channel in profile._channels():
            # Most refusals are a time taken since the form was shown: answer them with
            # the fresh list at once. _book() checks again, under the slot lock.
            slots = profile._free_slots()[profile.id]
            if start not in slots:
                error = SlotTakenError.default_message(request.env)
                values = self._vp_form_values(profile, base, public, error, post, slots=slots)
                return request.render("vertrouwenspersoon.vp_portal_book", values, status=409)
        try:
            with request.env.cr.savepoint():
                appointment = (
                    request.env["vp.appointment"]
                    .sudo()
                    ._book(
                        profile,
                        start,
                        channel,
                        booker,
                        callback_phone=post.get("callback_phone"),
                        note=post.get("note"),
                        hourly=hourly,
                    )
                )
            return request.redirect(done_url(appointment))
        except SlotTakenError as exc:
            error = exc.args[0]  # raised before anything was written: the cache is valid
        except BookingRateError as exc:
            request.env.invalidate_all()
            values = self._vp_form_values(profile, base, public, exc.args[0], post)
            return request.render("vertrouwenspersoon.vp_portal_book", values, status=429)
        except (UserError, ValidationError) as exc:
            error = exc.args[0]
            request.env.invalidate_all()
        except psycopg2.IntegrityError:
            error = _("This time was just taken. Please choose one of the free times below.")
            request.env.invalidate_all()
        values = self._vp_form_values(profile, base, public, error=error, post=post)
        return request.render("vertrouwenspersoon.vp_portal_book", values, status=409)

    def _vp_change(self, appointment, post, base, action):
        """Cancel, move or accept a proposal; returns a response."""
        error = None
        try:
            with request.env.cr.savepoint():
                if action == "cancel":
                    appointment._cancel_by_booker()
                elif action == "accept":
                    appointment._accept_proposal()
                else:
                    start = parse_slot(post.get("start"))
                    appointment._move(start, channel=post.get("channel"))
        except (UserError, ValidationError) as exc:
            error = exc.args[0]
        except psycopg2.IntegrityError:
            error = _("This time was just taken. Please choose one of the free times below.")
        request.env.invalidate_all()
        appointment = appointment.sudo()
        if error and action == "move":
            values = self._vp_move_values(appointment, base, error=error, post=post)
            return request.render("vertrouwenspersoon.vp_portal_book", values, status=409)
        if error:
            return request.render(
                "vertrouwenspersoon.vp_portal_appointment",
                self._vp_manage_values(appointment, base, notice=error),
                status=409,
            )
        return request.redirect(f"{base}?done={action}")

    def _vp_move_values(self, appointment, base, error=None, post=None):
        """The booking form to move ``appointment``: its current time and channel shown,
        the channel changeable."""
        appointment = appointment.sudo()
        values = self._vp_form_values(
            appointment.profile_id, base, False, error=error, post=post, exclude=appointment
        )
        channels = dict(appointment._fields["channel"]._description_selection(request.env))
        values.update(
            action=f"{base}/move",
            week_url=f"{base}/move",
            moving=True,
            current_when=appointment._local_label(),
            current_channel=channels[appointment.channel],
            current_channel_key=appointment.channel,
        )
        return values

    def _vp_notice(self, done, appointment):
        return {
            "booked": _(
                "Thank you. Your appointment has been requested; you will receive an e-mail."
            ),
            "cancel": _("Your appointment has been cancelled."),
            "move": _("Your appointment has been moved."),
            "accept": _("You accepted the proposed time."),
            "confirmed": _(
                "Thank you, your e-mail address is confirmed. You will receive the e-mails "
                "about this appointment."
            ),
        }.get(done)

    # ------------------------------------------------------------------ access

    def _document_check_access(self, model_name, document_id, access_token=None):
        """The portal's one gate, for the booker's pages too (portal, token and grant).

        portal's own check lets in whoever may read the record through the ORM, else
        a token equal to the stored one. For vp.appointment neither fits: the booker has
        no ORM access at all, and the one user who has (the appointment's counsellor)
        is not the booker, while these pages act as the booker (cancel, move); and no
        token is stored. So an appointment opens for:
        - an account's booking: that account, logged in (never a token or a grant);
        - a public booking, until it starts: a mailed token (``access_token``), checked
          in constant time against the stored digests, or else the session grant it was
          exchanged for.
        Anything else raises AccessError (MissingError for an unknown id), as portal's.
        """
        if model_name != "vp.appointment":
            return super()._document_check_access(model_name, document_id, access_token)
        appointment = request.env[model_name].sudo().browse(document_id).exists()
        if not appointment:
            raise MissingError(_("This appointment does not exist."))
        user = request.env.user
        if appointment.user_id:
            allowed = appointment.user_id == user and not user._is_public()
        elif access_token:
            allowed = appointment._check_token(access_token)
        else:
            allowed = self._vp_has_grant("vp_manage", document_id) and (
                appointment._is_manageable_publicly()
            )
        if not allowed:
            raise AccessError(_("This link is not valid (any more)."))
        return appointment

    def _vp_appointment(self, appointment_id, access_token=None):
        """The booker's appointment (sudo), or None: see _document_check_access."""
        try:
            return self._document_check_access("vp.appointment", appointment_id, access_token)
        except (AccessError, MissingError):
            return None

    @staticmethod
    def _vp_grant(kind, appointment_id):
        """Let this browser open ``appointment_id`` for a while without a token.

        The grant lives in the server-side session (its cookie is HttpOnly) and expires
        after GRANT_SECONDS; a token is only ever seen once, by the request that
        exchanges it, so it does not stay in access logs or browser history.
        """
        now = time.time()
        grants = {
            key: until for key, until in (request.session.get(kind) or {}).items() if until > now
        }
        grants[str(appointment_id)] = now + GRANT_SECONDS
        request.session[kind] = grants  # a new dict: the session is saved

    @staticmethod
    def _vp_has_grant(kind, appointment_id):
        return (request.session.get(kind) or {}).get(str(appointment_id), 0) > time.time()

    def _vp_grant_and_manage_url(self, appointment, done="booked"):
        """The page of ``appointment`` at a URL without a token, opened by a grant."""
        self._vp_grant("vp_manage", appointment.id)
        return f"{MANAGE}/{appointment.id}" + (f"?done={done}" if done else "")

    def _vp_exchange(self, appointment_id, token, done=None):
        """A link with a token: exchanged at once for a grant and a URL without it."""
        appointment = self._vp_appointment(appointment_id, token)
        if not appointment:
            return self._vp_not_found(PUBLIC)
        done = done if self._vp_notice(done, appointment) else ""
        if appointment.user_id:  # its owner, logged in: the portal page
            url = f"{PORTAL}/{appointment.id}" + (f"?done={done}" if done else "")
        else:
            url = self._vp_grant_and_manage_url(appointment, done)
        return request.redirect(url, code=303)

    def _vp_post_refused(self, post, back):
        """The checks of every form sent here, first thing: the response refusing the
        POST, or None. The CSRF check is this one (see form_route)."""
        if not request.validate_csrf(post.get("csrf_token")):
            return self._vp_bad_csrf(back)
        if self._vp_has_control_chars(post):
            return self._vp_message(_("Not saved"), self._vp_control_message(), 400, back)
        return None

    # ------------------------------------------------------------- the pages

    @page_route(PORTAL, "user")
    def vp_portal_home(self, **kw):
        appointments = (
            request.env["vp.appointment"]
            .sudo()
            .search([("user_id", "=", request.env.user.id)], order="start desc", limit=50)
        )
        return self._vp_home(PORTAL, appointments)

    def _vp_home(self, base, appointments):
        now = fields.Datetime.now()
        upcoming = appointments.filtered(
            lambda a: a.state in ("requested", "confirmed") and a.stop > now
        ).sorted("start")
        return request.render(
            "vertrouwenspersoon.vp_portal_home",
            {
                "profiles": [p._portal_profile() for p in self._vp_profiles()],
                "appointments": appointments,
                "upcoming": upcoming,
                "earlier": appointments - upcoming,
                "book_base": base,
                "public": base == PUBLIC,
                "page_name": "vertrouwenspersoon",
            },
        )

    def _vp_book_start(self, profile_id, base, post):
        """Shared start of the booking page: (profile, response to return or None)."""
        profile = self._vp_profile(profile_id)
        if not profile:
            return None, self._vp_unknown_counsellor(base)
        if request.httprequest.method == "GET":
            values = self._vp_form_values(profile, base, base == PUBLIC)
            return profile, request.render("vertrouwenspersoon.vp_portal_book", values)
        if not request.validate_csrf(post.get("csrf_token")):
            return profile, self._vp_bad_csrf(f"{base}/book/{profile_id}")
        if self._vp_has_control_chars(post):
            values = self._vp_form_values(
                profile, base, base == PUBLIC, self._vp_control_message(), self._vp_clean(post)
            )
            return profile, request.render("vertrouwenspersoon.vp_portal_book", values, status=400)
        return profile, None

    @staticmethod
    def _vp_has_control_chars(post):
        return any(CONTROL_RE.search(value) for value in post.values() if isinstance(value, str))

    @staticmethod
    def _vp_clean(post):
        """The posted values without control characters, to show in the form again."""
        return {
            key: CONTROL_RE.sub("", value) if isinstance(value, str) else value
            for key, value in post.items()
        }

    def _vp_control_message(self):
        return _(
            "Some of what you typed contains invisible control characters (for example "
            "from copying and pasting). Nothing was saved. Please check the fields and "
            "send the form again."
        )

    # CSRF: checked in _vp_book_start (see form_route)
    @form_route(f"{PORTAL}/book/<int:profile_id>", "user")
    def vp_portal_book(self, profile_id, **post):
        profile, response = self._vp_book_start(profile_id, PORTAL, post)
        if response:
            return response
        user = request.env.user
        # an account answers for its bookings: only bookings made count towards its
        # hourly limit, checked and recorded with the booking (atomic per booker)
        return self._vp_book(
            profile,
            post,
            {"user_id": user.id, "partner_id": user.partner_id.id},
            PORTAL,
            False,
            lambda appointment: f"{PORTAL}/{appointment.id}?done=booked",
            hourly=PORTAL_LIMIT,
        )

    def _vp_too_many(self):
        return BookingRateError.default_message(request.env)

    def _vp_unknown_counsellor(self, back):
        return self._vp_message(
            _("Counsellor not available"),
            _("This counsellor cannot be booked (any more). Please choose another one."),
            status=404,
            back=back,
        )

    def _vp_not_found(self, back):
        return self._vp_message(
            _("Appointment not found"),
            _("This appointment does not exist, or the link is not valid (any more)."),
            status=404,
            back=back,
        )

    @page_route(f"/my{MAIL_LINK}/<int:appointment_id>", "user")
    def vp_portal_mail_link(self, appointment_id, **kw):
        return request.redirect(f"{PORTAL}/{appointment_id}")

    # The booker's page and its forms, at two places: PORTAL/<id> for an account (login
    # required) and MANAGE/<id> for a public booking (a session grant); one gate for
    # both (_document_check_access). ``access_token`` in the query (portal.mixin's
    # get_portal_url) is exchanged like the token of a mailed link.

    @page_route(f"{PORTAL}/<int:appointment_id>", "user")
    def vp_portal_appointment(self, appointment_id, done=None, access_token=None, **kw):
        return self._vp_page(appointment_id, PORTAL, done, access_token)

    @page_route(f"{MANAGE}/<int:appointment_id>", "public")
    def vp_public_manage(self, appointment_id, done=None, access_token=None, **kw):
        return self._vp_page(appointment_id, MANAGE, done, access_token)

    # CSRF: checked in _vp_change_request (see form_route), as for the next two
    @form_route(f"{PORTAL}/<int:appointment_id>/<string:action>", "user")
    def vp_portal_change(self, appointment_id, action, **post):
        return self._vp_change_request(appointment_id, None, action, post, PORTAL)

    # CSRF: checked in _vp_change_request (see form_route)
    @form_route(f"{MANAGE}/<int:appointment_id>/<string:action>", "public")
    def vp_public_manage_change(self, appointment_id, action, **post):
        return self._vp_change_request(appointment_id, None, action, post, MANAGE)

    def _vp_page(self, appointment_id, place, done, access_token):
        if access_token:
            return self._vp_exchange(appointment_id, access_token, done)
        appointment = self._vp_appointment(appointment_id)
        back = HOME[place]
        if not appointment:
            return self._vp_not_found(back)
        notice = self._vp_notice(done, appointment)
        if done == "booked" and appointment.email_state == "pending":
            notice = _(
                "Thank you. Your appointment has been requested. We sent you an e-mail to "
                "confirm your e-mail address: e-mails about this appointment follow only "
                "after you confirmed it."
            )
        elif done == "booked" and appointment.email_state == "none":
            # a booker who gave only a phone number gets no e-mail: the page is all they have
            notice = _(
                "Thank you. Your appointment has been requested. The counsellor will phone "
                "you to confirm it. You gave no e-mail address, so keep the link below: it is "
                "the only way to see, move or cancel it."
            )
        keep_link = None
        if done == "booked" and not appointment.user_id:
            # the address bar holds no token (it was exchanged for a session grant): the
            # booker gets a link of their own to keep, shown on this page only
            keep_link = appointment._manage_url()
        return request.render(
            "vertrouwenspersoon.vp_portal_appointment",
            self._vp_manage_values(
                appointment, f"{place}/{appointment_id}", notice=notice, keep_link=keep_link
            ),
        )

    def _vp_change_request(self, appointment_id, token, action, post, place):
        """A form of the booker's page (cancel, move, accept), at ``place``/<id>; with a
        ``token``, the form of a page from before the token-free URL existed."""
        appointment = self._vp_appointment(appointment_id, token)
        back = HOME[place]
        if token and appointment and not appointment.user_id:
            self._vp_grant("vp_manage", appointment.id)
        if not appointment or action not in ("cancel", "move", "accept"):
            return self._vp_not_found(back)
        base = f"{MANAGE if token else place}/{appointment_id}"
        if request.httprequest.method == "GET":
            if action == "cancel" and appointment._is_changeable():
                # cancelling asks once, on a page of its own
                return request.render(
                    "vertrouwenspersoon.vp_portal_cancel", self._vp_manage_values(appointment, base)
                )
            if action != "move":
                return request.redirect(base)
            if not appointment._is_changeable():
                return request.render(
                    "vertrouwenspersoon.vp_portal_appointment",
                    self._vp_manage_values(
                        appointment, base, notice=_("This appointment can no longer be changed.")
                    ),
                    status=409,
                )
            values = self._vp_move_values(appointment, base)
            return request.render("vertrouwenspersoon.vp_portal_book", values)
        return self._vp_post_refused(post, base) or self._vp_change(appointment, post, base, action)

    # ------------------------------------------------------------ public flow

    def _vp_public_closed(self):
        """The public free-time list can be switched off (see docs/booking.md, side
        channel): then only people with an account see free times."""
        if request.env["vp.settings"]._vp_value("vp_public_booking") != "0":
            return None
        return self._vp_message(
            _("Booking without an account is not available"),
            _("Please log in to book an appointment, or phone or e-mail the counsellor."),
            status=404,
        )

    @page_route(PUBLIC, "public")
    def vp_public_home(self, **kw):
        return self._vp_public_closed() or self._vp_home(PUBLIC, request.env["vp.appointment"])

    # CSRF: checked in _vp_book_start (see form_route)
    @form_route(f"{PUBLIC}/book/<int:profile_id>", "public")
    def vp_public_book(self, profile_id, **post):
        closed = self._vp_public_closed()
        if closed:
            return closed
        profile, response = self._vp_book_start(profile_id, PUBLIC, post)
        if response:
            return response
        if post.get("website"):  # honeypot: invisible to people, filled in by bots
            return self._vp_message(
                _("Request not accepted"), _("Your request could not be accepted."), 400, PUBLIC
            )
        error = self._vp_public_contact_error(post)
        if not error and not request.env["vp.booking.attempt"]._record_attempt(
            ip=request.httprequest.remote_addr, email=(post.get("contact_email") or "").strip()
        ):
            error = self._vp_too_many()
            status = 429
        else:
            status = 400
        if error:
            values = self._vp_form_values(profile, PUBLIC, True, error=error, post=post)
            return request.render("vertrouwenspersoon.vp_portal_book", values, status=status)
        booker = {
            "contact_name": post.get("contact_name"),
            "contact_email": post.get("contact_email") or "",
            "contact_phone": post.get("contact_phone") or "",
        }
        return self._vp_book(
            profile,
            post,
            booker,
            PUBLIC,
            True,
            self._vp_grant_and_manage_url,
        )

    def _vp_public_contact_error(self, post):
        name = (post.get("contact_name") or "").strip()
        email = (post.get("contact_email") or "").strip()
        phone = (post.get("contact_phone") or "").strip()
        if not name:
            return _("Please fill in your name (a first name is enough).")
        if not email and not phone:
            return _("Please give an e-mail address or a phone number so we can reach you.")
        if email and not EMAIL_RE.match(email):
            return _("This e-mail address does not look right.")
        return None

    @page_route(
        [
            f"{PUBLIC}/<int:appointment_id>/<string:token>",
            f"{MAIL_LINK}/<int:appointment_id>/<string:token>",
        ],
        "public",
    )
    def vp_public_appointment(self, appointment_id, token, done=None, **kw):
        """The link of an e-mail: exchanged at once for a grant and a URL without token."""
        return self._vp_exchange(appointment_id, token, done)

    # CSRF: checked in _vp_change_request (see form_route)
    @form_route(f"{PUBLIC}/<int:appointment_id>/<string:token>/<string:action>", "public")
    def vp_public_change(self, appointment_id, token, action, **post):
        """Forms and links of pages shown before the token-free URL existed."""
        return self._vp_change_request(appointment_id, token, action, post, MANAGE)

    # ------------------------------------------------- confirming an e-mail address

    @page_route(f"{CONFIRM}/<int:appointment_id>/<string:token>", "public")
    def vp_confirm_email_link(self, appointment_id, token, **kw):
        """The link of the confirmation mail, exchanged for a grant (no token in logs).

        Confirming takes a click (POST): mail scanners that open links do not confirm.
        """
        appointment = request.env["vp.appointment"].sudo().browse(appointment_id).exists()
        if not appointment or not appointment._check_confirm_token(token):
            return self._vp_confirm_page(None, status=404)
        self._vp_grant("vp_confirm", appointment.id)
        return request.redirect(f"{CONFIRM}/{appointment.id}", code=303)

    # CSRF: checked in _vp_post_refused (see form_route)
    @form_route(f"{CONFIRM}/<int:appointment_id>", "public")
    def vp_confirm_email(self, appointment_id, **post):
        appointment = request.env["vp.appointment"].sudo().browse(appointment_id).exists()
        if not self._vp_has_grant("vp_confirm", appointment_id) or not appointment:
            return self._vp_confirm_page(None, status=404)
        if request.httprequest.method == "GET":
            return self._vp_confirm_page(appointment_id)
        refused = self._vp_post_refused(post, f"{CONFIRM}/{appointment_id}")
        if refused:
            return refused
        if not appointment._confirm_email():
            return self._vp_confirm_page(None, status=404)
        grants = dict(request.session.get("vp_confirm") or {})
        grants.pop(str(appointment_id), None)
        request.session["vp_confirm"] = grants
        if not appointment._is_manageable_publicly():
            return self._vp_message(
                _("E-mail address confirmed"),
                _("Thank you, your e-mail address is confirmed."),
                status=200,
            )
        return request.redirect(self._vp_grant_and_manage_url(appointment, "confirmed"))

    def _vp_confirm_page(self, appointment_id, status=200):
        return request.render(
            "vertrouwenspersoon.vp_confirm_email",
            {"action": appointment_id and f"{CONFIRM}/{appointment_id}"},
            status=status,
        )

    @page_route("/vertrouwenspersoon/photo/<int:profile_id>", "public")
    def vp_photo(self, profile_id, **kw):
        profile = self._vp_profile(profile_id)
        if not profile or not profile.image_256:
            raise request.not_found()
        stream = request.env["ir.binary"]._get_image_stream_from(profile, "image_256")
        return stream.get_response(max_age=3600)
