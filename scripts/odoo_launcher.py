# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Start Odoo from a file (not `python -m odoo`), so a prefork server (--workers) can re-spawn."""

from odoo.cli.command import main

if __name__ == "__main__":
    main()
