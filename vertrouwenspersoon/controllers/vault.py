# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The vault page: set up, unlock, lock, change passphrase, recover.

Passphrases only travel in POST bodies of these pages; they are never stored in
a (transient) record, which would write them to the database.
"""

import re
from urllib.parse import unquote, urlsplit

from odoo import http
from odoo.http import request
from odoo.tools import format_datetime

from odoo.addons.web.controllers.session import Session

from ..models.vault.security_log_text import user_tz
from ..models.vault.vp_vault import COOKIE_NAME, VaultError, VaultReview
from .file_page import render_page
from .vault_texts import vault_texts

VAULT_URL = "/vertrouwenspersoon/vault"
HOME_URL = "/odoo"

_LOCAL_PATH = re.compile(r"^/[A-Za-z0-9\-._~!$&'()*+,;=:@%/?#]*$")


def _safe_redirect(url):
    """A path on this site, or the home page: whatever characters ``url`` holds
    (control characters, tabs or backslashes that browsers drop or turn into ``/``,
    encoded slashes), it never leads to another site."""
    if not isinstance(url, str) or not _LOCAL_PATH.match(url):
        return HOME_URL
    decoded = unquote(url)
    for candidate in (url, decoded):
        parts = urlsplit(candidate)
        if (
            parts.scheme
            or parts.netloc
            or candidate.startswith(("//", "/\\"))
            or "\\" in candidate
            or any(ord(c) < 32 or ord(c) == 127 for c in candidate)
        ):
            return HOME_URL
    return url


def _set_cookie(response, value):
    # HttpOnly: no script can read it; SameSite=Strict: never sent by another
    # site; Secure whenever the request came over https (production must use https).
    response.set_cookie(
        COOKIE_NAME,
        value,
        expires=None,  # a browser-session cookie, never written to the browser's disk
        path="/",
        secure=request.httprequest.scheme == "https",
        httponly=True,
        samesite="Strict",
    )


def _expire_cookie(response):
    response.set_cookie(
        COOKIE_NAME,
        "",
        max_age=0,
        expires=0,
        path="/",
        secure=request.httprequest.scheme == "https",
        httponly=True,
        samesite="Strict",
    )


class VaultController(http.Controller):
    def _render(self, **values):
        env = request.env
        vault_model = env["vp.vault"]
        vault = vault_model._vault_of()
        values.setdefault("redirect", _safe_redirect(request.params.get("redirect")))
        if "unlocked" not in values:
            values["unlocked"] = bool(vault) and vault_model.is_vault_unlocked()
        values.update(
            vault=bool(vault),
            fingerprint=vault.fingerprint if vault else "",
            recovery_confirmed=bool(vault and vault.recovery_confirmed),
            is_counsellor=env.user.has_group("vertrouwenspersoon.group_vp_counsellor"),
            idle_minutes=int(vault_model._idle_seconds() // 60),
            t=vault_texts(env),
            lang=(env.lang or "en_US").split("_")[0],
            company=env.company.name,
            back_url=HOME_URL,
            csrf_token=request.csrf_token(),
        )
        for key in ("error", "message", "recovery_code", "review", "digest", "show_recover"):
            values.setdefault(key, None)
        tz = user_tz(env)  # not UTC for a user without a time zone of their own
        values["events"] = [
            dict(event, date=format_datetime(env, event["date"], tz=tz))
            for event in values.get("events") or []
        ]
        if values["review"]:
            values["review"] = [
                dict(alert, date=alert["date"] and format_datetime(env, alert["date"], tz=tz))
                for alert in values["review"]
            ]
        # rendered from a file: views/vault_page.html
        return render_page("vault_page.html", values)

    @http.route(VAULT_URL, type="http", auth="user", methods=["GET"], sitemap=False)
    def vault_page(self, **kw):
        return self._render()

    @http.route(f"{VAULT_URL}/setup", type="http", auth="user", methods=["POST"], sitemap=False)
    def vault_setup(self, passphrase="", confirm="", **kw):
        try:
            code, private = request.env["vp.vault"]._do_setup(passphrase, confirm)
        except VaultError as exc:
            return self._render(error=str(exc.args[0]))
        vault = request.env["vp.vault"]._vault_of()
        response = self._render(recovery_code=code, unlocked=True)
        _set_cookie(response, request.env["vp.vault"]._store_in_session(request, private))
        vault._after_unlock()
        return response

    @http.route(f"{VAULT_URL}/unlock", type="http", auth="user", methods=["POST"], sitemap=False)
    def vault_unlock(self, passphrase="", redirect=None, acknowledge=None, confirmed=None, **kw):
        try:
            cookie, events = request.env["vp.vault"]._do_unlock_session(
                request, passphrase, acknowledge=acknowledge if confirmed else None
            )
        except VaultReview as exc:
            return self._render(
                error=str(exc.args[0]),
                review=exc.alerts,
                digest=exc.digest,
                redirect=_safe_redirect(redirect),
            )
        except VaultError as exc:
            # no exception raised: the failure counter (throttling) is committed
            return self._render(error=str(exc.args[0]))
        target = _safe_redirect(redirect)
        if events:
            response = self._render(events=events, redirect=target, unlocked=True)
        else:
            response = request.redirect(target, local=True)
        _set_cookie(response, cookie)
        return response

    @http.route(f"{VAULT_URL}/lock", type="http", auth="user", methods=["POST"], sitemap=False)
    def vault_lock(self, redirect=None, **kw):
        request.env["vp.vault"].lock()
        response = request.redirect(VAULT_URL, local=True)
        _expire_cookie(response)
        return response

    @http.route(
        f"{VAULT_URL}/passphrase", type="http", auth="user", methods=["POST"], sitemap=False
    )
    def vault_change_passphrase(self, old="", passphrase="", confirm="", **kw):
        try:
            private = request.env["vp.vault"]._do_change_passphrase(old, passphrase, confirm)
        except VaultError as exc:
            return self._render(error=str(exc.args[0]))
        response = self._render(
            message=request.env._("Your vault passphrase was changed."), unlocked=True
        )
        _set_cookie(response, request.env["vp.vault"]._store_in_session(request, private))
        return response

    @http.route(f"{VAULT_URL}/recover", type="http", auth="user", methods=["POST"], sitemap=False)
    def vault_recover(self, recovery_code="", passphrase="", confirm="", **kw):
        try:
            private, code = request.env["vp.vault"]._do_recover(recovery_code, passphrase, confirm)
        except VaultError as exc:
            return self._render(error=str(exc.args[0]), show_recover=True)
        response = self._render(recovery_code=code, unlocked=True)
        _set_cookie(response, request.env["vp.vault"]._store_in_session(request, private))
        return response

    @http.route(
        f"{VAULT_URL}/recovery-saved", type="http", auth="user", methods=["POST"], sitemap=False
    )
    def vault_recovery_saved(self, saved=None, **kw):
        vault = request.env["vp.vault"]._vault_of()
        if not saved:
            return self._render(
                error=request.env._("Tick the box once you have stored the recovery code.")
            )
        if vault:
            vault.sudo().recovery_confirmed = True
        return request.redirect(VAULT_URL, local=True)

    @http.route(
        f"{VAULT_URL}/new-recovery-code",
        type="http",
        auth="user",
        methods=["POST"],
        sitemap=False,
    )
    def vault_new_recovery_code(self, **kw):
        try:
            code = request.env["vp.vault"]._do_new_recovery_code()
        except VaultError as exc:
            return self._render(error=str(exc.args[0]))
        return self._render(recovery_code=code)

    @http.route(f"{VAULT_URL}/status", type="json", auth="user", methods=["POST"], sitemap=False)
    def vault_status(self, **kw):
        vault_model = request.env["vp.vault"]
        vault = vault_model._vault_of()
        return {
            "has_vault": bool(vault),
            "unlocked": bool(vault) and vault_model.is_vault_unlocked(),
            "fingerprint": vault.fingerprint if vault else False,
        }


class VaultSession(Session):
    @http.route()
    def logout(self, redirect="/odoo"):
        response = super().logout(redirect=redirect)
        _expire_cookie(response)
        return response
