from . import case_inzage
from . import time_statement_xlsx
from . import annual_report_pdf
