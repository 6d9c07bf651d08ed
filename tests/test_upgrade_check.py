# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""scripts/upgrade_check.py's comparison of two snapshots: what it calls lost or changed,
and that each declared difference is checked for what it promises. Pure Python: made-up
snapshots, no Odoo, no database (`make test` runs the check itself on a real upgrade)."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def check(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "scripts"))
    spec = importlib.util.spec_from_file_location(
        "vp_upgrade_check", ROOT / "scripts" / "upgrade_check.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "DECLARED", [])
    return module


def snapshot(columns=None, xmlids=None, params=None, updatable=()):
    return {
        "columns": dict(columns or {}),
        "rows": {},
        "xmlids": dict(xmlids or {}),
        "updatable": set(updatable),
        "params": dict(params or {}),
    }


CASE_NAME = {("vp_case", "name"): (3, 3, "a1")}


def test_the_same_data_passes(check):
    before = snapshot(CASE_NAME, {"demo_case": ("vp.case", 7)}, {"vertrouwenspersoon.x": "1"})
    after = snapshot(CASE_NAME, {"demo_case": ("vp.case", 7)}, {"vertrouwenspersoon.x": "1"})
    assert check.compare(before, after) == ([], [])


def test_lost_and_changed_are_listed(check):
    before = snapshot(
        {**CASE_NAME, ("vp_case", "note"): (3, 2, "b"), ("vp_case", "empty"): (3, 0, None)},
        {"demo_case": ("vp.case", 7), "demo_contact": ("vp.case.contact", 1)},
        {"vertrouwenspersoon.x": "1", "vertrouwenspersoon.y": "2"},
    )
    after = snapshot(
        {("vp_case", "name"): (3, 3, "other")},
        {"demo_case": ("vp.case", 8)},
        {"vertrouwenspersoon.x": "0"},
    )
    problems, _checked = check.compare(before, after)
    assert problems == [
        "changed vp_case.name: rows 3 -> 3, non-null 3 -> 3",
        "lost column vp_case.note (2 values)",  # the empty column may go
        "moved XML id vertrouwenspersoon.demo_case: ('vp.case', 7) -> ('vp.case', 8)",
        "lost XML id vertrouwenspersoon.demo_contact (vp.case.contact 1)",
        "changed system parameter vertrouwenspersoon.x",
        "lost system parameter vertrouwenspersoon.y",
    ]


def test_a_declared_rename_must_keep_the_values_and_the_field(check, monkeypatch):
    monkeypatch.setattr(
        check, "DECLARED", [("renamed", "vp_counsellor_contract", "user_id", "counsellor_id", "")]
    )
    field = ("ir.model.fields", 42)
    old = snapshot(
        {("vp_counsellor_contract", "user_id"): (2, 2, "c")},
        {"field_vp_counsellor_contract__user_id": field},
    )
    new_field = {"field_vp_counsellor_contract__counsellor_id": field}
    renamed = snapshot({("vp_counsellor_contract", "counsellor_id"): (2, 2, "c")}, new_field)
    assert check.compare(old, renamed) == (
        [],
        ["renamed vp_counsellor_contract user_id -> counsellor_id (2 values)"],
    )
    emptied = snapshot({("vp_counsellor_contract", "counsellor_id"): (2, 0, None)}, new_field)
    assert check.compare(old, emptied)[0] == [
        "declared renamed vp_counsellor_contract user_id: "
        + "counsellor_id does not hold the values user_id held ()"
    ]
    assert "counsellor_id missing" in check.compare(old, snapshot())[0][0]
    # a new field beside the old one (its XML id new, the old one dropped) is no rename
    new_record = {"field_vp_counsellor_contract__counsellor_id": ("ir.model.fields", 43)}
    beside = snapshot({("vp_counsellor_contract", "counsellor_id"): (2, 2, "c")}, new_record)
    assert check.compare(old, beside)[0] == [
        "declared renamed vp_counsellor_contract user_id: "
        + "field_vp_counsellor_contract__counsellor_id does not name the record "
        + "field_vp_counsellor_contract__user_id named (ir.model.fields 42) ()"
    ]


def test_a_declared_xmlid_rename_names_the_same_record(check, monkeypatch):
    monkeypatch.setattr(check, "DECLARED", [("xmlid renamed", "ir.ui.view", "a", "b", "")])
    before = snapshot(xmlids={"a": ("ir.ui.view", 5)})
    assert check.compare(before, snapshot(xmlids={"b": ("ir.ui.view", 5)})) == (
        [],
        ["xmlid renamed ir.ui.view a -> b"],
    )
    assert check.compare(before, snapshot(xmlids={"b": ("ir.ui.view", 6)}))[0] == [
        "declared xmlid renamed ir.ui.view a: b does not name the record a named (ir.ui.view 5) ()"
    ]


def test_a_declared_move_must_empty_the_old_column(check, monkeypatch):
    monkeypatch.setattr(check, "DECLARED", [("moved", "vp_case", "note", "note_enc", "vault")])
    before = snapshot({("vp_case", "note"): (3, 2, "b"), ("vp_case", "note_enc"): (3, 0, None)})
    moved = snapshot({("vp_case", "note_enc"): (3, 2, "e")})
    assert check.compare(before, moved)[0] == []
    kept = snapshot({("vp_case", "note"): (3, 2, "b"), ("vp_case", "note_enc"): (3, 2, "e")})
    assert check.compare(before, kept)[0] == [
        "declared moved vp_case note: 2 values before, 2 left, 2 in note_enc (vault)"
    ]


def test_a_declared_removed_xmlid_must_be_an_updatable_record_and_gone(check, monkeypatch):
    monkeypatch.setattr(
        check, "DECLARED", [("xmlid removed", "ir.ui.view", "mail_body", None, "template")]
    )
    view = {"mail_body": ("ir.ui.view", 5)}
    assert check.compare(snapshot(xmlids=view, updatable=["mail_body"]), snapshot()) == (
        [],
        ["xmlid removed ir.ui.view mail_body"],
    )
    # demo or noupdate records are data: declaring them removed does not pass
    assert check.compare(snapshot(xmlids=view), snapshot())[0] == [
        "declared xmlid removed ir.ui.view mail_body: "
        + "no such updatable record before the upgrade (template)"
    ]


def test_volatile_columns_may_change_but_not_vanish(check, monkeypatch):
    monkeypatch.setattr(check, "DECLARED", [("volatile", "*", "write_date", None, "")])
    before = snapshot({("vp_case", "write_date"): (3, 3, "t1")})
    assert check.compare(before, snapshot({("vp_case", "write_date"): (3, 3, "t2")}))[0] == []
    assert check.compare(before, snapshot())[0] == ["lost column vp_case.write_date (3 values)"]


def test_a_missing_base_revision_is_one_clear_message(check, tmp_path):
    with pytest.raises(check.CheckError, match="full clone"):
        check.export_base("0" * 40, tmp_path)


def test_without_git_one_clear_message(check, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(check.CheckError, match="needs `git` on PATH"):
        check.export_base("HEAD", tmp_path)


@pytest.mark.parametrize(
    ("env", "runs"),
    [
        ({}, True),
        ({"SKIP_UPGRADE_CHECK": "1"}, False),
        ({"SKIP_UPGRADE_CHECK": "1", "CI": "1"}, True),
    ],
)
def test_make_test_skips_it_locally_on_request_never_in_ci(check, monkeypatch, env, runs):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("SKIP_UPGRADE_CHECK", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    calls = []
    monkeypatch.setattr(check.dev.subprocess, "call", lambda cmd: calls.append(cmd) or 1)
    # a failing check counts as one failed test, a skipped one as nothing
    assert check.dev.run_upgrade_check() == ((0, 1) if runs else (0, 0))
    assert [cmd[-1].endswith("upgrade_check.py") for cmd in calls] == ([True] if runs else [])
