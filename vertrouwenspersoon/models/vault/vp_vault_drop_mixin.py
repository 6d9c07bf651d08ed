# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Vault drops: content encrypted for the public keys of its readers.

A drop needs no unlocked vault and no case key to write: a one-off AES-256-GCM key
encrypts the value (associated data: model, record id, field) and is wrapped for the
public key of every reader. Only a reader with an unlocked vault opens it.

``vp.vault.drop.mixin`` gives any model encrypted content fields stored as drops: the
model lists them in ``_vault_fields`` and says who may read them in
``_vault_drop_readers()``. The case content mixin builds on the same primitives.
"""

import base64
import hashlib
import json
import logging

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, sql

from ...tools import vault_crypto as vc
from .vp_vault import LOCKED_PLACEHOLDER

# Plaintext left by builds before a field was encrypted: encrypted, then dropped.
#
# Odoo keeps the column of a field that became non-stored, with its plaintext. On every
# install or upgrade, such values are encrypted for their readers and the column is
# dropped. A value whose readers cannot receive it yet (no vault) keeps the column, and
# the log says what to do, without content (``encrypt_legacy_columns``: cases, their
# documents, appointments, time entries and expenses).


DROP_PREFIX = "vp1d:"


class VaultIntegrityError(UserError):
    """Ciphertext that does not authenticate: tampered or moved."""


def encrypted_field(field_type, fname, compute="_compute_vault_content", **kwargs):
    """A content field: computed from ``<fname>_enc``, written and searched through the
    vault (``_vault_write`` and ``_vault_search`` of the model's mixin)."""

    def inverse(records):
        records._vault_write(fname)

    def search(records, operator, value):
        return records._vault_search(fname, operator, value)

    return field_type(compute=compute, inverse=inverse, search=search, store=False, **kwargs)


def envelope_hash(envelope):
    return hashlib.sha256((envelope or "").encode()).hexdigest()[:32]


_logger = logging.getLogger(__name__)


def encrypt_legacy_columns(model, encrypt):
    """Encrypt the plain columns of ``model._vault_fields`` that still exist.

    ``encrypt(record, fname, value)`` returns the envelope, or None while the record's
    readers cannot receive it (the column then stays until the next upgrade).
    """
    cr = model.env.cr
    for fname in model._vault_fields:
        if not sql.column_exists(cr, model._table, fname):
            continue
        cr.execute(
            SQL(
                "SELECT id, %s FROM %s WHERE %s IS NOT NULL",
                SQL.identifier(fname),
                SQL.identifier(model._table),
                SQL.identifier(fname),
            )
        )
        rows = [(record_id, value) for record_id, value in cr.fetchall() if value]
        waiting = 0
        for record_id, value in rows:
            if isinstance(value, memoryview):  # an old binary column
                value = bytes(value)
            record = model.sudo().browse(record_id)
            envelope = encrypt(record, fname, value)
            if envelope is None:
                waiting += 1
                continue
            record.write({f"{fname}_enc": envelope})
        model.env.flush_all()
        if waiting:
            _logger.warning(
                "%s: %d old plain value(s) of %s wait for their readers' vaults; set them "
                "up, then upgrade the module again",
                model._name,
                waiting,
                fname,
            )
            continue
        cr.execute(
            SQL(
                "ALTER TABLE %s DROP COLUMN %s",
                SQL.identifier(model._table),
                SQL.identifier(fname),
            )
        )
        _logger.info("%s: %d old plain value(s) of %s encrypted", model._name, len(rows), fname)


def _with_vault(env, users):
    """``users`` if every one of them has a vault to receive content, else None."""
    vaults = env["vp.vault"]
    if not users or any(not (v := vaults._vault_of(u)) or not v.public_key for u in users):
        return None
    return users


class VpVaultDropMixin(models.AbstractModel):
    _name = "vp.vault.drop.mixin"
    _description = "Encrypted content for its readers (vault drops)"

    _vault_fields = ()
    _vault_binary_fields = ()

    # a model whose content is for one counsellor names the field that holds them
    _vault_counsellor_field = None

    def _vault_drop_readers(self):
        """The users who may read this record's content (each needs a vault): by default
        the counsellor in ``_vault_counsellor_field``, while a counsellor (a user removed
        from the group, or an administrator put in their place, receives nothing new)."""
        if not self._vault_counsellor_field:
            raise NotImplementedError
        counsellor = self.sudo()[self._vault_counsellor_field]
        if not counsellor.has_group("vertrouwenspersoon.group_vp_counsellor"):
            raise UserError(
                self.env._(
                    "%s is no longer a counsellor: nothing can be written for them.",
                    counsellor.name,
                )
            )
        return counsellor

    # ------------------------------------------------------------------ primitives

    def _vault_drop_for(self, users, fname, value):
        """Encrypt ``value`` for every user's public key; no unlock needed."""
        key = vc.random_key()
        wrapped = {}
        for user in users:
            wrapped[str(user.id)] = self.env["vp.vault"]._wrap_for(
                user, key, ("vp.drop", self._name, self.id, fname, user.id)
            )
        inner = vc.encrypt_field(key, value, self._name, self.id, fname)
        payload = json.dumps({"k": wrapped, "c": inner}).encode()
        return DROP_PREFIX + base64.b64encode(payload).decode()

    def _vault_drop_is_reader(self, envelope):
        try:
            drop = json.loads(base64.b64decode(envelope[len(DROP_PREFIX) :]))
            return str(self.env.uid) in drop["k"]
        except (ValueError, KeyError, TypeError):
            return False

    def _vault_drop_open(self, envelope, fname, res_id, private):
        """The plaintext for the current user, or None if the drop is not for them.

        Raises VaultCryptoError / ValueError when the ciphertext does not authenticate.
        """
        drop = json.loads(base64.b64decode(envelope[len(DROP_PREFIX) :]))
        wrapped = drop["k"].get(str(self.env.uid))
        if not wrapped:
            return None
        key = vc.unwrap_key(private, wrapped, ("vp.drop", self._name, res_id, fname, self.env.uid))
        return vc.decrypt_field(key, drop["c"], self._name, res_id, fname)

    def _vault_as_type(self, fname, value):
        if fname in self._vault_binary_fields:
            return value if isinstance(value, bytes) else value.encode()
        return value if isinstance(value, str) else value.decode()

    def _vault_placeholder(self):
        return self.env._("\U0001f512 Locked: unlock your vault to read")

    def _vault_placeholders(self):
        return {LOCKED_PLACEHOLDER, self._vault_placeholder()}

    def _vault_integrity_error(self, fname, record=None):
        """The refusal for content of ``record`` (default: this one) that fails to
        authenticate; a contact moment names its case."""
        return VaultIntegrityError(
            self.env._(
                "Encrypted content of %(record)s (%(field)s) does not authenticate: it "
                "was tampered with or moved. Nothing is shown.",
                record=(record if record is not None else self).display_name,
                field=self._fields[fname].string,
            )
        )

    # ------------------------------------------------------------------ fields

    @api.depends(lambda self: [f"{fname}_enc" for fname in self._vault_fields])
    @api.depends_context("uid")
    def _compute_vault_drop_content(self):
        private = None
        for record in self:
            res_id = record._origin.id or record.id
            for fname in self._vault_fields:
                # no sudo: reading the ciphertext column applies the record rules
                envelope = record[f"{fname}_enc"] if isinstance(res_id, int) else False
                if not envelope or not record._vault_drop_is_reader(envelope):
                    record[fname] = False  # nothing, or not for this user at all
                    continue
                if private is None:
                    private = self.env["vp.vault"]._get_private_key() or b""
                if not private:
                    record[fname] = self._vault_placeholder()
                    continue
                try:
                    value = record._vault_drop_open(envelope, fname, res_id, private)
                except (vc.VaultCryptoError, ValueError, KeyError, TypeError):
                    raise record._vault_integrity_error(fname) from None
                record[fname] = False if value is None else record._vault_as_type(fname, value)

    def _vault_value_to_store(self, fname):
        """The value of ``fname`` to encrypt, or None (empty: the column is cleared)."""
        self.ensure_one()
        value = self[fname]
        if not value:
            self.sudo()[f"{fname}_enc"] = False
            return None
        if value in self._vault_placeholders():
            raise UserError(self.env._("Unlock your vault before changing the content."))
        if isinstance(value, str) and fname in self._vault_binary_fields:
            value = value.encode()
        return value

    @api.depends_context("uid")
    def _compute_vault_locked(self):
        """For a ``vault_locked`` field: the current user's vault is locked."""
        locked = not self.env["vp.vault"].is_vault_unlocked()
        for record in self:
            record.vault_locked = locked

    def action_unlock_vault(self):
        """To the unlock page, and back to this record (one the user may read)."""
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.act_url",
            "url": f"/vertrouwenspersoon/vault?redirect=/odoo/{self._vault_return_path()}",
            "target": "self",
        }

    def _vault_return_path(self):
        """This record inside the window action of a menu, so the web client comes back
        with the app's menu bar (``/odoo/<model>/<id>`` opens the bare form)."""
        actions = (
            self.env["ir.actions.act_window"]
            .sudo()
            .search([("res_model", "=", self._name)], order="id")
        )
        menus = (
            self.env["ir.ui.menu"]
            .sudo()
            .search([("action", "in", [f"ir.actions.act_window,{a.id}" for a in actions])])
        )
        in_menu = {menu.action.id for menu in menus}
        action = next((a for a in actions if a.id in in_menu), None)
        return f"action-{action.id}/{self.id}" if action else f"{self._name}/{self.id}"

    def _vault_write(self, fname):
        """Store what was written to the content field ``fname`` (see encrypted_field)."""
        self._vault_drop_store(fname)

    def _vault_drop_store(self, fname):
        for record in self:
            value = record._vault_value_to_store(fname)
            if value is None:
                continue
            readers = record._vault_drop_readers()
            record.sudo()[f"{fname}_enc"] = record._vault_drop_for(readers, fname, value)
        # no plaintext lingers in the cache of the writer (often sudo): read it back
        # through the vault like anyone else
        self.invalidate_recordset([fname])

    def _vault_search(self, fname, operator, value):
        """Search encrypted content: decrypt what the current user can read, in memory.

        Locked users and non-readers find nothing; no plaintext index ever exists.
        """
        if operator in ("=", "!=") and not value:
            return [(f"{fname}_enc", operator, False)]
        positive = operator in ("=", "like", "ilike", "=like", "=ilike")
        if operator not in ("=", "!=", "like", "ilike", "not like", "not ilike", "=like", "=ilike"):
            raise UserError(self.env._("Encrypted content cannot be searched this way."))
        needle = str(value)
        candidates = self.search([(f"{fname}_enc", "!=", False)])
        matches = []
        for record in candidates:
            text = record[fname]
            if not text or text in self._vault_placeholders():
                continue
            if operator in ("=", "!="):
                hit = text == needle
            elif operator in ("ilike", "not ilike", "=ilike"):
                hit = needle.lower() in text.lower()
            else:
                hit = needle in text
            if hit:
                matches.append(record.id)
        if positive:
            return [("id", "in", matches)]
        return [("id", "not in", matches)]

    # Integrity of case content against a database administrator who puts back an older
    # ciphertext in place of a newer one.
    #
    # Each ciphertext is bound to its record and field (AES-GCM associated data), so it cannot
    # be moved; but an older ciphertext of the *same* field still authenticates. So every case
    # keeps a *manifest*, sealed under the case key: a revision number and the hash of the
    # current ciphertext of every content field of the case and its contact moments and
    # documents. A value that does not match its manifest entry was put back or forged, and
    # is refused. A whole older manifest put back with its values is caught by the revision:
    # each counsellor's vault remembers (sealed) the highest revision of every case they wrote
    # or read.
    #
    # Content that nobody with the case key wrote (a booking note, a contact moment added
    # while locked, a drop forged by whoever knows the public key) is a *drop*: it is shown
    # marked as written without the vault (``vault_unverified``), until a counsellor re-keys
    # the case.
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
