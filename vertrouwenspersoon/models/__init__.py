from . import category
from . import report_suppression
from . import awareness
from . import signal
from . import annual_report
from . import annual_report_outputs
