# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models

from .vp_config_guard_model_mixin import _guard


class IrModelFields(models.Model):
    _inherit = "ir.model.fields"

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

    @api.model_create_multi
    def create(self, vals_list):
        guard = _guard(self.env)
        if not guard._installing():
            for vals in vals_list:
                model_name = vals.get("model") or (
                    self.env["ir.model"].browse(vals.get("model_id")).model
                    if vals.get("model_id")
                    else None
                )
                if self._vp_reaches_vault(vals, model_name):
                    guard._refuse(self.env._("Custom field %s", vals.get("name", "")))
        records = super().create(vals_list)
        guard._log_change(
            self.env._("Custom field"), records.filtered(lambda f: f.state == "manual"), "create"
        )
        return records

    def write(self, vals):
        guard = _guard(self.env)
        if not guard._installing():
            for field in self:
                merged = {"relation": field.relation, "related": field.related, **vals}
                if field.state == "manual" and self._vp_reaches_vault(merged, field.model):
                    guard._refuse(self.env._("Custom field %s", field.name))
        guard._log_change(
            self.env._("Custom field"), self.filtered(lambda f: f.state == "manual"), "write"
        )
        return super().write(vals)
