from . import test_foundation
from . import test_translation
from . import test_vault
from . import test_vault_http
