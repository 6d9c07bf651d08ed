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

from odoo import api, fields, models
from odoo.exceptions import UserError

from . import vault_crypto as vc
from .res_users import COUNSELLOR_GROUP
from .security_log_text import _lt
from .vault_drop import DROP_PREFIX, encrypted_field

_encrypted = encrypted_field


class VaultIntegrityError(UserError):
    """Ciphertext that does not authenticate: tampered or moved."""


class VpCaseKey(models.Model):
    _name = "vp.case.key"
    _description = "Case key wrapped for a counsellor"
    _order = "case_id, user_id"

    case_id = fields.Many2one("vp.case", required=True, ondelete="cascade", index=True)
    user_id = fields.Many2one("res.users", required=True, ondelete="cascade", index=True)
    wrapped_key = fields.Char(required=True)

    _sql_constraints = [
        ("case_user_unique", "unique(case_id, user_id)", "One wrapped key per reader."),
    ]


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
                .search([("case_id", "=", case.id), ("user_id", "=", self.env.uid)], limit=1)
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
            raise VaultIntegrityError(
                self.env._(
                    "Encrypted content of %(record)s (%(field)s) does not authenticate: it "
                    "was tampered with or moved. Nothing is shown.",
                    record=case.display_name,
                    field=self._fields[fname].string,
                )
            ) from None
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


