# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Pages rendered from a file of views/ with Jinja2, never from a view in the database:
the vault pages and the anonymous channel. Nothing an administrator configures is added
to a page where a passphrase, a message or a receipt code is typed. Autoescape (nothing
typed is ever HTML), no script at all, no cache."""

from pathlib import Path

import jinja2

from odoo.http import request

PAGES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(Path(__file__).resolve().parent.parent / "views")),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)
# No script, no frame, no form to elsewhere, only this addon's stylesheets.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = [
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("Cache-Control", "no-store"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Content-Type-Options", "nosniff"),
]


def render_page(template, values, status=200):
    """The response of page ``template`` (a file of views/) rendered with ``values``."""
    html = PAGES.get_template(template).render(values)
    return request.make_response(
        html, headers=[("Content-Type", "text/html; charset=utf-8"), *HEADERS], status=status
    )
