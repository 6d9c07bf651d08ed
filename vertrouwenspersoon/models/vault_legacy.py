# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Plaintext left by builds before a field was encrypted: encrypted, then dropped.

Odoo keeps the column of a field that became non-stored, with its plaintext. On every
install or upgrade, such values are encrypted for their readers and the column is
dropped. A value whose readers cannot receive it yet (no vault) keeps the column, and
the log says what to do, without content. Appointments do the same in
``appointment_vault.py``.
"""

import logging

from odoo import models
from odoo.tools import SQL, sql

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


class VpCase(models.Model):
    _inherit = "vp.case"

    def init(self):
        result = super().init()
        encrypt_legacy_columns(self, self._encrypt_legacy_value)
        self._scrub_legacy_retention_log()
        return result

    def _encrypt_legacy_value(self, case, fname, value):
        readers = _with_vault(self.env, self._vault_readers(case))
        return None if readers is None else case._vault_drop_for(readers, fname, value)

    def _scrub_legacy_retention_log(self):
        """Older builds wrote the reason for an extension into the log line."""
        self.env.cr.execute(
            r"""
            UPDATE vp_security_log
               SET description = substring(description from '^(.*?\d{4}-\d{2}-\d{2}): ') || '.'
             WHERE event = 'retention_extend'
               AND description ~ '\d{4}-\d{2}-\d{2}: '
            """
        )


class VpCaseDocument(models.Model):
    _inherit = "vp.case.document"

    def init(self):
        result = super().init()
        encrypt_legacy_columns(self, self._encrypt_legacy_value)
        return result

    def _encrypt_legacy_value(self, document, fname, value):
        readers = _with_vault(self.env, self._vault_readers(document.case_id))
        return None if readers is None else document._vault_drop_for(readers, fname, value)
