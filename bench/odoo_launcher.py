"""Start Odoo from a file, so that a prefork server (--workers) can re-spawn itself."""

from odoo.cli.command import main

if __name__ == "__main__":
    main()
