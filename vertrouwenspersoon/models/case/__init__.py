# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import vp_category
from . import vp_referral_type
from . import vp_rule_check_sql_mixin
from . import vp_share_mixin
from . import vp_case
from . import vp_case_contact
from . import vp_case_document
