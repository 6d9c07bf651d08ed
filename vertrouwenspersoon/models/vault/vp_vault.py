# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The counsellor's vault: key pair, passphrase, recovery code, unlock state.

Where the unlocked private key lives:

* In an HTTP request: in the HTTP session (``request.session["vp_vault"]``),
  encrypted with AES-256-GCM under a random 256-bit key that only exists in the
  ``vp_vault`` cookie (HttpOnly, SameSite=Strict, Secure on https).  The session
  file on disk alone, or the cookie alone, gives nothing; several workers work
  because nothing is kept in process memory.
* Without an HTTP request (``odoo shell``, scripts, tests): in a process-local
  dict keyed by (database, uid), filled by :meth:`VpVault.unlock`.
"""

import base64
import hashlib
import json
import logging
import re
import threading
import time
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.http import request
from odoo.tools import SQL

from ...tools import vault_crypto as vc
from ..res_users import COUNSELLOR_GROUP
from . import security_log_text, vault_gate
from .security_log_text import _lt
from .vp_security_log import GENESIS, PRIVATE_EVENTS, entry_hash

_logger = logging.getLogger(__name__)

SESSION_KEY = "vp_vault"
COOKIE_NAME = vault_gate.COOKIE_NAME


# Throttling: from the 3rd consecutive wrong passphrase on, wait 2**(n-3) x 5 s
# (5, 10, 20, ... seconds), at most one hour.
THROTTLE_FREE_ATTEMPTS = 3
THROTTLE_BASE_SECONDS = 5
THROTTLE_MAX_SECONDS = 3600

# (dbname, uid) -> {"key": bytes, "last": float}; only for code without an HTTP request
_PROCESS_KEYS = {}
_PROCESS_LOCK = threading.Lock()

LOCKED_PLACEHOLDER = "\U0001f512 Locked: unlock your vault to read"


def _http_request():
    """The current HTTP request with a session, or None (shell, cron, tests)."""
    try:
        return request if request and getattr(request, "session", None) is not None else None
    except RuntimeError:
        return None


# One file per model, one class block per concern in the order Odoo loads them
# (docs/architecture.md): pylint-odoo's advice to merge these blocks does not apply.
# pylint: disable=consider-merging-classes-inherited


class VaultError(UserError):
    """A vault operation refused, with a message for the counsellor."""


def lock_for_attempt(record, lock_key, counters, busy):
    """One attempt at a time on ``record`` (a vault, an anonymous conversation), on the
    latest values of its ``counters`` fields.

    A parallel attempt is refused at once with the exception ``busy``, without checking
    its secret (``lock_key``: the advisory lock's class, one per model); the row lock
    makes a stale snapshot a serialization failure (Odoo retries the request on a fresh
    one), so a burst never checks more guesses than the throttle allows.
    """
    record.ensure_one()
    cr = record.env.cr
    cr.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", (lock_key, record.id))
    if not cr.fetchone()[0]:
        raise busy
    cr.execute(
        SQL("SELECT id FROM %s WHERE id = %s FOR UPDATE", SQL.identifier(record._table), record.id)
    )
    record.invalidate_recordset(counters)


class VaultReview(VaultError):
    """The vault stays locked until the counsellor has seen these alerts."""

    def __init__(self, message, alerts, digest):
        super().__init__(message)
        self.alerts = alerts
        self.digest = digest


class VpVault(models.Model):
    _name = "vp.vault"
    _inherit = ["vp.sudo.only.mixin"]
    _vp_refused = {"create": _lt("Vaults are created through the vault set-up page.")}
    _description = "Counsellor vault"
    _rec_name = "user_id"
    _order = "user_id"

    user_id = fields.Many2one(
        "res.users", string="Counsellor", required=True, ondelete="cascade", index=True
    )
    public_key = fields.Char(
        readonly=True, help="X25519 public key (base64): anyone may encrypt for it."
    )
    private_key_enc = fields.Char(
        string="Encrypted private key",
        readonly=True,
        groups="base.group_no_one",
        help="The private key, encrypted under a key derived from the vault passphrase.",
    )
    recovery_enc = fields.Char(
        string="Recovery envelope",
        readonly=True,
        groups="base.group_no_one",
        help="The private key, encrypted under a key derived from the recovery code.",
    )
    fingerprint = fields.Char(
        compute="_compute_fingerprint",
        store=True,
        help="SHA-256 of the public key. Compare it with what a colleague sees before "
        "sharing a case: a different fingerprint means the key was replaced.",
    )
    failed_attempts = fields.Integer(readonly=True)
    blocked_until = fields.Datetime(readonly=True)
    date_passphrase = fields.Datetime(string="Passphrase changed on", readonly=True)
    date_recovery = fields.Datetime(string="Recovery code issued on", readonly=True)
    recovery_confirmed = fields.Boolean(
        string="Recovery code stored",
        readonly=True,
        help="The counsellor confirmed having stored the recovery code.",
    )
    date_last_unlock = fields.Datetime(string="Last unlocked on", readonly=True)
    is_unlocked = fields.Boolean(compute="_compute_is_unlocked", string="Unlocked")

    _sql_constraints = [
        ("user_unique", "unique(user_id)", "A counsellor has exactly one vault."),
    ]

    # ------------------------------------------------------------------ computes

    @api.depends("public_key")
    def _compute_fingerprint(self):
        for vault in self:
            vault.fingerprint = (
                vc.fingerprint(base64.b64decode(vault.public_key)) if vault.public_key else False
            )

    def _compute_is_unlocked(self):
        for vault in self:
            vault.is_unlocked = (
                vault.user_id.id == self.env.uid and self._get_private_key() is not None
            )

    # ------------------------------------------------------------------ ORM guards

    def write(self, vals):
        if "public_key" in vals:
            for vault in self:
                if vault.public_key and vault.public_key != vals["public_key"]:
                    self._log(
                        "vault_key_changed",
                        _lt(
                            "The public key of %(user)s was changed (old fingerprint %(fp)s).",
                            user=vault.user_id.name,
                            fp=vault.fingerprint,
                        ),
                        user=vault.user_id,
                    )
        return super().write(vals)

    # ------------------------------------------------------------------ helpers

    @api.model
    def _log(self, event, description, user=None, case=None):
        """Write a security log line."""
        # the server log in English: a lazy text would be translated without a language
        english = self.env(context=dict(self.env.context, lang="en_US"))
        text = security_log_text.render(english, security_log_text.encode(description))
        _logger.info("vault %s: %s", event, text)
        self.env["vp.security.log"].sudo()._log(event, description, case=case, user=user)

    @api.model
    def _vault_of(self, user=None):
        user = user or self.env.user
        return self.sudo().search_fetch(
            [("user_id", "=", user.id)], ["user_id", "verified_cases_enc"], limit=1
        )

    @api.model
    def _check_counsellor(self):
        if not self.env.user.has_group("vertrouwenspersoon.group_vp_counsellor"):
            raise AccessError(self.env._("Only counsellors have a vault."))

    @api.model
    def _idle_seconds(self):
        return self.env["vp.settings"]._vp_value("vp_vault_idle_minutes") * 60

    def _context_for(self, kind):
        self.ensure_one()
        return ("vp.vault", self.user_id.id, kind)

    @api.model
    def _guessable_words(self):
        """What an attacker who knows the organisation tries first: the counsellor's
        name and login, the organisation's names, the years around now."""
        user = self.env.user
        companies = self.env["res.company"].sudo().search([])
        words = [*(user.name or "").split(), user.login, (user.login or "").split("@")[0]]
        for name in companies.mapped("name"):
            words += [name, *re.split(r"[\W_]+", name or "")]
        year = fields.Date.today().year
        words += [str(y) for y in range(year - 2, year + 3)]
        return [w for w in words if w]

    @api.model
    def _check_strength(self, passphrase, confirm=None):
        if confirm is not None and passphrase != confirm:
            raise VaultError(self.env._("The two passphrases are not the same."))
        problems = vc.passphrase_problems(passphrase, self._guessable_words())
        if problems:
            messages = {
                "short": self.env._("use at least %s characters", vc.MIN_LENGTH),
                "variety": self.env._("use more different characters"),
                "classes": self.env._(
                    "mix letters with digits or symbols, or use four or more words"
                ),
                "repeat": self.env._("avoid repeating a character"),
                "sequence": self.env._("avoid sequences such as abcde, 12345 or qwerty"),
                "common": self.env._(
                    "avoid common words and your own name or login; add more of your own"
                ),
            }
            raise VaultError(
                self.env._(
                    "This passphrase is too weak: %s.", "; ".join(messages[p] for p in problems)
                )
            )

    # ------------------------------------------------------------------ set-up

    @api.model
    def _do_setup(self, passphrase, confirm=None):
        """Create the current user's vault. Returns (recovery code, private key)."""
        self._check_counsellor()
        if self._vault_of():
            raise VaultError(self.env._("You already have a vault."))
        self._check_strength(passphrase, confirm)
        private, public = vc.generate_keypair()
        recovery = vc.generate_recovery_code()
        vault = self.sudo().create({"user_id": self.env.uid})
        now = fields.Datetime.now()
        vault.write(
            {
                "public_key": base64.b64encode(public).decode(),
                "private_key_enc": vc.wrap_with_secret(
                    passphrase, private, vault._context_for("passphrase")
                ),
                "recovery_enc": vc.wrap_with_secret(
                    recovery, private, vault._context_for("recovery")
                ),
                "date_passphrase": now,
                "date_recovery": now,
            }
        )
        self._log(
            "vault_setup",
            _lt(
                "%(user)s set up a vault (fingerprint %(fp)s).",
                user=self.env.user.name,
                fp=vault.fingerprint,
            ),
            user=self.env.user,
        )
        return recovery, private

    @api.model
    def _do_new_recovery_code(self):
        """Issue a new recovery code (the old one stops working); needs the vault unlocked."""
        vault = self._vault_of()
        private = self._get_private_key()
        if not vault or private is None:
            raise VaultError(self.env._("Unlock your vault first."))
        code = vc.generate_recovery_code()
        vault.sudo().write(
            {
                "recovery_enc": vc.wrap_with_secret(code, private, vault._context_for("recovery")),
                "date_recovery": fields.Datetime.now(),
                "recovery_confirmed": False,
            }
        )
        self._log(
            "vault_recovery_code",
            _lt("%s issued a new vault recovery code.", self.env.user.name),
            user=self.env.user,
        )
        return code

    @api.model
    def _demo_setup(self, user_id, passphrase):
        """Demo data only: a vault for a demo counsellor, with a documented passphrase."""
        user = self.env["res.users"].browse(user_id)
        if self._vault_of(user):
            return False
        return self.with_user(user)._do_setup(passphrase)[0]

    # ------------------------------------------------------------------ verification

    def _check_not_blocked(self):
        self.ensure_one()
        if self.blocked_until and self.blocked_until > fields.Datetime.now():
            seconds = int((self.blocked_until - fields.Datetime.now()).total_seconds()) + 1
            raise VaultError(
                self.env._(
                    "Too many wrong attempts. Try again in %s seconds.",
                    seconds,
                )
            )

    def _lock_for_attempt(self):
        """One passphrase check at a time per vault, on the latest counters."""
        lock_for_attempt(
            self,
            0x7670,
            ["failed_attempts", "blocked_until"],
            VaultError(self.env._("Another attempt to open this vault is in progress. Try again.")),
        )

    def _register_failure(self):
        self.ensure_one()
        failures = self.failed_attempts + 1
        vals = {"failed_attempts": failures}
        if failures >= THROTTLE_FREE_ATTEMPTS:
            delay = min(
                THROTTLE_BASE_SECONDS * 2 ** (failures - THROTTLE_FREE_ATTEMPTS),
                THROTTLE_MAX_SECONDS,
            )
            vals["blocked_until"] = fields.Datetime.now() + timedelta(seconds=delay)
        self.sudo().write(vals)
        self._log(
            "vault_unlock_failed",
            _lt(
                "Wrong vault passphrase or recovery code for %(user)s (%(n)s in a row).",
                user=self.user_id.name,
                n=failures,
            ),
            user=self.user_id,
        )

    def _open_private_key(self, secret, kind):
        """Verify ``secret`` (passphrase or recovery code); return the private key.

        Wrong secrets are counted and throttled.  The counter is written in the
        current transaction: callers that get a VaultError must let it commit
        (the controllers do; they do not raise).
        """
        self.ensure_one()
        self._lock_for_attempt()
        self._check_not_blocked()
        envelope = self.sudo().private_key_enc if kind == "passphrase" else self.sudo().recovery_enc
        if kind == "recovery":
            secret = vc.normalize_recovery_code(secret)
        try:
            private = vc.unwrap_with_secret(secret or "", envelope, self._context_for(kind))
        except vc.VaultCryptoError:
            self._register_failure()
            if kind == "recovery":
                raise VaultError(self.env._("This recovery code is not correct.")) from None
            raise VaultError(self.env._("This vault passphrase is not correct.")) from None
        if vc.public_from_private(private) != base64.b64decode(self.public_key or ""):
            # the stored public key no longer belongs to this private key: swapped
            self._log(
                "vault_key_changed",
                _lt(
                    "The stored public key of %(user)s does not match the private key: "
                    "it was replaced outside the vault.",
                    user=self.user_id.name,
                ),
                user=self.user_id,
            )
            raise VaultError(
                self.env._(
                    "Your stored public key was replaced by someone else. Your vault stays "
                    "locked; warn your fellow counsellors and your data protection officer."
                )
            )
        if self.failed_attempts or self.blocked_until:
            self.sudo().write({"failed_attempts": 0, "blocked_until": False})
        return private

    # ------------------------------------------------------------------ key store

    @api.model
    def _process_slot(self):
        return (self.env.cr.dbname, self.env.uid)

    @api.model
    def _get_private_key(self):
        """The current user's unlocked private key, or None when locked.

        Never for a superuser or sudo() environment, never while code stored in the
        database runs (safe_eval, QWeb), never while a vault model is patched: see
        vault_gate.py.
        """
        if self.env.su or vault_gate.code_from_database_on_stack():
            return None
        if vault_gate.patched_vault_methods(self.env):
            _logger.warning(
                "vault refused: vault model methods patched at run time: %s",
                vault_gate.patched_vault_methods(self.env),
            )
            return None
        req = _http_request()
        if req is not None:
            return self._session_key(req)
        with _PROCESS_LOCK:
            entry = _PROCESS_KEYS.get(self._process_slot())
            if not entry:
                return None
            if time.time() - entry["last"] > self._idle_seconds():
                _PROCESS_KEYS.pop(self._process_slot(), None)
                return None
            entry["last"] = time.time()
            private = entry["key"]
            pulse = entry.get("pulse")
        # Inside one transaction other transactions' changes are invisible (repeatable
        # read): the configuration is checked once per transaction and again after a
        # guarded change made in it (config_guard forgets the check).
        checked = vault_gate.transaction_stash(self.env.cr)["checked"]
        if self.env.uid in checked:
            return private
        current = self._pulse()
        if pulse != current:
            vault = self._vault_of()
            if not vault or not vault._config_unchanged(private):
                with _PROCESS_LOCK:
                    _PROCESS_KEYS.pop(self._process_slot(), None)
                if vault:
                    vault._lock_for_config()
                return None
            with _PROCESS_LOCK:
                if self._process_slot() in _PROCESS_KEYS:
                    _PROCESS_KEYS[self._process_slot()]["pulse"] = current
        checked.add(self.env.uid)
        return private

    @api.model
    def _session_aad(self, req, bind):
        return ("vp-session", req.db, req.session.uid, bind)

    @api.model
    def _session_key(self, req):
        data = req.session.get(SESSION_KEY)
        stash = vault_gate.stashed(req.httprequest)
        cookie = stash.get("cookie") or req.httprequest.cookies.get(COOKIE_NAME)
        if not data or not cookie or req.session.uid != self.env.uid:
            return None
        if stash.get("private") is not None:
            return stash["private"]
        try:
            if (
                data.get("uid") != self.env.uid
                or data.get("db") != req.db
                or time.time() - float(data.get("last", 0)) > self._idle_seconds()
            ):
                raise vc.VaultCryptoError("expired or foreign")
            key = base64.urlsafe_b64decode(cookie.encode("ascii"))
            if len(key) != vc.KEY_SIZE:
                raise vc.VaultCryptoError("bad cookie")
            private = vc.open_sealed(
                key,
                base64.b64decode(data["blob"]),
                vc._aad(*self._session_aad(req, data["bind"])),
            )
        except (vc.VaultCryptoError, ValueError, KeyError, TypeError):
            req.session.pop(SESSION_KEY, None)
            return None
        pulse = self._pulse()
        if pulse != data.get("pulse"):
            # something of the guarded configuration was written since the unlock
            vault = self._vault_of()
            if not vault or not vault._config_unchanged(private):
                req.session.pop(SESSION_KEY, None)
                if vault:
                    vault._lock_for_config()
                return None
            data = dict(data, pulse=pulse)
            req.session[SESSION_KEY] = data
        now = time.time()
        if now - float(data["last"]) > 30:  # do not rewrite the session on every read
            req.session[SESSION_KEY] = dict(data, last=now)
        stash["private"] = private
        stash["used"] = True
        return private

    @api.model
    def _store_in_session(self, req, private):
        """Put ``private`` in the session, encrypted; return the cookie value."""
        key = vc.random_key()
        bind = base64.b64encode(vc.random_key()).decode()
        blob = vc.seal(key, private, vc._aad(*self._session_aad(req, bind)))
        req.session[SESSION_KEY] = {
            "uid": self.env.uid,
            "db": req.db,
            "bind": bind,
            "blob": base64.b64encode(blob).decode(),
            "last": time.time(),
            "pulse": self._pulse(),
        }
        cookie = base64.urlsafe_b64encode(key).decode("ascii")
        stash = vault_gate.stashed(req.httprequest)
        stash.update(cookie=cookie, private=None)
        return cookie

    @api.model
    def _clear_key(self):
        req = _http_request()
        if req is not None:
            req.session.pop(SESSION_KEY, None)
            vault_gate.stashed(req.httprequest).clear()
        with _PROCESS_LOCK:
            _PROCESS_KEYS.pop(self._process_slot(), None)

    def _after_unlock(self):
        """Record the unlock; return security log events since the previous one."""
        self.ensure_one()
        since = self.date_last_unlock
        self.sudo().write({"date_last_unlock": fields.Datetime.now()})
        return self._events_since(since) + self._reader_finding_events()

    def _events_since(self, since):
        # events about yourself that you did yourself (your own set-up) are no news
        domain = [
            ("event", "in", self._alert_events()),
            "!",
            "&",
            ("actor_id", "=", self.env.uid),
            ("user_id", "=", self.env.uid),
            ("date", ">", since or self.create_date),
            # a colleague's own vault activity is theirs alone
            "|",
            ("event", "not in", PRIVATE_EVENTS),
            ("user_id", "=", self.env.uid),
        ]
        logs = self.env["vp.security.log"].sudo().search(domain, order="date desc", limit=50)
        return [
            # in the reader's language, whoever wrote the line
            {"date": log.date, "event": log.event, "description": log.message}
            for log in logs
        ]

    @api.model
    def _alert_events(self):
        """Events every counsellor is shown at the next unlock."""
        return ["vault_key_changed", "vault_setup", "vault_recovered", "group_add", "group_remove"]

    # ------------------------------------------------------------------ HTTP-side steps

    @api.model
    def _do_unlock_session(self, req, passphrase, acknowledge=None):
        self._check_counsellor()
        vault = self._vault_of()
        if not vault:
            raise VaultError(self.env._("You have no vault yet: set one up first."))
        private = vault._open_private_key(passphrase, "passphrase")
        vault._review(private, acknowledge)
        cookie = self._store_in_session(req, private)
        return cookie, vault._after_unlock()

    @api.model
    def _do_change_passphrase(self, old, new, confirm=None):
        vault = self._vault_of()
        if not vault:
            raise VaultError(self.env._("You have no vault yet: set one up first."))
        self._check_strength(new, confirm)
        private = vault._open_private_key(old, "passphrase")
        vault.sudo().write(
            {
                "private_key_enc": vc.wrap_with_secret(
                    new, private, vault._context_for("passphrase")
                ),
                "date_passphrase": fields.Datetime.now(),
            }
        )
        self._log(
            "vault_passphrase_changed",
            _lt("%s changed the vault passphrase.", self.env.user.name),
            user=self.env.user,
        )
        return private

    @api.model
    def _do_recover(self, recovery_code, new, confirm=None):
        """Set a new passphrase with the recovery code; returns a NEW recovery code."""
        vault = self._vault_of()
        if not vault:
            raise VaultError(self.env._("You have no vault yet: set one up first."))
        self._check_strength(new, confirm)
        private = vault._open_private_key(recovery_code, "recovery")
        code = vc.generate_recovery_code()
        now = fields.Datetime.now()
        vault.sudo().write(
            {
                "private_key_enc": vc.wrap_with_secret(
                    new, private, vault._context_for("passphrase")
                ),
                "recovery_enc": vc.wrap_with_secret(code, private, vault._context_for("recovery")),
                "date_passphrase": now,
                "date_recovery": now,
                "recovery_confirmed": False,
            }
        )
        self._log(
            "vault_recovered",
            _lt(
                "%s used the recovery code and chose a new vault passphrase.",
                self.env.user.name,
            ),
            user=self.env.user,
        )
        return private, code

    # ------------------------------------------------------------------ public API (no HTTP)

    @api.model
    def _refuse_in_http(self):
        if _http_request() is not None:
            raise UserError(
                self.env._("Use the vault page (/vertrouwenspersoon/vault) in the browser.")
            )

    @api.model
    def setup(self, passphrase):
        """Set up the current user's vault (odoo shell, scripts). Returns the recovery code."""
        self._refuse_in_http()
        return self._do_setup(passphrase)[0]

    @api.model
    def unlock(self, passphrase, acknowledge=None):
        """Unlock the current user's vault for this process (odoo shell, scripts, tests).

        Returns the security log events (key or counsellor group changes) since the
        previous unlock. Raises VaultReview (with ``alerts`` and ``digest``) when
        something changed since the previous unlock: call again with
        ``acknowledge=digest`` once the alerts were read.
        """
        self._refuse_in_http()
        self._check_counsellor()
        vault = self._vault_of()
        if not vault:
            raise VaultError(self.env._("You have no vault yet: set one up first."))
        self._clear_key()
        private = vault._open_private_key(passphrase, "passphrase")
        vault._review(private, acknowledge)
        pulse = self._pulse()
        with _PROCESS_LOCK:
            _PROCESS_KEYS[self._process_slot()] = {
                "key": private,
                "last": time.time(),
                "pulse": pulse,
            }
        return vault._after_unlock()

    @api.model
    def lock(self):
        """Lock the current user's vault (works in the browser and in a shell)."""
        self._clear_key()
        return True

    @api.model
    def change_passphrase(self, old_passphrase, new_passphrase):
        self._refuse_in_http()
        self._do_change_passphrase(old_passphrase, new_passphrase)
        return True

    @api.model
    def recover(self, recovery_code, new_passphrase):
        """Choose a new passphrase with the recovery code. Returns the NEW recovery code."""
        self._refuse_in_http()
        return self._do_recover(recovery_code, new_passphrase)[1]

    @api.model
    def is_vault_unlocked(self):
        return self._get_private_key() is not None

    def action_lock(self):
        self.env["vp.vault"].lock()
        return {"type": "ir.actions.client", "tag": "reload"}

    def action_open_vault_page(self):
        return {"type": "ir.actions.act_url", "url": "/vertrouwenspersoon/vault", "target": "self"}

    # ------------------------------------------------------------------ encryption API

    @api.model
    def _public_key_of(self, user):
        vault = self._vault_of(user)
        if not vault or not vault.public_key:
            raise UserError(
                self.env._(
                    "%s has not set up a vault yet, so nothing can be encrypted for them.",
                    user.name,
                )
            )
        return base64.b64decode(vault.public_key)

    @api.model
    def _wrap_for(self, user, data_key, context):
        """Wrap a data key for ``user`` (public key only: no unlock needed)."""
        return vc.wrap_key(self._public_key_of(user), data_key, context)

    # ------------------------------------------------------------------ verified state
    # What each counsellor last verified, kept inside their own vault, checked at unlock.
    #
    # The *verified state* is sealed (AES-256-GCM) under a key derived from the counsellor's
    # private key, so nobody else can read or forge it; it holds
    #
    # * ``config``: the configuration snapshot the counsellor accepted (vp.config.guard);
    # * ``log``: the head (place and hash) of the security log chain last verified;
    # * ``keys``: the fingerprints of the colleagues' public keys.
    #
    # At every unlock the current state is compared with it. What changed (configuration, a
    # colleague's key, a log line edited or removed, configuration changes logged since, even
    # if undone) is shown to the counsellor, and the vault unlocks only once they confirm
    # having seen exactly that list.
    verified_state_enc = fields.Text(
        string="Verified state (sealed)", readonly=True, groups="base.group_no_one", copy=False
    )

    # ------------------------------------------------------------------ sealing

    def _sealed_context(self, fname):
        return ("vp.vault", fname, self.id, self.user_id.id)

    def _open_sealed(self, private, fname):
        """The document sealed in ``fname`` under a key derived from ``private``: {} when
        there is none yet, None when it was altered or put there by someone else."""
        self.ensure_one()
        envelope = self.sudo()[fname]
        if not envelope:
            return {}
        context = self._sealed_context(fname)
        try:
            return vc.open_document(vc.derive_key(private, *context), envelope, *context)
        except (vc.VaultCryptoError, ValueError):
            return None

    def _seal(self, private, fname, document):
        self.ensure_one()
        context = self._sealed_context(fname)
        key = vc.derive_key(private, *context)
        self.sudo().write({fname: vc.seal_document(key, document, *context)})
        vault_gate.forget_read_memo(self.env.cr)

    def _load_state(self, private):
        """The verified state, {} for a vault that never verified, or None if altered."""
        return self._open_sealed(private, "verified_state_enc")

    def _save_state(self, private, state):
        self._seal(private, "verified_state_enc", state)

    # ------------------------------------------------------------------ checks

    @api.model
    def _colleague_fingerprints(self):
        vaults = self.sudo().search([("public_key", "!=", False)])
        return {str(v.user_id.id): v.fingerprint for v in vaults}

    @api.model
    def _log_head(self):
        self.env.cr.execute("SELECT seq, hash FROM vp_security_log_head WHERE id = 1")
        row = self.env.cr.fetchone()
        return [row[0], row[1]] if row else [0, GENESIS]

    @api.model
    def _check_log_chain(self, head):
        """Alerts for lines changed, removed or inserted since ``head`` (the place and
        hash last verified), found by re-computing the chain."""
        seq0, expected = head
        log = self.env["vp.security.log"].sudo()
        # the whole chain, every time: a line removed long ago is as telling as a new one
        self.env.cr.execute(
            "SELECT seq, payload, prev_hash, entry_hash, date, event, description, actor_id,"
            " user_id, case_id FROM vp_security_log WHERE seq IS NOT NULL ORDER BY seq"
        )
        rows = self.env.cr.fetchall()
        broken = []
        verified = {row[0]: row[3] for row in rows}
        if seq0 and verified.get(seq0) != expected:
            broken.append(seq0)
        previous = None
        for row in rows:
            seq, payload, prev_hash, hashed = row[:4]
            ok = hashed == entry_hash(prev_hash or "", payload or "") and log._payload_matches(
                payload, row[4:]
            )
            if previous is not None:
                ok = ok and seq == previous[0] + 1 and prev_hash == previous[3]
            else:
                ok = ok and seq == 1 and prev_hash == GENESIS
            if not ok:
                broken.append(seq)
            previous = row
        if rows and self._log_head()[0] != rows[-1][0]:
            broken.append(rows[-1][0])
        return [
            self._alert(
                "log",
                self.env._(
                    "Line %s of the security log does not match its chain: lines were "
                    "changed, removed or inserted outside Odoo.",
                    seq,
                ),
            )
            for seq in sorted(set(broken))[:20]
        ]

    @api.model
    def _alert(self, kind, text, date=None, who=""):
        if date and not isinstance(date, str):
            date = fields.Datetime.to_string(date.replace(microsecond=0))
        return {"kind": kind, "text": text, "date": date or False, "who": who}

    def _verify(self, private):
        """(alerts, new state) for this vault, unlocked with ``private``."""
        self.ensure_one()
        guard = self.env["vp.config.guard"]
        state = self._load_state(private)
        alerts = []
        if state is None:
            alerts.append(
                self._alert(
                    "state",
                    self.env._(
                        "The record of what you verified at your previous unlock was "
                        "altered or replaced outside Odoo."
                    ),
                )
            )
            state = {}
        snapshot = guard._snapshot()
        if "config" in state:
            for change in guard._changes(state["config"], snapshot):
                kinds = {
                    "added": self.env._("added"),
                    "changed": self.env._("changed"),
                    "removed": self.env._("removed"),
                }
                alerts.append(
                    self._alert(
                        "config",
                        f"{change['label']} {kinds[change['kind']]}: {change['name']}",
                        change["date"],
                        change["who"],
                    )
                )
        head = state.get("log") or [0, GENESIS]
        alerts += self._check_log_chain(head)
        if head[0]:
            logged = (
                self.env["vp.security.log"]
                .sudo()
                .search([("seq", ">", head[0]), ("event", "in", ("config_change", "config_lock"))])
            )
            for line in logged:
                alerts.append(
                    self._alert("config", line.message, line.date, line.actor_id.login or "")
                )
        keys = self._colleague_fingerprints()
        for uid, fingerprint in (state.get("keys") or {}).items():
            if uid in keys and keys[uid] != fingerprint:
                user = self.env["res.users"].sudo().browse(int(uid))
                alerts.append(
                    self._alert(
                        "key",
                        self.env._(
                            "The public key of %(user)s changed (was %(old)s, now %(new)s).",
                            user=user.name,
                            old=fingerprint,
                            new=keys[uid],
                        ),
                    )
                )
        new_state = {"config": snapshot, "log": self._log_head(), "keys": keys}
        return alerts, new_state

    @api.model
    def _digest(self, alerts):
        return hashlib.sha256(json.dumps(alerts, sort_keys=True).encode()).hexdigest()[:32]

    def _review(self, private, acknowledge=None):
        """Verify; raise VaultReview unless ``acknowledge`` confirms exactly the alerts.

        On success the new state is sealed into the vault."""
        self.ensure_one()
        alerts, new_state = self._verify(private)
        if alerts:
            digest = self._digest(alerts)
            if acknowledge != digest:
                raise VaultReview(
                    self.env._(
                        "Something changed that can affect the confidentiality of your "
                        "cases. Check the list below before you unlock."
                    ),
                    alerts,
                    digest,
                )
            self._log(
                "config_accepted",
                _lt(
                    "%(user)s saw %(n)s changes and unlocked the vault.",
                    user=self.env.user.name,
                    n=len(alerts),
                ),
                user=self.env.user,
            )
            new_state["log"] = self._log_head()
        self._save_state(private, new_state)
        return alerts

    @api.model
    def _pulse(self):
        return self.env["vp.config.guard"]._pulse()

    def _config_unchanged(self, private):
        """Cheap re-check while unlocked: does the configuration still match the state
        the counsellor accepted?"""
        self.ensure_one()
        state = self._load_state(private)
        if not state or "config" not in state:
            return False
        guard = self.env["vp.config.guard"]
        snapshot = guard._snapshot()
        if guard._changes(state["config"], snapshot):
            return False
        if snapshot != state["config"] and not self.env.cr.readonly:
            # only bundles Odoo built or cleaned since: remember them from now on, so
            # that a later change of their content shows (a read-only request leaves
            # it to the next one that may write)
            self._save_state(private, dict(state, config=snapshot))
        return True

    def _lock_for_config(self):
        self.ensure_one()
        _logger.warning("vault of uid %s locked: configuration changed", self.user_id.id)
        if self.env.cr.readonly:
            return  # the change itself is in the log and shows at the next unlock
        self._log(
            "config_lock",
            _lt(
                "The vault of %s locked itself: configuration that runs in counsellors' "
                "requests changed while it was unlocked.",
                self.user_id.name,
            ),
            user=self.user_id,
        )

    verified_cases_enc = fields.Text(
        string="Case revisions seen (sealed)", readonly=True, groups="base.group_no_one"
    )

    def _case_revisions(self, private):
        # an altered record of revisions counts as none (the verified state, checked at
        # every unlock, says when the vault row was replaced)
        return self._open_sealed(private, "verified_cases_enc") or {}

    def _remember_revision(self, private, case_id, revision):
        self.ensure_one()
        revisions = self._case_revisions(private)
        if revisions.get(str(case_id), 0) >= revision:
            return
        revisions[str(case_id)] = revision
        self._seal(private, "verified_cases_enc", revisions)

    @api.model
    def _reader_findings(self):
        """Plain, translated messages without content about the current counsellor's
        own cases: key rows of users who are not readers, and vaults of users outside
        the counsellor group."""
        user = self.env.user
        if not user.has_group(COUNSELLOR_GROUP):
            return []
        findings = []
        rows = self.env["vp.case.key"]._foreign_rows(reader_uid=user.id)
        for row in rows.sorted(lambda r: (r.case_id.name, r.user_id.id)):
            findings.append(
                self.env._(
                    "Case %(case)s holds a key for %(user)s, who is not its counsellor or a "
                    "deputy. Nothing new is encrypted for them; report it to your data "
                    "protection officer.",
                    case=row.case_id.name,
                    user=row.user_id.name,
                )
            )
        for vault in self.sudo().search([]).sorted(lambda v: v.user_id.id):
            if not vault.user_id.has_group(COUNSELLOR_GROUP):
                findings.append(
                    self.env._(
                        "%(user)s has a vault but is not a counsellor. Nothing is encrypted "
                        "for this vault; report it to your data protection officer.",
                        user=vault.user_id.name,
                    )
                )
        return findings

    def _reader_finding_events(self):
        """The findings in the shape of the events shown at unlock."""
        now = fields.Datetime.now()
        return [
            {"date": now, "event": "reader_finding", "description": message}
            for message in self._reader_findings()
        ]
