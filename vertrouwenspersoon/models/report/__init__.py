# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import vp_counsellor_owned_mixin
from . import vp_awareness
from . import vp_signal
from . import vp_annual_report_year
from . import vp_annual_report
