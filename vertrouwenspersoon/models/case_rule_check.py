from odoo import models


class VpCase(models.Model):
    _name = "vp.case"
    _inherit = ["vp.case", "vp.rule.check.sql.mixin"]


class VpCaseContact(models.Model):
    _name = "vp.case.contact"
    _inherit = ["vp.case.contact", "vp.rule.check.sql.mixin"]


class VpCaseDocument(models.Model):
    _name = "vp.case.document"
    _inherit = ["vp.case.document", "vp.rule.check.sql.mixin"]
