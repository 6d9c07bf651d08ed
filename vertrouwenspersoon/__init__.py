from . import controllers
from . import models
from . import report
from . import wizard
from . import wizards


def uninstall_hook(env):
    """What the security log made outside the ORM goes with the module."""
    env.cr.execute(
        "DROP FUNCTION IF EXISTS vp_security_log_append_only() CASCADE;"
        " DROP TABLE IF EXISTS vp_security_log_head;"
    )
