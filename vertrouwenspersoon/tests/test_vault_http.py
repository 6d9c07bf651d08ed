# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The vault in the browser: cookie + session blob, and every way to fail closed."""

import base64
import json
import os
import re

from odoo import http
from odoo.tests import new_test_user, tagged

from ..models.vault import vp_vault as vault_module
from .common import VAULT_PASS as PASS
from .common import VAULT_URL, VaultHttpCase


@tagged("post_install", "-at_install")
class TestVaultHttp(VaultHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        groups = "base.group_user,vertrouwenspersoon.group_vp_counsellor"
        cls.counsellor = new_test_user(cls.env, login="vault_h1", groups=groups)
        cls.colleague = new_test_user(cls.env, login="vault_h2", groups=groups)

    # ------------------------------------------------------------------ helpers

    def setup_vault(self, user):
        return self.env(user=user)["vp.vault"].setup(PASS)

    def login_and_unlock(self, user):
        self.unlock_over_http(user)
        self.assertTrue(self.unlocked())
        return self.opener.cookies.get(vault_module.COOKIE_NAME)

    def session_data(self):
        sid = self.session.sid
        return http.root.session_store.get(sid)

    def set_vault_cookie(self, value):
        self.opener.cookies.set(vault_module.COOKIE_NAME, value, domain="127.0.0.1", path="/")

    # ------------------------------------------------------------------ tests

    def test_setup_page_shows_recovery_code_once_and_unlocks(self):
        self.authenticate(self.counsellor.login, self.counsellor.login)
        page = self.post("/setup", passphrase="kort", confirm="kort").text
        self.assertIn("too weak", page)
        self.assertFalse(self.env["vp.vault"].sudo().search([("user_id", "=", self.counsellor.id)]))
        response = self.post("/setup", passphrase=PASS, confirm=PASS)
        code = re.search(r"([A-Z2-9]{4}(?:-[A-Z2-9]{4}){7})", response.text).group(1)
        cookie = response.headers["Set-Cookie"]
        self.assertIn("vp_vault=", cookie)
        self.assertIn("HttpOnly", cookie)
        self.assertIn("SameSite=Strict", cookie)
        self.assertIn("Path=/", cookie)
        self.assertNotIn("Expires", cookie.split("session_id")[0])  # browser-session cookie
        self.assertTrue(self.unlocked())
        # the page never shows the code again
        self.assertNotIn(code, self.url_open(VAULT_URL).text)
        self.post("/recovery-saved", saved="1")
        vault = self.env["vp.vault"].sudo().search([("user_id", "=", self.counsellor.id)])
        self.assertTrue(vault.recovery_confirmed)
        # the code works (in a shell, say)
        self.env(user=self.counsellor)["vp.vault"].recover(code, "Een nieuwe zin van vier woorden")

    def test_session_on_disk_holds_no_usable_key(self):
        self.setup_vault(self.counsellor)
        cookie = self.login_and_unlock(self.counsellor)
        vaults = self.env(user=self.counsellor)["vp.vault"]
        vaults.unlock(PASS)
        private = vaults._get_private_key()
        stored = json.dumps(dict(self.session_data()))
        for form in (
            base64.b64encode(private).decode(),
            base64.urlsafe_b64encode(private).decode(),
            private.hex(),
            cookie,
        ):
            self.assertNotIn(form, stored)
        self.assertIn(vault_module.SESSION_KEY, stored)

    def test_session_blob_without_cookie_is_locked(self):
        self.setup_vault(self.counsellor)
        self.login_and_unlock(self.counsellor)
        self.opener.cookies.pop(vault_module.COOKIE_NAME)
        self.assertFalse(self.unlocked())

    def test_wrong_cookie_is_locked_and_clears_the_blob(self):
        self.setup_vault(self.counsellor)
        self.login_and_unlock(self.counsellor)
        self.opener.cookies.pop(vault_module.COOKIE_NAME)
        self.set_vault_cookie(base64.urlsafe_b64encode(os.urandom(32)).decode())
        self.assertFalse(self.unlocked())
        self.assertNotIn(vault_module.SESSION_KEY, self.session_data())

    def test_cookie_without_session_blob_is_locked(self):
        self.setup_vault(self.counsellor)
        cookie = self.login_and_unlock(self.counsellor)
        # a fresh login gives a new session without the blob; keep the old cookie
        self.authenticate(self.counsellor.login, self.counsellor.login)
        self.set_vault_cookie(cookie)
        self.assertFalse(self.unlocked())

    def test_cookie_of_another_session_is_locked(self):
        self.setup_vault(self.counsellor)
        self.setup_vault(self.colleague)
        cookie_a = self.login_and_unlock(self.counsellor)
        cookie_b = self.login_and_unlock(self.colleague)  # a second session, unlocked too
        self.assertNotEqual(cookie_a, cookie_b)
        self.opener.cookies.pop(vault_module.COOKIE_NAME)
        self.set_vault_cookie(cookie_a)
        self.assertFalse(self.unlocked())
        # and the same user in two sessions: the cookies are not interchangeable
        cookie_c = self.login_and_unlock(self.colleague)
        self.authenticate(self.colleague.login, self.colleague.login)
        self.post("/unlock", passphrase=PASS)
        self.opener.cookies.pop(vault_module.COOKIE_NAME)
        self.set_vault_cookie(cookie_c)
        self.assertFalse(self.unlocked())

    def test_wrong_passphrase_page_counts_failures(self):
        self.setup_vault(self.counsellor)
        self.authenticate(self.counsellor.login, self.counsellor.login)
        page = self.post("/unlock", passphrase="Not my passphrase at all").text
        self.assertIn("not correct", page)
        self.assertFalse(self.unlocked())
        vault = self.env["vp.vault"].sudo().search([("user_id", "=", self.counsellor.id)])
        self.assertEqual(vault.failed_attempts, 1)

    def test_lock_and_logout_clear_both(self):
        self.setup_vault(self.counsellor)
        self.login_and_unlock(self.counsellor)
        response = self.post("/lock")
        self.assertFalse(self.unlocked())
        self.assertNotIn(vault_module.SESSION_KEY, self.session_data())
        self.assertFalse(self.opener.cookies.get(vault_module.COOKIE_NAME))
        self.assertEqual(response.status_code, 200)
        self.login_and_unlock(self.counsellor)
        self.url_open("/web/session/logout")
        self.assertFalse(self.opener.cookies.get(vault_module.COOKIE_NAME))

    def test_idle_session_locks(self):
        self.setup_vault(self.counsellor)
        self.login_and_unlock(self.counsellor)
        session = self.session_data()
        session[vault_module.SESSION_KEY]["last"] -= 31 * 60
        http.root.session_store.save(session)
        self.assertFalse(self.unlocked())
        self.assertNotIn(vault_module.SESSION_KEY, self.session_data())

    def test_no_open_redirect(self):
        self.setup_vault(self.counsellor)
        self.authenticate(self.counsellor.login, self.counsellor.login)
        response = self.post(
            "/unlock", passphrase=PASS, redirect="//evil.example.com/", allow_redirects=False
        )
        # a redirect, or the page of security events with a Continue link
        self.assertIn(response.status_code, (200, 303))
        self.assertNotIn("evil", response.headers.get("Location", ""))
        self.assertNotIn("evil", response.text)
