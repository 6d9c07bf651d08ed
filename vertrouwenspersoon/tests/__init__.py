from . import test_foundation
from . import test_translation
from . import test_case
from . import test_case_security
from . import test_case_http
