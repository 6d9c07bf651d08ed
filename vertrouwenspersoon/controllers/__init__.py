from . import portal
from . import vault
