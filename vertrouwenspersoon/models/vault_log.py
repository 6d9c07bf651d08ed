# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models

# A counsellor's own vault activity: shown to nobody else (record rule
# vp_security_log_rule_private_activity, events shown at unlock).
PRIVATE_EVENTS = (
    "vault_unlock_failed",
    "vault_passphrase_changed",
    "vault_recovered",
    "vault_recovery_code",
)


class VpSecurityLog(models.Model):
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