class VpCase(models.Model):
    _name = "vp.case"
    _inherit = ["vp.case", "vp.vault.content.mixin"]

    _vault_fields = (
        "melder_name",
        "melder_contact",
        "others_involved",
        "description",
        "notes",
        "retention_reason",
    )

    melder_name = _encrypted(fields.Char, "melder_name")
    melder_contact = _encrypted(fields.Char, "melder_contact")
    others_involved = _encrypted(fields.Text, "others_involved")
    description = _encrypted(fields.Text, "description")
    notes = _encrypted(fields.Text, "notes")
    melder_name_enc = fields.Text(copy=False)
    melder_contact_enc = fields.Text(copy=False)
    others_involved_enc = fields.Text(copy=False)
    description_enc = fields.Text(copy=False)
    notes_enc = fields.Text(copy=False)
    # why the counsellor keeps the case longer tells about the case: content too
    retention_reason = _encrypted(fields.Text, "retention_reason")
    retention_reason_enc = fields.Text(copy=False)
    vault_key_ids = fields.One2many("vp.case.key", "case_id", string="Wrapped case keys")
    vault_locked = fields.Boolean(
        compute="_compute_vault_locked",
        string="Vault locked",
        help="The content of this case is encrypted and your vault is locked.",
    )

    def _vault_case(self):
        return self

    def action_unlock_vault(self):
        self._check_own_case()
        return super().action_unlock_vault()

    # ------------------------------------------------------------------ re-keying

    def _vault_require_key(self):
        """The data key of this case for the current (unlocked) user, or a clear error."""
        self.ensure_one()
        if not self.env["vp.vault"].is_vault_unlocked():
            raise UserError(self.env._("Unlock your vault first: sharing needs the case key."))
        if not self.env["vp.case.key"].sudo().search_count([("case_id", "=", self.id)]):
            return self._vault_create_case_key(self)
        key = self._vault_case_key(self)
        if key is None:
            raise UserError(
                self.env._("You hold no key for case %s, so you cannot share it.", self.name)
            )
        return key

    def _vault_content_records(self):
        self.ensure_one()
        case = self.sudo()
        return [(case, case._vault_fields), *case._vault_child_records()]

    def _vault_child_records(self):
        return [
            (self.contact_ids, self.env["vp.case.contact"]._vault_fields),
            (self.document_ids, self.env["vp.case.document"]._vault_fields),
        ]

    def _vault_rekey(self, rotate=False):
        """Re-encrypt all content of this case (drops included) and re-wrap its key for
        the current readers. ``rotate``: under a fresh data key (after a revoke)."""
        self.ensure_one()
        old_key = self._vault_require_key()
        revision = (self._vault_manifest(old_key) or {"rev": 0})["rev"]
        private = self.env["vp.vault"]._get_private_key()
        cache = {self.id: old_key}
        plain = []
        for records, fnames in self._vault_content_records():
            for record in records:
                for fname in fnames:
                    envelope = record[f"{fname}_enc"]
                    if not envelope or (not rotate and not envelope.startswith(DROP_PREFIX)):
                        continue
                    value = record._vault_decrypt(envelope, fname, record.id, self, cache, private)
                    if value is None:
                        raise UserError(
                            self.env._(
                                "Content of case %s was added for other counsellors only; "
                                "it cannot be re-encrypted by you.",
                                self.name,
                            )
                        )
                    plain.append((record, fname, value))
        keys = self.env["vp.case.key"].sudo()
        if rotate:
            keys.search([("case_id", "=", self.id)]).unlink()
            new_key = self._vault_create_case_key(self)
        else:
            new_key = old_key
            readers = self._vault_readers(self)
            existing = keys.search([("case_id", "=", self.id)])
            foreign = existing.filtered(lambda k: k.user_id not in readers)
            foreign.unlink()
            for user in readers - (existing - foreign).user_id:
                keys.create(
                    {
                        "case_id": self.id,
                        "user_id": user.id,
                        "wrapped_key": self.env["vp.vault"]._wrap_for(
                            user, new_key, ("vp.case", self.id, user.id)
                        ),
                    }
                )
        entries = {}
        for record, fname, value in plain:
            envelope = vc.encrypt_field(new_key, value, record._name, record.id, fname)
            record.sudo()[f"{fname}_enc"] = envelope
            entries[record._vault_manifest_key(record.id, fname)] = envelope
        # a rotated key seals a fresh manifest (all content was re-encrypted above)
        self._vault_manifest_update(new_key, entries, after_revision=revision if rotate else None)

    # ------------------------------------------------------------------ sharing

    def _vault_counsellor_with_vault(self, user):
        """Vault checks only for a counsellor: anything else is refused by the case code."""
        if user and user.has_group("vertrouwenspersoon.group_vp_counsellor"):
            self.env["vp.vault"]._public_key_of(user)  # they need a vault to receive a key

    def _vault_foreign_keys(self):
        """Key rows of these cases held by someone who is not a reader (planted with
        sudo or SQL, or left to a counsellor who has left the group)."""
        return self.env["vp.case.key"]._foreign_rows(case_ids=self.ids)

    def _vault_log_foreign_keys(self):
        """Before re-keying drops them, log the key rows of non-readers: never unnoticed."""
        for row in self._vault_foreign_keys():
            self.env["vp.security.log"].sudo()._log(
                "vault_foreign_key",
                _lt(
                    "Case %(case)s held a key for %(user)s, who is not its counsellor or a "
                    "deputy; it was removed and nothing new is encrypted for them.",
                    case=row.case_id.name,
                    user=row.user_id.name,
                ),
                case=row.case_id,
                user=row.user_id,
            )

    def _vault_check_verified_key(self, user):
        """Share only with the key the counsellor saw at their last unlock: a colleague's
        key replaced since then is reviewed at the next unlock first."""
        vault = self.env["vp.vault"]._vault_of()
        private = self.env["vp.vault"]._get_private_key()
        colleague = self.env["vp.vault"]._vault_of(user)
        if not vault or private is None or not colleague:
            return
        state = vault._load_state(private) or {}
        keys = state.setdefault("keys", {})
        known = keys.get(str(user.id))
        if known is None:
            # a colleague who set up a vault since: trusted on first use, remembered
            keys[str(user.id)] = colleague.fingerprint
            vault._save_state(private, state)
        elif known != colleague.fingerprint:
            raise UserError(
                self.env._(
                    "The key of %s is not the one you verified at your last unlock. Lock "
                    "and unlock your vault to review the change before you share.",
                    user.name,
                )
            )

    def _change_access(self, event, user, vals, message):
        if event == "share":
            vault = self.env["vp.vault"]._vault_of(user)
            if vault:
                message = _lt(
                    "%(line)s Case key wrapped for key fingerprint %(fp)s.",
                    line=message,
                    fp=vault.fingerprint,
                )
        return super()._change_access(event, user, vals, message)

    def action_share_with(self, user):
        user = self._counsellor_arg(user)
        self._check_own_case(deputy_allowed=False)
        self._vault_log_foreign_keys()
        self._vault_counsellor_with_vault(user)
        for case in self:
            case._vault_require_key()
        self._vault_check_verified_key(user)
        result = super().action_share_with(user)
        for case in self:
            if user in case.deputy_ids and user not in case.sudo().vault_key_ids.user_id:
                case._vault_rekey()
        return result

    def action_revoke(self, user):
        user = self._counsellor_arg(user)
        self._check_own_case(deputy_allowed=False)
        self._vault_log_foreign_keys()
        for case in self:
            case._vault_require_key()
        result = super().action_revoke(user)
        for case in self:
            if user not in case.deputy_ids and user in case.sudo().vault_key_ids.user_id:
                # a fresh data key: whatever the deputy may have kept opens nothing new
                case._vault_rekey(rotate=True)
        return result

    def action_hand_over(self, user):
        user = self._counsellor_arg(user)
        self._check_own_case(deputy_allowed=False)
        self._vault_log_foreign_keys()
        self._vault_counsellor_with_vault(user)
        keys = {}
        for case in self:
            case._vault_rekey()  # drops under the case key, so the new counsellor reads them
            keys[case.id] = case._vault_require_key()
        result = super().action_hand_over(user)
        for case in self.sudo():
            # the new counsellor gets the key, the previous one keeps none
            rows = self.env["vp.case.key"].sudo().search([("case_id", "=", case.id)])
            readers = self._vault_readers(case)
            rows.filtered(lambda k, r=readers: k.user_id not in r).unlink()
            if case.counsellor_id not in rows.exists().user_id:
                rows.create(
                    {
                        "case_id": case.id,
                        "user_id": case.counsellor_id.id,
                        "wrapped_key": self.env["vp.vault"]._wrap_for(
                            case.counsellor_id,
                            keys[case.id],
                            ("vp.case", case.id, case.counsellor_id.id),
                        ),
                    }
                )
        return result

    # ------------------------------------------------------------------ retention

    def _retention_destroy(self):
        result = super()._retention_destroy()
        self.env["vp.case.key"].sudo().search([("case_id", "in", self.ids)]).unlink()
        return result


class VpCaseContact(models.Model):
    _name = "vp.case.contact"
    _inherit = ["vp.case.contact", "vp.vault.content.mixin"]

    _vault_fields = ("notes",)

    notes = _encrypted(fields.Text, "notes")
    notes_enc = fields.Text(copy=False)

    def _vault_case(self):
        return self.case_id


class VpCaseDocument(models.Model):
    _name = "vp.case.document"
    _inherit = ["vp.case.document", "vp.vault.content.mixin"]

    # the file name ("verslag gesprek met ...") can name a person: content too
    _vault_fields = ("datas", "name")
    _vault_binary_fields = ("datas",)

    datas = fields.Binary(
        compute="_compute_vault_content", inverse="_inverse_datas", store=False, attachment=False
    )
    datas_enc = fields.Text(copy=False)
    name = _encrypted(fields.Char, "name")
    name_enc = fields.Text(copy=False)

    def _vault_case(self):
        return self.case_id

    def _inverse_datas(self):
        self._vault_store("datas")
