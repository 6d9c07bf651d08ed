# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models


class IrRule(models.Model):
    _name = "ir.rule"
    _inherit = ["ir.rule", "vp.config.guard.model.mixin"]
