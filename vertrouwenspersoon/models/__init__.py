from . import category
from . import vault
