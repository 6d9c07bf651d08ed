from . import test_foundation
from . import test_translation
from . import test_report_suppression
