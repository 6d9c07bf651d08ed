# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Who holds keys and vaults who should not: shown to the counsellor at unlock.

The readers of a case are computed from the case (its counsellor and deputies who are
counsellors), so a key row or a vault planted with sudo or SQL receives nothing new.
These findings make sure such a plant does not go unnoticed either.
"""

from odoo import api, fields, models

from .res_users import COUNSELLOR_GROUP


class VpVault(models.Model):
    _inherit = "vp.vault"

    @api.model
    def _reader_findings(self):
        """Plain, translated messages without content about the current counsellor's
        own cases: key rows of users who are not readers, and vaults of users outside
        the counsellor group."""
        user = self.env.user
        if not user.has_group(COUNSELLOR_GROUP):
            return []
        findings = []
        cases = (
            self.env["vp.case"]
            .sudo()
            .with_context(active_test=False)
            .search(["|", ("counsellor_id", "=", user.id), ("deputy_ids", "in", user.ids)])
        )
        for row in cases._vault_foreign_keys().sorted(lambda r: (r.case_id.name, r.user_id.id)):
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
