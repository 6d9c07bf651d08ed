from . import test_foundation
from . import test_translation
from . import test_appointment_booking
from . import test_appointment_concurrency
from . import test_appointment_security
from . import test_appointment_portal
