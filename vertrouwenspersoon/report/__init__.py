from . import time_statement_xlsx
