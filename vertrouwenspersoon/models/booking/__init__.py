# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import vp_counsellor
from . import vp_appointment
from . import vp_appointment_notice
from . import vp_booking_attempt
from . import vp_booking_guard
from . import mail_mail
from . import vp_booking_mail
