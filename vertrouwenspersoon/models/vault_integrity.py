# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Integrity of case content against a database administrator who puts back an older
ciphertext in place of a newer one.

Each ciphertext is bound to its record and field (AES-GCM associated data), so it cannot
be moved; but an older ciphertext of the *same* field still authenticates. So every case
keeps a *manifest*, sealed under the case key: a revision number and the hash of the
current ciphertext of every content field of the case and its contact moments and
documents. A value that does not match its manifest entry was put back or forged, and
is refused. A whole older manifest put back with its values is caught by the revision:
each counsellor's vault remembers (sealed) the highest revision of every case they wrote
or read.

Content that nobody with the case key wrote (a booking note, a contact moment added
while locked, a drop forged by whoever knows the public key) is a *drop*: it is shown
marked as written without the vault (``vault_unverified``), until a counsellor re-keys
the case.
"""

import hashlib

from odoo import fields, models

from . import vault_crypto as vc
from .vault_drop import DROP_PREFIX


def envelope_hash(envelope):
    return hashlib.sha256((envelope or "").encode()).hexdigest()[:32]


class VpVaultDropMixin(models.AbstractModel):
    _inherit = "vp.vault.drop.mixin"

    vault_unverified = fields.Boolean(
        string="Written without the vault",
        compute="_compute_vault_unverified",
        help="Some content was written by someone who could not use the case key (a "
        "booking form, a contact moment added while the vault was locked): it is what "
        "was sent, not confirmed by a counsellor.",
    )

    def _compute_vault_unverified(self):
        for record in self:
            record.vault_unverified = any(
                (record.sudo()[f"{fname}_enc"] or "").startswith(DROP_PREFIX)
                for fname in record._vault_fields
            )


class VpVaultContentMixin(models.AbstractModel):
    _inherit = "vp.vault.content.mixin"

    def _vault_manifest_key(self, res_id, fname):
        return f"{self._name}:{res_id}:{fname}"

    def _vault_check_manifest(self, envelope, fname, res_id, case, key, cache):
        """Refuse a case-key ciphertext that is not the one its manifest names."""
        manifest = case._vault_manifest(key, cache)
        if manifest is None:
            return  # a case without a manifest yet (written before manifests existed)
        expected = manifest["f"].get(self._vault_manifest_key(res_id, fname))
        if expected is not None and expected != envelope_hash(envelope):
            raise case._vault_replay_error()


class VpCase(models.Model):
    _inherit = "vp.case"

    vault_manifest_enc = fields.Text(copy=False, groups="base.group_no_one")

    def _vault_manifest_context(self):
        return ("vp.case.manifest", self.id)

    def _vault_manifest(self, key, cache=None):
        """The manifest of this case (opened with ``key``), None when it has none yet;
        an integrity error when it was altered, or older than its readers saw."""
        self.ensure_one()
        slot = ("manifest", self.id)
        if cache is not None and slot in cache:
            return cache[slot]
        envelope = self.sudo().vault_manifest_enc
        manifest = None
        if not envelope:
            # every case key comes with a manifest: none, for a case a reader saw, means
            # it was removed (to slip in a key row of someone else's making)
            self._vault_check_revision(0, cache)
        else:
            try:
                manifest = vc.open_document(key, envelope, *self._vault_manifest_context())
            except (vc.VaultCryptoError, ValueError):
                raise self._vault_replay_error() from None
            self._vault_check_revision(manifest["rev"], cache)
        if cache is not None:
            cache[slot] = manifest
        return manifest

    def _vault_check_revision(self, revision, cache=None):
        cache = {} if cache is None else cache
        if "private" not in cache:
            cache["private"] = self.env["vp.vault"]._get_private_key()
        private = cache["private"]
        if "vault" not in cache:
            cache["vault"] = self.env["vp.vault"]._vault_of()
        vault = cache["vault"]
        if not vault or private is None:
            return
        if "revisions" not in cache:
            cache["revisions"] = vault._case_revisions(private)
        known = cache["revisions"].get(str(self.id), 0)
        if revision < known:
            raise self._vault_replay_error()
        if revision > known and not self.env.cr.readonly:
            # remembered on a read only where the request may write (Odoo 18 serves
            # reads on read-only cursors); the next write remembers it anyway
            vault._remember_revision(private, self.id, revision)

    def _vault_manifest_update(self, key, entries, after_revision=None):
        """Record new ciphertexts ({manifest key: envelope or ""}) under a new revision.

        ``after_revision``: start a fresh manifest after that revision (the case key was
        rotated, so the old manifest cannot be opened with ``key``)."""
        self.ensure_one()
        if after_revision is None:
            manifest = self._vault_manifest(key) or {"rev": 0, "f": {}}
        else:
            manifest = {"rev": after_revision, "f": {}}
        manifest["rev"] += 1
        for name, envelope in entries.items():
            manifest["f"][name] = envelope_hash(envelope) if envelope else ""
        self.sudo().vault_manifest_enc = vc.seal_document(
            key, manifest, *self._vault_manifest_context()
        )
        vault = self.env["vp.vault"]._vault_of()
        private = self.env["vp.vault"]._get_private_key()
        if vault and private is not None:
            vault._remember_revision(private, self.id, manifest["rev"])

    def _vault_known_revision(self):
        """The highest revision of this case the current user's vault remembers."""
        self.ensure_one()
        vault = self.env["vp.vault"]._vault_of()
        private = self.env["vp.vault"]._get_private_key()
        if not vault or private is None:
            return 0
        return vault._case_revisions(private).get(str(self.id), 0)

    def _vault_replay_error(self):
        from .vault_case import VaultIntegrityError  # noqa: PLC0415 (defined with cases)

        return VaultIntegrityError(
            self.env._(
                "Case %s is not the version last written: an older copy was put back "
                "outside Odoo. Nothing is shown; warn your fellow counsellors.",
                self.name,
            )
        )


class VpVault(models.Model):
    _inherit = "vp.vault"

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
