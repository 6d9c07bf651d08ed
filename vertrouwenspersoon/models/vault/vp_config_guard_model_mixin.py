# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Refuse configuration of the vault models, and log changes of what can run in a
counsellor's request (see config_guard.py for why)."""

from odoo import api, models


def _guard(env):
    return env["vp.config.guard"]


class _VaultModelConfig(models.AbstractModel):
    """Refuse creating, changing or deleting records of ``_vp_what`` that concern a vault
    model (``model_id``), and log every other change."""

    _name = "vp.config.guard.model.mixin"
    _description = "Guarded configuration of the vault models"

    def _vp_what(self):
        return self._description

    def _vp_check(self, extra_model_ids=()):
        _guard(self.env)._check_model_ids([*self.model_id.ids, *extra_model_ids], self._vp_what())

    @api.model_create_multi
    def create(self, vals_list):
        self.browse()._vp_check([v.get("model_id") for v in vals_list])
        return super().create(vals_list)

    def write(self, vals):
        self._vp_check([vals.get("model_id")])
        return super().write(vals)

    def unlink(self):
        self._vp_check()
        return super().unlink()
