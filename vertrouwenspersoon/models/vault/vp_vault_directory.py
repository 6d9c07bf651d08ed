# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The public part of the counsellors' vaults: who has one, and its key fingerprint.

A counsellor reads only their own ``vp.vault`` row (record rule): failed attempts,
blocks, unlock and passphrase dates are nobody else's business. Colleagues compare
fingerprints here, in a database view that holds nothing else.
"""

from odoo import fields, models, tools


class VpVaultDirectory(models.Model):
    _name = "vp.vault.directory"
    _description = "Counsellor key fingerprints"
    _auto = False
    _rec_name = "user_id"
    _order = "user_id"

    user_id = fields.Many2one("res.users", string="Counsellor", readonly=True)
    fingerprint = fields.Char(readonly=True)
    public_key = fields.Char(readonly=True)
    date_setup = fields.Datetime(string="Set up on", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            f"""
            CREATE VIEW {self._table} AS
            SELECT id, user_id, fingerprint, public_key, create_date AS date_setup
              FROM vp_vault
            """
        )
