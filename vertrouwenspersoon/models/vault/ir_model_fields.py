# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models

from .vp_config_guard_model_mixin import _guard


class IrModelFields(models.Model):
    _name = "ir.model.fields"
    _inherit = ["ir.model.fields", "vp.config.guard.model.mixin"]

    def _vp_reaches_vault(self, vals, model_name):
        """A custom field on a vault model, pointing to one, or related through one."""
        guard = _guard(self.env)
        if guard._is_vault_model(model_name) or guard._is_vault_model(vals.get("relation")):
            return True
        related = vals.get("related")
        current = self.env.get(model_name) if model_name else None
        for name in (related or "").split(".") if related else []:
            if current is None or name not in current._fields:
                break
            field = current._fields[name]
            if not field.comodel_name:
                break
            if guard._is_vault_model(field.comodel_name):
                return True
            current = self.env[field.comodel_name]
        return False

    def _vp_what(self):
        return self.env._("Custom field")

    def _vp_check(self, vals_list):
        guard = _guard(self.env)
        if guard._installing() or vals_list is None:
            return  # deleting a field takes nothing to the vault
        if not self:  # create
            for vals in vals_list:
                model_name = vals.get("model") or (
                    self.env["ir.model"].browse(vals.get("model_id")).model
                    if vals.get("model_id")
                    else None
                )
                if self._vp_reaches_vault(vals, model_name):
                    guard._refuse(self.env._("Custom field %s", vals.get("name", "")))
        for field in self.filtered(lambda f: f.state == "manual"):
            merged = {"relation": field.relation, "related": field.related, **vals_list[0]}
            if self._vp_reaches_vault(merged, field.model):
                guard._refuse(self.env._("Custom field %s", field.name))

    def _vp_logged(self):
        return self.filtered(lambda field: field.state == "manual")
