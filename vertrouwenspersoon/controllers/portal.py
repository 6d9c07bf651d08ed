"""Booking a confidential appointment: portal (/my/vertrouwenspersoon) and public flow.

Employees never get ORM access to vp.counsellor or vp.appointment: every read here is
sudo, restricted to a whitelist of profile fields and to the booker's own appointments
(by user, or by a constant-time-checked token for people without an account).
"""

import re

import psycopg2
from markupsafe import Markup

from odoo import _, fields, http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

from ..models.appointment import SHORT_MAX, SlotTakenError
from ..models.appointment_slots import parse_slot

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PORTAL = "/my/vertrouwenspersoon"
PUBLIC = "/vertrouwenspersoon/afspraak"


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
        return (
            request.env["vp.counsellor"]
            .sudo()
            .search([("active", "=", True), ("user_id.active", "=", True)])
        )

    def _vp_profile(self, profile_id):
        profile = request.env["vp.counsellor"].sudo().browse(profile_id).exists()
        if not profile or not profile.active or not profile.user_id.active:
            return None
        return profile

    def _vp_slot_options(self, days):
        """The <optgroup>/<option> list of free times, built in Python: a QWeb loop over
        some 400 options of six weeks costs more than rendering the rest of the page."""
        parts = []
        for label, slots in days:
            parts.append(Markup('<optgroup label="%s">') % label)
            parts.extend(
                Markup('<option value="%s">%s, %s</option>') % (value, label, time)
                for value, time in slots
            )
            parts.append(Markup("</optgroup>"))
        return Markup("").join(parts)

    def _vp_form_values(
        self, profile, base, public, error=None, post=None, exclude=None, slots=None
    ):
        if slots is None:
            slots = profile._free_slots(exclude=exclude)[profile.id]
        days = profile._slots_by_day(slots)
        return {
            "profile": profile._portal_profile(),
            "days": days,
            "slot_options": self._vp_slot_options(days),
            "action": f"{base}/book/{profile.id}",
            "public": public,
            "error": error,
            "post": post or {},
            "back": base,
            "short_max": SHORT_MAX,
            "page_name": "vertrouwenspersoon",
        }

    def _vp_manage_values(self, appointment, base, notice=None):
        appointment = appointment.sudo()
        return {
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
            "notice": notice,
            "page_name": "vertrouwenspersoon",
        }

    def _vp_book(self, profile, post, booker, base, public, done_url):
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
                    )
                )
            return request.redirect(done_url(appointment))
        except SlotTakenError as exc:
            error = exc.args[0]  # raised before anything was written: the cache is valid
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
                    appointment._move(start)
        except (UserError, ValidationError) as exc:
            error = exc.args[0]
        except psycopg2.IntegrityError:
            error = _("This time was just taken. Please choose one of the free times below.")
        request.env.invalidate_all()
        appointment = appointment.sudo()
        if error and action == "move":
            values = self._vp_form_values(
                appointment.profile_id, base, False, error=error, post=post, exclude=appointment
            )
            values.update(action=f"{base}/move", moving=True)
            return request.render("vertrouwenspersoon.vp_portal_book", values, status=409)
        if error:
            return request.render(
                "vertrouwenspersoon.vp_portal_appointment",
                self._vp_manage_values(appointment, base, notice=error),
                status=409,
            )
        return request.redirect(f"{base}?done={action}")

    def _vp_notice(self, done, appointment):
        if done == "booked" and not appointment.sudo()._booker_email():
            # a booker who gave only a phone number gets no e-mail: the page is all they have
            return _(
                "Thank you. Your appointment has been requested. You gave no e-mail address, "
                "so keep the link below: it is the only way to see, move or cancel it."
            )
        return {
            "booked": _(
                "Thank you. Your appointment has been requested; you will receive an e-mail."
            ),
            "cancel": _("Your appointment has been cancelled."),
            "move": _("Your appointment has been moved."),
            "accept": _("You accepted the proposed time."),
        }.get(done)

    # ------------------------------------------------------------ portal flow

    @http.route(PORTAL, type="http", auth="user", website=True, methods=["GET"])
    def vp_portal_home(self, **kw):
        appointments = (
            request.env["vp.appointment"]
            .sudo()
            .search([("user_id", "=", request.env.user.id)], order="start desc", limit=50)
        )
        return self._vp_home(PORTAL, appointments)

    def _vp_home(self, base, appointments):
        return request.render(
            "vertrouwenspersoon.vp_portal_home",
            {
                "profiles": [p._portal_profile() for p in self._vp_profiles()],
                "appointments": appointments,
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
        return profile, None

    @http.route(
        f"{PORTAL}/book/<int:profile_id>",
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
        csrf=False,
    )
    def vp_portal_book(self, profile_id, **post):
        profile, response = self._vp_book_start(profile_id, PORTAL, post)
        if response:
            return response
        user = request.env.user
        return self._vp_book(
            profile,
            post,
            {"user_id": user.id, "partner_id": user.partner_id.id},
            PORTAL,
            False,
            lambda appointment: f"{PORTAL}/{appointment.id}?done=booked",
        )

    def _vp_unknown_counsellor(self, back):
        return self._vp_message(
            _("Counsellor not available"),
            _("This counsellor cannot be booked (any more). Please choose another one."),
            status=404,
            back=back,
        )

    def _vp_portal_appointment(self, appointment_id):
        appointment = request.env["vp.appointment"].sudo().browse(appointment_id).exists()
        if not appointment or appointment.user_id != request.env.user:
            return None
        return appointment

    def _vp_not_found(self, back):
        return self._vp_message(
            _("Appointment not found"),
            _("This appointment does not exist, or the link is not valid (any more)."),
            status=404,
            back=back,
        )

    @http.route(
        f"{PORTAL}/<int:appointment_id>", type="http", auth="user", website=True, methods=["GET"]
    )
    def vp_portal_appointment(self, appointment_id, done=None, **kw):
        appointment = self._vp_portal_appointment(appointment_id)
        return self._vp_show(appointment, f"{PORTAL}/{appointment_id}", PORTAL, done)

    def _vp_show(self, appointment, base, back, done):
        if not appointment:
            return self._vp_not_found(back)
        return request.render(
            "vertrouwenspersoon.vp_portal_appointment",
            self._vp_manage_values(appointment, base, notice=self._vp_notice(done, appointment)),
        )

    @http.route(
        f"{PORTAL}/<int:appointment_id>/<string:action>",
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
        csrf=False,
    )
    def vp_portal_change(self, appointment_id, action, **post):
        appointment = self._vp_portal_appointment(appointment_id)
        base = f"{PORTAL}/{appointment_id}"
        return self._vp_change_request(appointment, action, post, base, PORTAL)

    def _vp_change_request(self, appointment, action, post, base, back):
        if not appointment or action not in ("cancel", "move", "accept"):
            return self._vp_not_found(back)
        if request.httprequest.method == "GET":
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
            values = self._vp_form_values(appointment.profile_id, base, False, exclude=appointment)
            values.update(action=f"{base}/move", moving=True)
            return request.render("vertrouwenspersoon.vp_portal_book", values)
        if not request.validate_csrf(post.get("csrf_token")):
            return self._vp_bad_csrf(base)
        return self._vp_change(appointment, post, base, action)

    # ------------------------------------------------------------ public flow

    @http.route(PUBLIC, type="http", auth="public", website=True, methods=["GET"])
    def vp_public_home(self, **kw):
        return self._vp_home(PUBLIC, request.env["vp.appointment"])

    @http.route(
        f"{PUBLIC}/book/<int:profile_id>",
        type="http",
        auth="public",
        website=True,
        methods=["GET", "POST"],
        csrf=False,
    )
    def vp_public_book(self, profile_id, **post):
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
            error = _(
                "Too many requests from this address. Please try again in an hour, "
                "or phone the counsellor."
            )
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
            lambda appointment: f"{PUBLIC}/{appointment.id}/{appointment.access_token}?done=booked",
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

    def _vp_token_appointment(self, appointment_id, token):
        appointment = request.env["vp.appointment"].sudo().browse(appointment_id).exists()
        if not appointment or appointment.user_id or not appointment._check_token(token):
            return None
        return appointment

    @http.route(
        f"{PUBLIC}/<int:appointment_id>/<string:token>",
        type="http",
        auth="public",
        website=True,
        methods=["GET"],
    )
    def vp_public_appointment(self, appointment_id, token, done=None, **kw):
        appointment = self._vp_token_appointment(appointment_id, token)
        return self._vp_show(appointment, f"{PUBLIC}/{appointment_id}/{token}", PUBLIC, done)

    @http.route(
        f"{PUBLIC}/<int:appointment_id>/<string:token>/<string:action>",
        type="http",
        auth="public",
        website=True,
        methods=["GET", "POST"],
        csrf=False,
    )
    def vp_public_change(self, appointment_id, token, action, **post):
        appointment = self._vp_token_appointment(appointment_id, token)
        base = f"{PUBLIC}/{appointment_id}/{token}"
        return self._vp_change_request(appointment, action, post, base, PUBLIC)

    @http.route(
        "/vertrouwenspersoon/photo/<int:profile_id>",
        type="http",
        auth="public",
        website=True,
        methods=["GET"],
    )
    def vp_photo(self, profile_id, **kw):
        profile = self._vp_profile(profile_id)
        if not profile or not profile.image_256:
            raise request.not_found()
        stream = request.env["ir.binary"]._get_image_stream_from(profile, "image_256")
        return stream.get_response(max_age=3600)
