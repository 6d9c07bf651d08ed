# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import vp_annual_report_xlsx
from . import vp_annual_report_pdf
from . import vp_case_inzage_document
from . import vp_time_statement_xlsx
