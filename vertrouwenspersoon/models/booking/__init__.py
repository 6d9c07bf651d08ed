from . import vp_booking_mail
