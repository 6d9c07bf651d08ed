# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import vp_published_year_mixin
from . import vp_monthly_summary_mixin
from . import vp_time_entry
from . import vp_time_summary
from . import vp_time_guideline
from . import vp_budget
from . import vp_expense
from . import vp_expense_summary
from . import vp_counsellor_contract
