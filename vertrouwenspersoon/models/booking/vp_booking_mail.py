# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Booking e-mails as mail.template records that can only ever show neutral values.

The booking and reminder e-mails are ``mail.template`` records on this model (data/
mail_template_data.xml): translatable, and editable by the functional administrator
(Counsellor Configuration → E-mails). Two locks keep a template edit from adding content:

* a template is rendered with no record behind it: ``object`` is an empty record of this
  model, which has no fields, and the only values are the neutral ones of ``VALUES``
  (the date, the channel, the link, and the counsellor's reply where there is one);
* an edit whose subject or body uses anything else (``object.note``, ``user``, ``ctx``,
  a call, an attribute, ``t-call``...) is refused when it is saved, and a template changed
  behind the ORM's back is refused again before it renders.
"""

import ast
import re

from lxml import html

from odoo import api, models, tools
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL
from odoo.tools.rendering_tools import parse_inline_template

# What a booking e-mail may show: nothing about the case, the person or the counsellor role.
VALUES = ("when", "proposed", "channel", "url", "message")
# QWeb directives a template may use; t-att-* and t-attf-* are checked by prefix.
DIRECTIVES = {"t-out", "t-esc", "t-if", "t-elif", "t-else"}
SAFE_NODES = (
    ast.Expression,
    ast.Name,
    ast.Load,
    ast.Constant,
    ast.Compare,
    ast.Eq,
    ast.NotEq,
    ast.BoolOp,
    ast.And,
    ast.Or,
    ast.UnaryOp,
    ast.Not,
    ast.IfExp,
)
FORMAT_EXPRESSION = re.compile(r"\{\{(.+?)\}\}|#\{(.+?)\}")
EDITORS = ("vertrouwenspersoon.group_vp_manager", "base.group_system")


class VpBookingMail(models.Model):
    """The model of the booking mail templates: no fields and no records. Odoo refuses
    templates on abstract models, so it is an empty SQL view; nobody has access to it."""

    _name = "vp.booking.mail"
    _description = "Booking e-mail (neutral values only)"
    _auto = False

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE VIEW %s AS SELECT NULL::integer AS id WHERE FALSE",
                SQL.identifier(self._table),
            )
        )

    # ------------------------------------------------------------------ checks

    @api.model
    def _unsafe_expression(self, expression):
        """The part of ``expression`` a booking template may not use, or None."""
        try:
            tree = ast.parse(expression.strip(), mode="eval")
        except SyntaxError:
            return expression
        for node in ast.walk(tree):
            if not isinstance(node, SAFE_NODES):
                return ast.unparse(node) if isinstance(node, ast.expr) else expression
            if isinstance(node, ast.Name) and node.id not in VALUES:
                return node.id
        return None

    @api.model
    @tools.ormcache("subject", "body")
    def _unsafe_parts(self, subject, body):
        """Every expression of a subject (inline template) and a body (QWeb) that is not
        one of the neutral values, or a directive other than showing and choosing.

        Cached by the texts themselves (a tuple): every booking e-mail checks its
        template again before it renders, and the outbox sends two per booking; a text
        edited in any way (also behind the ORM) is another key, so it is checked anew."""
        found = []
        for _text, expression, *_rest in parse_inline_template(subject or ""):
            if expression and self._unsafe_expression(expression):
                found.append(expression)
        if body:
            root = html.fragment_fromstring(body, create_parent="div")
            for node in root.iter():
                if not isinstance(node.tag, str):
                    continue  # comments, processing instructions: not evaluated
                for name, value in node.attrib.items():
                    if not name.startswith("t-"):
                        continue
                    if name.startswith("t-attf-"):
                        expressions = [a or b for a, b in FORMAT_EXPRESSION.findall(value)]
                    elif name in DIRECTIVES or name.startswith("t-att-"):
                        expressions = [value] if name != "t-else" else []
                    else:
                        found.append(name)
                        continue
                    found += [e for e in expressions if self._unsafe_expression(e)]
        return tuple(found)

    @api.model
    def _check_template(self, subject, body):
        unsafe = self._unsafe_parts(subject, body)
        if unsafe:
            raise UserError(
                self.env._(
                    "A booking e-mail can only show %(values)s. Not allowed: %(unsafe)s.",
                    values=", ".join(VALUES),
                    unsafe=", ".join(sorted(set(unsafe))),
                )
            )

    @api.model
    def _check_editor(self):
        if self.env.su or any(self.env.user.has_group(group) for group in EDITORS):
            return
        raise AccessError(
            self.env._("Only the functional administrator can change the booking e-mails.")
        )

    # ------------------------------------------------------------------ rendering

    @api.model
    def _render(self, xmlid, values, lang=None):
        """(subject, body) of template ``xmlid`` in ``lang`` with the neutral ``values``."""
        unknown = set(values) - set(VALUES)
        if unknown:
            raise ValueError(f"not a neutral value of a booking e-mail: {sorted(unknown)}")
        template = self.env.ref(xmlid).sudo().with_context(lang=lang)
        if template.model != self._name:
            raise UserError(self.env._("%s is not a booking e-mail.", xmlid))
        # edited behind the ORM (SQL): checked again before anything renders
        self._check_template(template.subject, template.body_html)
        context = dict.fromkeys(VALUES, "") | values
        # object: an empty record of this field-less model, nothing to read from it
        subject = template._render_template(
            template.subject, self._name, [0], engine="inline_template", add_context=context
        )[0]
        body = template._render_template(
            template.body_html,
            self._name,
            [0],
            engine="qweb",
            add_context=context,
            options={"post_process": True},
        )[0]
        return subject, body
