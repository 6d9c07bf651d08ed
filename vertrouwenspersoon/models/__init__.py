from . import category
from . import counsellor
from . import appointment_slots
from . import appointment
from . import booking_attempt
