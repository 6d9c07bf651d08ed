from . import vault
