# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What each counsellor last verified, kept inside their own vault, checked at unlock.

The *verified state* is sealed (AES-256-GCM) under a key derived from the counsellor's
private key, so nobody else can read or forge it; it holds

* ``config``: the configuration snapshot the counsellor accepted (vp.config.guard);
* ``log``: the head (place and hash) of the security log chain last verified;
* ``keys``: the fingerprints of the colleagues' public keys.

At every unlock the current state is compared with it. What changed (configuration, a
colleague's key, a log line edited or removed, configuration changes logged since, even
if undone) is shown to the counsellor, and the vault unlocks only once they confirm
having seen exactly that list.
"""

import hashlib
import json
import logging

from odoo import api, fields, models

from . import vault_crypto as vc
from .security_log import GENESIS, entry_hash
from .security_log_text import _lt
from .vault import VaultError

_logger = logging.getLogger(__name__)


class VaultReview(VaultError):
    """The vault stays locked until the counsellor has seen these alerts."""

    def __init__(self, message, alerts, digest):
        super().__init__(message)
        self.alerts = alerts
        self.digest = digest


class VpVault(models.Model):
    _inherit = "vp.vault"

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
        return not guard._changes(state["config"], guard._snapshot())

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
