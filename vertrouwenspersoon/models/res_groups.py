# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models

from .res_users import _counsellor_ids, _log_membership


class ResGroups(models.Model):
    _inherit = "res.groups"

    def write(self, vals):
        if not {"users", "implied_ids"} & set(vals):
            return super().write(vals)
        before = _counsellor_ids(self.env)
        result = super().write(vals)
        _log_membership(self.env, before)
        return result
