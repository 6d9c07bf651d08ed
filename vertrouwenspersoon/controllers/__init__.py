from . import portal
from . import vault
from . import anonymous
