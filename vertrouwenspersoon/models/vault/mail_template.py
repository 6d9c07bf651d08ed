# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models


class MailTemplate(models.Model):
    _name = "mail.template"
    _inherit = ["mail.template", "vp.config.guard.model.mixin"]
