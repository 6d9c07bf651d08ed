from . import time_statement
