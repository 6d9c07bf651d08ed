# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The vault pages and an unlocked browser session against an administrator who edits
views, and against a burst of guesses (issue: the vault against administrators)."""

import threading
from urllib.parse import urlsplit

import psycopg2

from odoo import SUPERUSER_ID, api
from odoo.api import Transaction
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from ..models.vault import vp_vault as vault_module
from ..models.vault.vp_vault import VaultError
from ..tools import vault_crypto
from .common import FAST_KDF, VAULT_URL, VaultHttpCase, call_kw, use_cheap_kdf
from .common import VAULT_PASS as PASS

MARKER = "ADMIN-INJECTED-7f3a"
COUNSELLOR_GROUPS = "base.group_user,vertrouwenspersoon.group_vp_counsellor"


@tagged("post_install", "-at_install")
class TestVaultPagesAgainstAdministrators(VaultHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.counsellor = new_test_user(cls.env, login="vault_a1", groups=COUNSELLOR_GROUPS)
        cls.env(user=cls.counsellor)["vp.vault"].setup(PASS)
        cls.admin = new_test_user(cls.env, login="vault_sys", groups="base.group_system")

    def setUp(self):
        super().setUp()
        self.authenticate(self.counsellor.login, self.counsellor.login)

    def admin_view(self, inherit, arch, name="tracking"):
        """What a Settings administrator adds under Settings > Technical > Views."""
        return self.env(user=self.admin)["ir.ui.view"].create(
            {
                "name": name,
                "type": "qweb",
                "inherit_id": self.env.ref(inherit).id,
                "arch": arch,
            }
        )

    def test_vault_page_is_rendered_from_the_addon_files_with_a_strict_policy(self):
        for layout in ("web.layout", "web.frontend_layout"):
            self.admin_view(
                layout,
                f"<xpath expr='.' position='inside'><script>/*{MARKER}*/</script></xpath>",
            )
        response = self.url_open(VAULT_URL)
        self.assertEqual(response.status_code, 200)
        self.assertNotIn(MARKER, response.text)
        self.assertNotIn("<script", response.text.lower())
        policy = response.headers["Content-Security-Policy"]
        self.assertIn("default-src 'none'", policy)
        self.assertIn("form-action 'self'", policy)
        self.assertNotIn("script-src", policy)
        self.assertEqual(response.headers["Cache-Control"], "no-store")
        self.assertEqual(response.headers["X-Frame-Options"], "DENY")
        # the fingerprint the docs promise is on the page
        fingerprint = self.env["vp.vault"]._vault_of(self.counsellor).fingerprint
        self.assertIn(fingerprint, response.text)

    def test_vault_cookie_is_out_of_reach_of_templates(self):
        spy = (
            "<xpath expr='//body' position='inside'><div id='spy'>"
            "<t t-out=\"request.httprequest.cookies.get('vp_vault')\"/>|"
            "<t t-out=\"request.httprequest.environ.get('HTTP_COOKIE')\"/>|"
            "<t t-out=\"request.httprequest.headers.get('Cookie')\"/></div></xpath>"
        )
        self.admin_view("web.frontend_layout", spy)
        self.post("/unlock", passphrase=PASS)
        cookie = self.opener.cookies.get(vault_module.COOKIE_NAME)
        self.assertTrue(cookie)
        self.assertTrue(self.unlocked())
        page = self.url_open("/my").text
        self.assertIn('id="spy"', page)  # the administrator's view did render
        self.assertNotIn(cookie, page)
        self.assertNotIn("vp_vault=", page)
        # and the vault still works for the counsellor's own requests
        self.assertTrue(self.unlocked())

    def test_change_while_unlocked_locks_and_is_reviewed_at_the_next_unlock(self):
        self.post("/unlock", passphrase=PASS)
        self.assertTrue(self.unlocked())
        self.admin_view(
            "web.layout", "<xpath expr='//head' position='inside'><meta name='x'/></xpath>"
        )
        self.assertFalse(self.unlocked())
        lock_line = (
            self.env["vp.security.log"]
            .sudo()
            .search([("event", "=", "config_lock"), ("user_id", "=", self.counsellor.id)])
        )
        self.assertTrue(lock_line)
        # the next unlock shows what changed, and opens only after confirming it
        page = self.post("/unlock", passphrase=PASS)
        self.assertIn("vp-review", page.text)
        self.assertIn("tracking", page.text)
        self.assertIn(self.admin.login, page.text)
        self.assertFalse(self.unlocked())
        digest = page.text.split('name="acknowledge" value="', 1)[1].split('"', 1)[0]
        # the digest without the confirmation box opens nothing
        self.post("/unlock", passphrase=PASS, acknowledge=digest)
        self.assertFalse(self.unlocked())
        self.post("/unlock", passphrase=PASS, acknowledge=digest, confirmed="1")
        self.assertTrue(self.unlocked())

    def test_redirects_stay_on_this_site_whatever_the_characters(self):
        self.post("/unlock", passphrase=PASS)
        self.post("/lock")
        attempts = [
            "//evil.example/",
            "/\\evil.example/",
            "/\t/evil.example/",
            "\t//evil.example/",
            " //evil.example/",
            "/\r\n/evil.example/",
            "/%2F%2Fevil.example/",
            "/%5C%5Cevil.example/",
            "https://evil.example/",
            "HTTPS:evil.example",
            "javascript:alert(1)",
            "/\x00//evil.example/",
            "/%09/evil.example/",
            "\\\\evil.example",
        ]
        for target in attempts:
            with self.subTest(target=target):
                response = self.post(
                    "/unlock", passphrase=PASS, redirect=target, allow_redirects=False
                )
                location = response.headers.get("Location", "")
                parts = urlsplit(location)
                self.assertIn(parts.netloc, ("", urlsplit(self.base_url()).netloc))
                self.assertNotIn("evil", location)
                self.assertNotIn("evil.example", response.text)
                self.post("/lock")

    def test_decrypted_json_is_not_cached(self):
        self.post("/unlock", passphrase=PASS)
        case = (
            self.env["vp.case"]
            .with_user(self.counsellor)
            .create({"date_intake": "2026-03-01", "description": "Inhoud"})
        )
        response = call_kw(
            self,
            "vp.case",
            "read",
            [case.ids, ["description"]],
            url="/web/dataset/call_kw/vp.case/read",
        )
        self.assertEqual(response.json()["result"][0]["description"], "Inhoud")
        self.assertEqual(response.headers.get("Cache-Control"), "no-store")


@tagged("post_install", "-at_install")
class TestUnlockBurst(TransactionCase):
    """Many wrong passphrases at once, in real parallel transactions."""

    ATTEMPTS_PER_WORKER = 4
    WORKERS = 6

    def setUp(self):
        super().setUp()
        use_cheap_kdf(self)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            user = new_test_user(env, login="vault_burst", groups=COUNSELLOR_GROUPS)
            env(user=user)["vp.vault"].setup(PASS)
            self.user_id = user.id
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["vp.vault"].search([("user_id", "=", self.user_id)]).unlink()
            env["res.users"].browse(self.user_id).active = False

    def test_a_burst_checks_no_more_guesses_than_the_throttle_allows(self):
        verified, refused = [], []
        barrier = threading.Barrier(self.WORKERS, timeout=30)

        def worker():
            barrier.wait()
            for attempt in range(self.ATTEMPTS_PER_WORKER):
                with self.registry.cursor() as cr:
                    cr.transaction = Transaction(self.registry)
                    env = api.Environment(cr, self.user_id, {})
                    cr.execute("SET LOCAL lock_timeout = '20s'")
                    vault = env["vp.vault"]._vault_of()
                    try:
                        vault._open_private_key(f"wrong guess {attempt}", "passphrase")
                    except VaultError as exc:
                        message = str(exc.args[0])
                        (verified if "not correct" in message else refused).append(message)
                        cr.commit()  # pylint: disable=invalid-commit
                    except psycopg2.Error as exc:  # serialization failure: nothing checked
                        cr.rollback()
                        refused.append(type(exc).__name__)

        threads = [threading.Thread(target=worker) for _ in range(self.WORKERS)]
        with mute_logger("odoo.sql_db", "odoo.addons.vertrouwenspersoon.models.vault.vp_vault"):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(120)
        total = self.WORKERS * self.ATTEMPTS_PER_WORKER
        self.assertEqual(len(verified) + len(refused), total)
        self.assertLessEqual(len(verified), vault_module.THROTTLE_FREE_ATTEMPTS)
        with self.registry.cursor() as cr:
            cr.execute("SELECT failed_attempts FROM vp_vault WHERE user_id = %s", [self.user_id])
            self.assertEqual(cr.fetchone()[0], len(verified))


@tagged("post_install", "-at_install")
class TestPassphrasePolicy(TransactionCase):
    def test_passphrases_built_from_the_organisation_or_the_year_are_refused(self):
        use_cheap_kdf(self)
        self.env.company.name = "Zorggroep De Linde"
        user = new_test_user(self.env, login="vault_pp", groups=COUNSELLOR_GROUPS)
        vaults = self.env(user=user)["vp.vault"]
        year = str(self.env.cr.now().year)
        for weak in (
            f"Zorggroep De Linde {year}!",
            f"DeLinde{year}!Zorggroep",
            f"Zomer{year}!Zomer{year}!",
            "Welkom01!Welkom01!",
            "Vertrouwenspersoon123!",
        ):
            with self.subTest(passphrase=weak), self.assertRaisesRegex(VaultError, "too weak"):
                vaults._check_strength(weak)
        vaults._check_strength("Zeven eiken in de Linde 2024")
        self.assertTrue(vault_crypto.passphrase_problems("Zorggroep", []))
        self.assertEqual(FAST_KDF["alg"], "scrypt")
