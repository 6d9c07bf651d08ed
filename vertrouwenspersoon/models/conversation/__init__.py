from . import vp_conversation_key
from . import vp_conversation
from . import vp_conversation_message
