from . import category
from . import time_entry
from . import time_summary
from . import budget
from . import counsellor_contract
from . import time_demo
