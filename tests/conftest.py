# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The addon's ORM-free code (``vertrouwenspersoon/tools``) loaded without Odoo.

Importing ``vertrouwenspersoon`` itself would load its models, which Odoo only accepts
under ``odoo.addons``; the tools package has no such import, so it is loaded on its own
as ``vp_tools`` and these tests need neither Odoo nor a database.
"""

import importlib.util
import sys
from pathlib import Path

TOOLS = Path(__file__).resolve().parent.parent / "vertrouwenspersoon" / "tools"

if "vp_tools" not in sys.modules:
    spec = importlib.util.spec_from_file_location(
        "vp_tools", TOOLS / "__init__.py", submodule_search_locations=[str(TOOLS)]
    )
    package = importlib.util.module_from_spec(spec)
    sys.modules["vp_tools"] = package
    spec.loader.exec_module(package)
