from . import case_inzage
