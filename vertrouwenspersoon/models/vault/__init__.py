# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import vault_gate
from . import vp_security_log
from . import vp_sudo_only_mixin
from . import vp_vault
from . import ir_http
from . import vp_vault_drop_mixin
from . import vp_vault_content_mixin
from . import vp_case_key
from . import vp_config_guard
from . import vp_config_guard_model_mixin
from . import ir_model_fields
from . import ir_actions_server
from . import ir_rule
from . import ir_model_access
from . import mail_template
from . import ir_ui_view
from . import ir_asset
from . import vp_vault_directory
from . import ir_attachment
