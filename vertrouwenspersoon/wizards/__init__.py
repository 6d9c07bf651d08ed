# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import vp_time_statement
from . import vp_case_dashboard
from . import vp_share_wizard_mixin
from . import vp_case_share
from . import vp_case_retention_extend
from . import vp_conversation_share
from . import vp_config_settings
