# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Refuse configuration of the vault models, and log changes of what can run in a
counsellor's request (see config_guard.py for why)."""

from odoo import api, models


def _guard(env):
    return env["vp.config.guard"]


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


class IrActionsServer(models.Model):
    _inherit = "ir.actions.server"

    @api.model_create_multi
    def create(self, vals_list):
        _guard(self.env)._check_model_ids(
            [v.get("model_id") for v in vals_list], self.env._("Server action")
        )
        return super().create(vals_list)

    def write(self, vals):
        guard = _guard(self.env)
        guard._check_model_ids(
            [*self.model_id.ids, vals.get("model_id")], self.env._("Server action")
        )
        return super().write(vals)

    def unlink(self):
        _guard(self.env)._check_model_ids(self.model_id.ids, self.env._("Server action"))
        return super().unlink()


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


class IrRule(models.Model):
    _name = "ir.rule"
    _inherit = ["ir.rule", "vp.config.guard.model.mixin"]


class IrModelAccess(models.Model):
    _name = "ir.model.access"
    _inherit = ["ir.model.access", "vp.config.guard.model.mixin"]


class MailTemplate(models.Model):
    """Templates on the vault models are refused (the mixin), with one exception: the
    booking e-mails, templates on vp.booking.mail, a model with neither fields nor
    records whose templates can only show neutral values. Those are checked on every
    save instead (vp_booking_mail.py), and only the functional administrator edits them."""

    _name = "mail.template"
    _inherit = ["mail.template", "vp.config.guard.model.mixin"]

    def _vp_booking_model_id(self):
        return self.env["ir.model"]._get_id("vp.booking.mail")

    def _vp_check(self, extra_model_ids=()):
        booking = self._vp_booking_model_id()
        others = self.filtered(lambda template: template.model_id.id != booking)
        extra = [model_id for model_id in extra_model_ids if model_id != booking]
        return super(MailTemplate, others)._vp_check(extra)

    def _vp_booking_templates(self):
        return self.filtered(lambda template: template.model == "vp.booking.mail")

    def _vp_check_booking_templates(self):
        booking = self._vp_booking_templates()
        if not booking:
            return
        Mail = self.env["vp.booking.mail"]
        Mail._check_editor()
        langs = [code for code, _name in self.env["res.lang"].get_installed()]
        for template in booking.sudo():
            for lang in langs:
                translated = template.with_context(lang=lang)
                Mail._check_template(translated.subject, translated.body_html)

    @api.model_create_multi
    def create(self, vals_list):
        templates = super().create(vals_list)
        templates._vp_check_booking_templates()
        return templates

    def write(self, vals):
        if self._vp_booking_templates():
            self.env["vp.booking.mail"]._check_editor()
        result = super().write(vals)
        self._vp_check_booking_templates()
        return result

    def unlink(self):
        if self._vp_booking_templates():
            self.env["vp.booking.mail"]._check_editor()
        return super().unlink()

    def _check_access_right_dynamic_template(self):
        # the check of vp.booking.mail is stricter than Odoo's placeholder check, which
        # would keep a functional administrator who is no template editor from saving
        return super(
            MailTemplate, self - self._vp_booking_templates()
        )._check_access_right_dynamic_template()


class IrUiView(models.Model):
    _inherit = "ir.ui.view"

    def _vp_touches_addon(self, vals=None):
        """A view of a vault model, or one inheriting (or being) a view of this addon."""
        guard = _guard(self.env)
        vals = vals or {}
        views = self | self.browse(vals.get("inherit_id") or [])
        if guard._is_vault_model(vals.get("model")):
            return True
        for view in views.sudo():
            chain = view
            while chain:
                if guard._is_vault_model(chain.model):
                    return True
                xmlid = chain.get_external_id().get(chain.id, "")
                if xmlid.startswith("vertrouwenspersoon."):
                    return True
                chain = chain.inherit_id
        return False

    @api.model_create_multi
    def create(self, vals_list):
        guard = _guard(self.env)
        if not guard._installing():
            for vals in vals_list:
                if self.browse()._vp_touches_addon(vals):
                    guard._refuse(self.env._("View %s", vals.get("name") or ""))
        records = super().create(vals_list)
        guard._log_change(
            self.env._("View"), records.filtered(lambda v: v.type == "qweb"), "create"
        )
        return records

    def write(self, vals):
        guard = _guard(self.env)
        if not guard._installing() and self._vp_touches_addon(vals):
            guard._refuse(self.env._("View %s", ", ".join(self.mapped("name"))))
        guard._log_change(self.env._("View"), self.filtered(lambda v: v.type == "qweb"), "write")
        return super().write(vals)

    def unlink(self):
        guard = _guard(self.env)
        if not guard._installing() and self._vp_touches_addon():
            guard._refuse(self.env._("View %s", ", ".join(self.mapped("name"))))
        guard._log_change(self.env._("View"), self.filtered(lambda v: v.type == "qweb"), "unlink")
        return super().unlink()


class IrAsset(models.Model):
    """Scripts and styles of the web client and the portal: not refused (an organisation
    may brand its Odoo), but logged and fingerprinted (config_guard)."""

    _inherit = "ir.asset"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        _guard(self.env)._log_change(self.env._("Web asset"), records, "create")
        return records

    def write(self, vals):
        _guard(self.env)._log_change(self.env._("Web asset"), self, "write")
        return super().write(vals)

    def unlink(self):
        _guard(self.env)._log_change(self.env._("Web asset"), self, "unlink")
        return super().unlink()
