# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Encryption at rest of case content (vp.case, vp.case.contact, vp.case.document).

Every content field becomes a non-stored computed field with an inverse; the stored
column is ``<field>_enc`` and holds only ciphertext:

* ``vp1:...``  encrypted with the case's random 256-bit data key (AES-256-GCM, the
  associated data binds model, record id and field name);
* ``vp1d:...`` a *drop*: content added while the writer could not use the case key
  (booking flow, cron, a locked counsellor creating a contact moment). Encrypted with
  a one-off key wrapped for the public key of every reader of the case; it becomes a
  ``vp1:`` value the next time a reader re-keys the case (share, revoke, hand over).

The case data key is stored in ``vp.case.key``, wrapped for each counsellor allowed
to read the case (its counsellor and deputies).
"""

from odoo import api, models
from odoo.exceptions import UserError

from ...tools import vault_crypto as vc
from ..res_users import COUNSELLOR_GROUP
from . import vault_gate
from .vp_vault_drop_mixin import DROP_PREFIX, VaultIntegrityError, envelope_hash


class VpVaultContentMixin(models.AbstractModel):
    """Shared machinery; concrete models declare ``_vault_fields`` and ``_vault_case``."""

    _name = "vp.vault.content.mixin"
    _inherit = "vp.vault.drop.mixin"
    _description = "Encrypted content (vault)"

    def _vault_case(self):
        """The vp.case a record belongs to (for its data key)."""
        raise NotImplementedError

    # ------------------------------------------------------------------ keys

    def _vault_readers(self, case):
        """Who may read the case: its counsellor and deputies who are counsellors now.

        Computed from the case alone, never from key rows or vaults found in the
        database: an administrator (sudo) or a DBA (SQL) can plant those.
        """
        case = case.sudo()
        return (case.counsellor_id | case.deputy_ids).filtered(
            lambda user: user.has_group(COUNSELLOR_GROUP)
        )

    def _vault_check_readers(self, case, readers):
        if not readers:
            raise UserError(
                self.env._(
                    "Case %s has no counsellor who may read it: hand it over to a "
                    "counsellor first.",
                    case.sudo().name,
                )
            )
        return readers

    def _vault_case_key(self, case, cache=None):
        """The case data key for the current user, or None (locked or not a reader)."""
        if cache is not None and case.id in cache:
            return cache[case.id]
        result = None
        if cache is not None and "private" in cache:
            private = cache["private"]
        else:
            private = self.env["vp.vault"]._get_private_key()
        if private is not None and case.id:
            row = (
                self.env["vp.case.key"]
                .sudo()
                .search_fetch(
                    [("case_id", "=", case.id), ("user_id", "=", self.env.uid)],
                    ["wrapped_key"],
                    limit=1,
                )
            )
            if row:
                try:
                    result = vc.unwrap_key(
                        private, row.wrapped_key, ("vp.case", case.id, self.env.uid)
                    )
                except vc.VaultCryptoError:
                    raise VaultIntegrityError(
                        self.env._(
                            "The key of case %s does not authenticate: it was tampered with.",
                            case.name,
                        )
                    ) from None
        if cache is not None:
            cache[case.id] = result
        return result

    def _vault_create_case_key(self, case):
        """A new data key, wrapped for every reader (public keys only: no unlock)."""
        data_key = vc.random_key()
        keys = self.env["vp.case.key"].sudo()
        for user in self._vault_check_readers(case, self._vault_readers(case)):
            keys.create(
                {
                    "case_id": case.id,
                    "user_id": user.id,
                    "wrapped_key": self.env["vp.vault"]._wrap_for(
                        user, data_key, ("vp.case", case.id, user.id)
                    ),
                }
            )
        # the manifest sealed under the new key is its commitment: a key row planted later
        # with another key does not open it
        case._vault_manifest_update(data_key, {}, after_revision=case._vault_known_revision())
        return data_key

    # ------------------------------------------------------------------ read

    @api.depends_context("uid")
    def _compute_vault_content(self):
        cache = {}
        private = None
        for record in self:
            res_id = record._origin.id or record.id
            case = record._vault_case()
            for fname in self._vault_fields:
                # no sudo: reading the ciphertext column applies the record rules
                envelope = record[f"{fname}_enc"] if isinstance(res_id, int) else False
                if not envelope:
                    record[fname] = False
                    continue
                if private is None:
                    private = self.env["vp.vault"]._get_private_key() or b""
                    if private:
                        # the case and its contact moments, read in one request,
                        # share the keys and manifests opened for them
                        cache = vault_gate.read_memo(self.env.cr, self.env.uid, private)
                    cache["private"] = private or None
                value = None
                if private:
                    value = record._vault_decrypt(envelope, fname, res_id, case, cache, private)
                if value is not None:
                    record[fname] = value
                elif fname in self._vault_binary_fields or not record._vault_is_reader(
                    envelope, case, cache
                ):
                    # not for this user at all (administrator, HR, other counsellor)
                    record[fname] = False
                else:
                    record[fname] = self._vault_placeholder()

    def _vault_is_reader(self, envelope, case, cache):
        """Could the current user read this value after unlocking?"""
        if envelope.startswith(DROP_PREFIX):
            return self._vault_drop_is_reader(envelope)
        slot = ("reader", case.id)
        if slot not in cache:
            cache[slot] = bool(
                self.env["vp.case.key"]
                .sudo()
                .search_count([("case_id", "=", case.id), ("user_id", "=", self.env.uid)])
            )
        return cache[slot]

    def _vault_decrypt(self, envelope, fname, res_id, case, cache, private):
        try:
            if envelope.startswith(DROP_PREFIX):
                value = self._vault_drop_open(envelope, fname, res_id, private)
            else:
                key = self._vault_case_key(case, cache)
                if key is None:
                    return None
                value = vc.decrypt_field(key, envelope, self._name, res_id, fname)
                self._vault_check_manifest(envelope, fname, res_id, case, key, cache)
            if value is None:
                return None
        except (vc.VaultCryptoError, ValueError, KeyError, TypeError):
            raise self._vault_integrity_error(fname, case) from None
        return self._vault_as_type(fname, value)

    # ------------------------------------------------------------------ write

    def _vault_write(self, fname):
        self._vault_store(fname)

    def _vault_store(self, fname):
        creating = self.env.context.get("vp_vault_creating")
        cache = {}
        manifests = {}  # case -> {manifest key: new ciphertext}, for the case-key writes
        for record in self:
            value = record._vault_value_to_store(fname)
            case = record._vault_case()
            if value is None:
                if case and self.env["vp.case.key"].sudo().search_count(
                    [("case_id", "=", case.id)]
                ):
                    manifests.setdefault(case, {})[record._vault_manifest_key(record.id, fname)] = (
                        ""
                    )
                continue
            if not case:
                raise UserError(self.env._("Content needs a case to be encrypted for."))
            key = record._vault_write_key(case, cache, creating)
            if key is None:
                envelope = record._vault_drop(case, fname, value)
            else:
                # the key must open the case's manifest before anything is encrypted with it
                case._vault_manifest(key, cache)
                envelope = vc.encrypt_field(key, value, record._name, record.id, fname)
                manifests.setdefault(case, {})[record._vault_manifest_key(record.id, fname)] = (
                    envelope
                )
            record.sudo()[f"{fname}_enc"] = envelope
        for case, entries in manifests.items():
            key = cache.get(case.id) or case._vault_case_key(case)
            if key is not None:
                case._vault_manifest_update(key, entries)

    def _vault_write_key(self, case, cache, creating):
        if case.id in cache:
            return cache[case.id]
        has_keys = self.env["vp.case.key"].sudo().search_count([("case_id", "=", case.id)])
        if not has_keys:
            key = self._vault_create_case_key(case)
        else:
            key = self._vault_case_key(case)
            if key is None and not creating:
                raise UserError(
                    self.env._(
                        "Your vault is locked (or case %s is not shared with you): unlock "
                        "your vault to change its content.",
                        case.name,
                    )
                )
        cache[case.id] = key
        return key

    def _vault_drop(self, case, fname, value):
        """Encrypt for every reader's public key; no unlock and no case key needed.

        The readers come from the case, not from its key rows (see _vault_readers).
        """
        readers = self._vault_check_readers(case, self._vault_readers(case))
        return self._vault_drop_for(readers, fname, value)

    @api.model_create_multi
    def create(self, vals_list):
        # creation paths may encrypt for public keys without an unlocked vault
        return (
            super(VpVaultContentMixin, self.with_context(vp_vault_creating=True))
            .create(vals_list)
            .with_env(self.env)
        )

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
