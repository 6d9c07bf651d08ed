# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The vault page: set up, unlock, lock, change passphrase, recover.

Passphrases only travel in POST bodies of these pages; they are never stored in
a (transient) record, which would write them to the database.
"""

from odoo import http
from odoo.http import request

from odoo.addons.web.controllers.session import Session

from ..models.vault import COOKIE_NAME, VaultError

VAULT_URL = "/vertrouwenspersoon/vault"


def _safe_redirect(url):
    """Only local paths: no open redirect to another site."""
    if url and url.startswith("/") and not url.startswith("//") and "\\" not in url:
        return url
    return "/odoo"


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
        vault_model = request.env["vp.vault"]
        vault = vault_model._vault_of()
        values.setdefault("redirect", _safe_redirect(request.params.get("redirect")))
        if "unlocked" not in values:
            values["unlocked"] = bool(vault) and vault_model.is_vault_unlocked()
        values.update(
            vault=vault,
            is_counsellor=request.env.user.has_group("vertrouwenspersoon.group_vp_counsellor"),
            idle_minutes=int(vault_model._idle_seconds() // 60),
        )
        response = request.render("vertrouwenspersoon.vault_page", values)
        response.headers["Cache-Control"] = "no-store"
        return response

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
    def vault_unlock(self, passphrase="", redirect=None, **kw):
        try:
            cookie, events = request.env["vp.vault"]._do_unlock_session(request, passphrase)
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
