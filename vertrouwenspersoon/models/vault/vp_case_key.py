# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Who holds keys and vaults who should not: shown to the counsellor at unlock.

The readers of a case are computed from the case (its counsellor and deputies who are
counsellors), so a key row or a vault planted with sudo or SQL receives nothing new.
These findings make sure such a plant does not go unnoticed either.
"""

from odoo import api, fields, models
from odoo.tools import SQL

from ..res_users import COUNSELLOR_GROUP
from . import vault_gate


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

    # a key handed out, rotated or revoked: the keys opened in this transaction are stale
    @api.model_create_multi
    def create(self, vals_list):
        vault_gate.forget_read_memo(self.env.cr)
        return super().create(vals_list)

    def write(self, vals):
        vault_gate.forget_read_memo(self.env.cr)
        return super().write(vals)

    def unlink(self):
        vault_gate.forget_read_memo(self.env.cr)
        return super().unlink()


class VpCaseKeyReaders(models.Model):
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
