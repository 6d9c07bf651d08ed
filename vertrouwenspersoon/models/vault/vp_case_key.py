# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Who holds keys and vaults who should not: shown to the counsellor at unlock.

The readers of a case are computed from the case (its counsellor and deputies who are
counsellors), so a key row or a vault planted with sudo or SQL receives nothing new.
These findings make sure such a plant does not go unnoticed either.
"""

from odoo import api, fields, models
from odoo.tools import SQL

from .res_users import COUNSELLOR_GROUP


class VpCaseKey(models.Model):
    _inherit = "vp.case.key"

    @api.model
    def _foreign_rows(self, case_ids=None, reader_uid=None):
        """Key rows held by someone who is not a reader of their case (see
        ``_vault_readers``): of the cases ``case_ids``, or of the cases ``reader_uid`` is
        counsellor or deputy of. One query, as it runs at every unlock."""
        self.env.flush_all()
        if case_ids is not None:
            scope = SQL("c.id = ANY(%s)", list(case_ids))
        else:
            scope = SQL(
                "(c.counsellor_id = %s OR EXISTS (SELECT 1 FROM vp_case_deputy_rel r"
                " WHERE r.case_id = c.id AND r.user_id = %s))",
                reader_uid,
                reader_uid,
            )
        group = self.env.ref(COUNSELLOR_GROUP)
        self.env.cr.execute(
            SQL(
                """
                SELECT k.id
                  FROM vp_case_key k
                  JOIN vp_case c ON c.id = k.case_id
                 WHERE %s
                   AND NOT (
                       (k.user_id = c.counsellor_id OR EXISTS (
                           SELECT 1 FROM vp_case_deputy_rel d
                            WHERE d.case_id = c.id AND d.user_id = k.user_id))
                       AND EXISTS (
                           SELECT 1 FROM res_groups_users_rel g
                            WHERE g.uid = k.user_id AND g.gid = %s)
                   )
                """,
                scope,
                group.id,
            )
        )
        return self.sudo().browse([row[0] for row in self.env.cr.fetchall()])


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
