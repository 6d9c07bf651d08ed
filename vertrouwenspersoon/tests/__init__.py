from . import test_foundation
from . import test_translation
from . import test_report_suppression
from . import test_annual_report
from . import test_report_security
