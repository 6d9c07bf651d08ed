from . import category
from . import report_suppression
