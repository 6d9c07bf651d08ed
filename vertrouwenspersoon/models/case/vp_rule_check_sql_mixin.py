# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Record rules of many records checked in one SQL query.

Odoo 18 re-checks the record rules of every record that ``read``, ``write`` or
``unlink`` touch, evaluating the rule domain in Python for each record and each leaf
(``filtered_domain``). For the 80 cases of a list that is most of the cost the rules
add. This mixin first asks the database, with the very domain the rules give, whether
all records are allowed. Only a yes is taken from SQL; anything else (a forbidden,
deleted or new record) goes to Odoo's own check, so errors and their messages are
Odoo's.
"""

from odoo import models
from odoo.osv import expression


class VpRuleCheckSqlMixin(models.AbstractModel):
    _name = "vp.rule.check.sql.mixin"
    _description = "Record rules checked in SQL for many records"

    def _check_access(self, operation):
        ids = self._ids
        many_real = len(ids) > 1 and all(isinstance(id_, int) for id_ in ids)
        if (
            many_real
            and not self.env.su
            and self.env["ir.model.access"].check(self._name, operation, raise_exception=False)
        ):
            domain = self.env["ir.rule"]._compute_domain(self._name, operation)
            if not domain:
                return None
            wanted = set(ids)
            allowed = (
                self.sudo()
                .with_context(active_test=False)
                .search(expression.AND([[("id", "in", list(wanted))], domain]), order="id")
            )
            if len(allowed) == len(wanted):
                return None
        return super()._check_access(operation)
