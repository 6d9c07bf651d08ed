# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import hashlib
import json

from odoo import api, fields, models
from odoo.exceptions import AccessError

from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG

# Events that are not about one case: every counsellor sees them.
GLOBAL_EVENTS = ("group_add", "group_remove")


GENESIS = "0" * 64


# Columns a line is hashed over; the trigger refuses any change of them.
FROZEN_COLUMNS = ("seq", "date", "event", "description", "payload", "prev_hash", "entry_hash")


PAYLOAD_KEYS = ("seq", "date", "event", "actor_id", "user_id", "case_id", "description")


def entry_hash(prev_hash, payload):
    return hashlib.sha256(f"{prev_hash}\n{payload}".encode()).hexdigest()


# A counsellor's own vault activity: shown to nobody else (record rule
# vp_security_log_rule_private_activity, events shown at unlock).
PRIVATE_EVENTS = (
    "vault_unlock_failed",
    "vault_passphrase_changed",
    "vault_recovered",
    "vault_recovery_code",
)


class VpSecurityLog(models.Model):
    """Append-only, hash-chained log of events a counsellor must be able to check: who
    was given access to a case, who joined or left the counsellor group, key and
    configuration changes, retention decisions. It never holds case content.

    Nobody, not even the superuser, can change or delete a line: the ORM refuses and a
    database trigger refuses ``UPDATE`` of the hashed columns and ``DELETE``. Each line
    holds the hash of the line before it, and every counsellor's vault keeps the head of
    the chain it last verified, so a database administrator who edits, deletes or
    re-chains lines is detected at the next unlock (see vp.vault).
    """

    _name = "vp.security.log"
    _description = "Counsellor security log"
    _order = "date desc, id desc"
    _rec_name = "event"

    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True, index=True)
    event = fields.Selection(
        [
            ("case_create", "Case created"),
            ("reassign", "Case handed over"),
            ("share", "Case shared with deputy"),
            ("revoke", "Deputy access revoked"),
            ("group_add", "Added to counsellor group"),
            ("group_remove", "Removed from counsellor group"),
            ("retention_extend", "Retention extended"),
            ("retention_destroy", "Content destroyed (retention)"),
            ("config_change", "Configuration changed"),
            ("config_accepted", "Configuration changes accepted"),
            ("config_lock", "Vault locked: configuration changed"),
            ("log_altered", "Security log altered"),
        ],
        required=True,
        readonly=True,
    )
    actor_id = fields.Many2one("res.users", string="Done by", readonly=True, ondelete="set null")
    user_id = fields.Many2one(
        "res.users", string="User concerned", readonly=True, ondelete="set null"
    )
    case_id = fields.Many2one("vp.case", readonly=True, ondelete="set null", index=True)
    description = fields.Text(readonly=True)
    seq = fields.Integer(readonly=True, index=True, copy=False)
    payload = fields.Text(readonly=True, copy=False, groups="base.group_no_one")
    prev_hash = fields.Char(readonly=True, copy=False, groups="base.group_no_one")
    entry_hash = fields.Char(readonly=True, copy=False, groups="base.group_no_one")

    _sql_constraints = [("seq_unique", "unique(seq)", "One line per place in the chain.")]

    def init(self):
        # DELETE and changes of the hashed columns are refused below the ORM, for the
        # superuser and for SQL alike (the FK columns may still be set null).
        changed = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in FROZEN_COLUMNS)
        self.env.cr.execute(
            f"""
            CREATE TABLE IF NOT EXISTS vp_security_log_head (
                id integer PRIMARY KEY, seq integer NOT NULL, hash varchar NOT NULL
            );
            INSERT INTO vp_security_log_head (id, seq, hash)
                SELECT 1, coalesce(max(seq), 0), %s FROM vp_security_log
                ON CONFLICT (id) DO NOTHING;
            CREATE OR REPLACE FUNCTION vp_security_log_append_only() RETURNS trigger AS $$
            BEGIN
                -- lines written before the chain (no seq) may still be cleaned by upgrades
                IF OLD.seq IS NOT NULL AND (TG_OP = 'DELETE' OR ({changed})) THEN
                    RAISE EXCEPTION 'vp_security_log is append-only';
                END IF;
                IF TG_OP = 'DELETE' THEN
                    RETURN OLD;
                END IF;
                RETURN NEW;
            END $$ LANGUAGE plpgsql;
            DROP TRIGGER IF EXISTS vp_security_log_append_only ON vp_security_log;
            CREATE TRIGGER vp_security_log_append_only
                BEFORE UPDATE OR DELETE ON vp_security_log
                FOR EACH ROW EXECUTE FUNCTION vp_security_log_append_only();
            """,
            (GENESIS,),
        )

    def write(self, vals):  # pylint: disable=method-required-super
        raise AccessError(self.env._("The security log is append-only."))

    def unlink(self):  # pylint: disable=method-required-super
        if self.env.context.get(MODULE_UNINSTALL_FLAG):
            return True  # the table goes with the module
        raise AccessError(self.env._("The security log is append-only."))

    @api.model
    def _log(self, event, description, case=None, user=None):
        """Append one line to the chain. Call as ``env["vp.security.log"].sudo()._log(...)``."""
        cr = self.env.cr
        # The one-row head table serialises appends: a concurrent append that committed
        # after this transaction began makes this UPDATE a serialization failure, which
        # Odoo answers by retrying the request on a fresh snapshot.
        cr.execute("SELECT seq, hash FROM vp_security_log_head WHERE id = 1 FOR UPDATE")
        last_seq, prev = cr.fetchone()
        seq = last_seq + 1
        date = fields.Datetime.now()
        vals = {
            "seq": seq,
            "date": date,
            "event": event,
            "description": description,
            "case_id": case.id if case else False,
            "user_id": user.id if user else False,
            "actor_id": self.env.uid,
        }
        payload = self._payload(vals)
        vals.update(payload=payload, prev_hash=prev, entry_hash=entry_hash(prev, payload))
        line = self.sudo().create(vals)
        cr.execute(
            "UPDATE vp_security_log_head SET seq = %s, hash = %s WHERE id = 1",
            (seq, vals["entry_hash"]),
        )
        return line

    @api.model
    def _payload(self, vals):
        """The text a line is hashed over (ids, not names: nothing of a case)."""
        return json.dumps(
            {k: str(vals.get(k) or "") for k in PAYLOAD_KEYS}, sort_keys=True, ensure_ascii=False
        )

    @api.model
    def _payload_matches(self, payload, columns):
        """Do the stored columns (date, event, description, actor, user, case) say what
        the hashed payload says? The links may have been set null since (a deleted user)."""
        try:
            data = json.loads(payload or "")
        except ValueError:
            return False
        date, event, description, *links = columns
        frozen = (str(date or ""), event or "", description or "")
        if (data.get("date"), data.get("event"), data.get("description")) != frozen:
            return False
        return all(
            link is None or data.get(key) == str(link)
            for key, link in zip(("actor_id", "user_id", "case_id"), links, strict=True)
        )


class VpSecurityLogVaultEvents(models.Model):
    """Vault events in the counsellors' security log."""

    _inherit = "vp.security.log"

    event = fields.Selection(
        selection_add=[
            ("vault_setup", "Vault set up"),
            ("vault_unlock_failed", "Wrong vault passphrase"),
            ("vault_passphrase_changed", "Vault passphrase changed"),
            ("vault_recovered", "Vault recovered with recovery code"),
            ("vault_recovery_code", "New vault recovery code"),
            ("vault_key_changed", "Public key changed"),
            ("vault_foreign_key", "Case key of a non-reader"),
        ],
        ondelete={
            "vault_setup": "cascade",
            "vault_unlock_failed": "cascade",
            "vault_passphrase_changed": "cascade",
            "vault_recovered": "cascade",
            "vault_recovery_code": "cascade",
            "vault_key_changed": "cascade",
            "vault_foreign_key": "cascade",
        },
    )
