# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""scripts/dev.py stops with one paragraph, not a traceback, when installing the Python
dependencies has turned `odoo` into a namespace package (PEP 660 editable Odoo plus an OCA
addon wheel in site-packages/odoo/addons). Pure Python: fake `odoo` folders, no database."""

import importlib.util
import sys
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def dev(monkeypatch):
    spec = importlib.util.spec_from_file_location("vp_dev_script", ROOT / "scripts" / "dev.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    # -S: no site-packages, so the only `odoo` the probe finds is the fake one on PYTHONPATH
    monkeypatch.setattr(module, "ODOO_PYTHON", [sys.executable, "-S"])
    return module


def _site(tmp_path, *, regular):
    """A site folder where an addon wheel wrote odoo/addons/report_xlsx; with `regular`,
    Odoo itself is there too (odoo/__init__.py), as with a compat-mode editable install."""
    (tmp_path / "odoo" / "addons" / "report_xlsx").mkdir(parents=True)
    if regular:
        (tmp_path / "odoo" / "__init__.py").write_text("")
    return str(tmp_path)


def test_namespace_odoo_after_deps_stops_with_the_fix(dev, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PYTHONPATH", _site(tmp_path, regular=False))
    monkeypatch.setattr(dev, "check_odoo", lambda: (18, 0))
    monkeypatch.setattr(dev, "install_deps", lambda: None)
    # the process that ran pip still holds the regular `odoo` it imported before: the check
    # must look at what a new Odoo process will import, not at this cached module
    monkeypatch.setitem(sys.modules, "odoo", types.ModuleType("odoo"))
    sys.modules["odoo"].__file__ = "/somewhere/odoo/__init__.py"

    with pytest.raises(SystemExit) as stop:
        dev.cmd_deps([])

    assert stop.value.code == 2
    err = capsys.readouterr().err.strip()
    assert "Traceback" not in err
    assert "\n" not in err, "one paragraph"
    assert "namespace package" in err
    assert str(tmp_path / "odoo") in err
    assert "--config-settings editable_mode=compat" in err
    assert "Odoo source folder" in err


def test_regular_odoo_after_deps_goes_on(dev, tmp_path, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", _site(tmp_path, regular=True))
    monkeypatch.setattr(dev, "check_odoo", lambda: (18, 0))
    monkeypatch.setattr(dev, "install_deps", lambda: None)

    assert dev.cmd_deps([]) == 0


def test_preflight_checks_again_after_installing(dev, tmp_path, monkeypatch, capsys):
    """`make test` and `make run` go through preflight: same stop before Odoo starts."""
    site = _site(tmp_path, regular=True)
    monkeypatch.setenv("PYTHONPATH", site)
    monkeypatch.setattr(dev, "check_odoo", lambda: (18, 0))

    def wheel_install():  # what pip does: the addon wheel is there, Odoo's own files not
        (tmp_path / "odoo" / "__init__.py").unlink()

    monkeypatch.setattr(dev, "install_deps", wheel_install)
    monkeypatch.setattr(dev, "Postgres", lambda: pytest.fail("went on to PostgreSQL"))

    with pytest.raises(SystemExit) as stop:
        dev.preflight()

    assert stop.value.code == 2
    assert "editable_mode=compat" in capsys.readouterr().err


def test_namespace_odoo_before_anything_gets_the_same_paragraph(dev, monkeypatch, capsys):
    namespace = types.ModuleType("odoo")
    namespace.__path__ = ["/site-packages/odoo"]  # a namespace package has no __file__
    monkeypatch.setitem(sys.modules, "odoo", namespace)

    with pytest.raises(dev.SetupError) as error:
        dev.check_odoo()

    assert "namespace package" in str(error.value)
    assert "editable_mode=compat" in str(error.value)
