# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import controllers
from . import models
from . import reports
from . import wizards


def uninstall_hook(env):
    """What the security log made outside the ORM goes with the module."""
    env.cr.execute(
        "DROP FUNCTION IF EXISTS vp_security_log_append_only() CASCADE;"
        " DROP TABLE IF EXISTS vp_security_log_head;"
    )
