# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models


class MailTemplate(models.Model):
    """Templates on the vault models are refused (the mixin), with one exception: the
    booking e-mails, templates on vp.booking.mail, a model with neither fields nor
    records whose templates can only show neutral values. Those are checked on every
    save instead (vp_booking_mail.py), and only the functional administrator edits them."""

    _name = "mail.template"
    _inherit = ["mail.template", "vp.config.guard.model.mixin"]

    def _vp_booking_model_id(self):
        return self.env["ir.model"]._get_id("vp.booking.mail")

    def _vp_check(self, vals_list):
        booking = self._vp_booking_model_id()
        others = self.filtered(lambda template: template.model_id.id != booking)
        if vals_list is not None:
            vals_list = [vals for vals in vals_list if vals.get("model_id") != booking]
        return super(MailTemplate, others)._vp_check(vals_list)

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
