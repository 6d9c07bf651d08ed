# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models


class IrModelAccess(models.Model):
    _name = "ir.model.access"
    _inherit = ["ir.model.access", "vp.config.guard.model.mixin"]
