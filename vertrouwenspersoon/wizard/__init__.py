from . import time_statement
from . import vp_conversation_share
