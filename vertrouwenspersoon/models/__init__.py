# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Mixins load before the models that use them: vault first (its drop and content mixins),
# then the domains that keep content in it.
from . import res_users
from . import res_groups
from . import ir_ui_menu
from . import res_config_settings
from . import vault
from . import case
from . import booking
from . import time
from . import report
from . import conversation
