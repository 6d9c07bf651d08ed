#!/usr/bin/env python3
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Upgrade check: a database installed with an older revision of the addon keeps its data.

    python3 scripts/upgrade_check.py [--base REV] [--keep]   # make upgrade-check BASE=REV

1. ``git archive REV vertrouwenspersoon`` into a temporary folder (REV defaults to def2be9,
   the last commit before the addon moved into its domain layout);
2. a fresh database with that addon, its demo data and the companion modules of `make test`;
3. a snapshot: for every stored column of the addon's tables (and the columns it adds to
   other models, and its many2many tables) the row count, the count of non-null values
   and an md5 of the values in id order; the addon's XML ids (model, res_id); its
   system parameters ``vertrouwenspersoon.%``;
4. ``-u vertrouwenspersoon`` with the working tree's addon, the snapshot again;
5. compare: every column that held data still exists with the same values, every XML id
   points to the same record, every parameter keeps its value. What an upgrade changes on
   purpose is declared in DECLARED below, and each declaration is checked for what it
   promises. Anything else lost or changed fails the check (exit 1), listing what.

Rows the upgrade may rightly touch are left out of both snapshots alike: rows created by
the upgrade (ids above the highest before it) and the addon's own data records that its
XML files keep up to date (ir_model_data with noupdate false: views, groups' names...).
"""

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import dev

DEFAULT_BASE = "def2be9"

# What an upgrade from the base changes on purpose: one line per difference.
#   ("renamed", table, old_column, new_column, why)   the same values under the new name,
#       and the field's XML id field_<table>__<old> renamed with it (same ir.model.fields)
#   ("moved", table, old_column, new_column, why)     the values transformed into
#       new_column (hashed, encrypted): old_column empty or gone, new_column holds at
#       least as many values as old_column held
#   ("volatile", table or "*", column, None, why)     may change; must still exist
#   ("xmlid removed", model, xml_id, None, why)         the addon's own updatable record
#       (noupdate false: a view, a menu) the new version no longer ships; must be gone
#   ("xmlid renamed", model, old_xml_id, new_xml_id, why)   the same record, new XML id
DECLARED = [
    ("volatile", "*", "write_date", None, "the upgrade writes the records it recomputes"),
    ("volatile", "*", "write_uid", None, "the upgrade writes the records it recomputes"),
    # 18.0.1.1.0 (migrations/18.0.1.1.0/pre-migrate.py): one name for the counsellor field
    ("renamed", "vp_counsellor_contract", "user_id", "counsellor_id", "counsellor field"),
    (
        "xmlid renamed",
        "ir.model.fields",
        "field_vp_time_statement__user_id",
        "field_vp_time_statement__counsellor_id",
        "counsellor field of the time statement dialog (transient: no data)",
    ),
    # the booking e-mails became mail.template records on vp.booking.mail (issue 15)
    ("xmlid removed", "ir.ui.view", "vp_appointment_mail_body", None, "now a mail.template"),
    ("xmlid removed", "ir.ui.view", "vp_appointment_confirm_mail_body", None, "mail.template"),
]

SNAPSHOT_SQL_FIELDS = """
    SELECT f.model, f.name, f.ttype, f.relation_table, f.column1, f.column2
      FROM ir_model_fields f
      JOIN ir_model_data d ON d.model = 'ir.model.fields' AND d.res_id = f.id
     WHERE d.module = %s AND f.store
"""
# The models the addon creates (its XML id on the ir.model is the first one), not those it
# only extends (res.users, ir.ui.view...): of these only the addon's own fields count.
SNAPSHOT_SQL_MODELS = """
    SELECT m.model FROM ir_model m
      JOIN ir_model_data d ON d.model = 'ir.model' AND d.res_id = m.id
     WHERE NOT m.transient
     GROUP BY m.id, m.model
    HAVING (array_agg(d.module ORDER BY d.id))[1] = %s
"""


# Odoo runs once for the install and once for the upgrade, then stops
ONCE = ("--stop-after-init", "--no-http", "--log-level=warn", "--max-cron-threads=0")


class CheckError(Exception):
    """A foreseeable reason the check cannot run, in one paragraph."""


def git(*args, text=True):
    try:
        return subprocess.run(
            ["git", *args], cwd=dev.ROOT, check=True, capture_output=True, text=text
        ).stdout
    except FileNotFoundError as exc:
        raise CheckError("The upgrade check needs `git` on PATH to export the base.") from exc
    except subprocess.CalledProcessError as exc:
        stderr = (exc.stderr if text else exc.stderr.decode(errors="replace")).strip()
        raise CheckError(
            f"`git {' '.join(args)}` failed: {stderr or 'no such revision'}. The upgrade check "
            "needs the repository's history (a full clone, not a shallow one: "
            "`git fetch --unshallow`) and the base revision in it."
        ) from exc


def export_base(rev, folder):
    """The addon as it was at ``rev``, written into ``folder``; returns the commit."""
    commit = git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").strip()
    archive = git("archive", commit, dev.ADDON, text=False)
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return commit


def odoo_with_addons(pg, database, addon_root, *extra):
    """dev.odoo_command with the addon taken from ``addon_root`` instead of the tree."""
    command = dev.odoo_command(pg, database, *extra)
    paths = [str(addon_root)] + [
        p for p in dev.addons_path().split(",") if Path(p) != dev.ROOT.resolve()
    ]
    return [
        f"--addons-path={','.join(paths)}" if a.startswith("--addons-path=") else a for a in command
    ]


def connect(pg, database):
    import psycopg2

    if pg.external:
        return psycopg2.connect(dbname=database)
    return psycopg2.connect(
        dbname=database, host=str(pg.sockets), port=dev.PG_PRIVATE_PORT, user=dev.PG_SUPERUSER
    )


# --------------------------------------------------------------------------- snapshot


def table_columns(cr):
    cr.execute(
        "SELECT table_name, column_name FROM information_schema.columns"
        " WHERE table_schema = 'public'"
    )
    columns = {}
    for table, column in cr.fetchall():
        columns.setdefault(table, set()).add(column)
    return columns


def scope(cr):
    """{table: {"columns": set, "key": model or None, ...}} of what the addon stores."""
    existing = table_columns(cr)
    cr.execute(SNAPSHOT_SQL_MODELS, [dev.ADDON])
    own_models = {model for (model,) in cr.fetchall()}
    tables = {}
    for model in own_models:
        table = model.replace(".", "_")
        if table in existing:  # abstract models have no table
            tables[table] = {"model": model, "columns": set(existing[table])}
    cr.execute(SNAPSHOT_SQL_FIELDS, [dev.ADDON])
    for model, name, ttype, relation_table, column1, column2 in cr.fetchall():
        table = model.replace(".", "_")
        if ttype == "many2many" and relation_table in existing:
            tables[relation_table] = {
                "model": None,
                "owner": model,
                "owner_column": column1,
                "columns": {column1, column2},
            }
        elif ttype not in ("one2many", "many2many") and name in existing.get(table, ()):
            tables.setdefault(table, {"model": model, "columns": set()})["columns"].add(name)
    for kind, table, _old, new, _why in DECLARED:  # where renamed or moved values go
        if kind in ("renamed", "moved") and table in tables:
            tables[table]["columns"].add(new)
    return tables


def row_filter(table, info, limits):
    """WHERE clause keeping the rows that existed before and are not the addon's data."""
    if info["model"]:
        key, model = "id", info["model"]
    else:
        key, model = info["owner_column"], info["owner"]
    max_id, updatable = limits.get(model, (None, ()))
    clauses = []
    if max_id is not None:
        clauses.append(f'"{key}" <= {int(max_id)}')
    if updatable:
        clauses.append(f'"{key}" NOT IN ({",".join(str(int(i)) for i in updatable)})')
    return " WHERE " + " AND ".join(clauses) if clauses else ""


def limits_of(cr, tables):
    """Per model: the highest id, and the ids of the addon's records its XML keeps updated."""
    limits = {}
    models = {i["model"] or i["owner"] for i in tables.values()}
    for model in models:
        table = model.replace(".", "_")
        cr.execute(f'SELECT max(id) FROM "{table}"')
        max_id = cr.fetchone()[0] or 0
        cr.execute(
            "SELECT res_id FROM ir_model_data WHERE module = %s AND model = %s AND NOT noupdate",
            [dev.ADDON, model],
        )
        limits[model] = (max_id, sorted(r for (r,) in cr.fetchall()))
    return limits


def snapshot(cr, tables, limits):
    existing = table_columns(cr)
    data = {"columns": {}, "rows": {}, "xmlids": {}, "params": {}}
    for table, info in sorted(tables.items()):
        if table not in existing:
            continue
        where = row_filter(table, info, limits)
        order = '"id"' if "id" in existing[table] else f'"{table}"::text'
        for column in sorted(info["columns"] & existing[table]):
            cr.execute(
                f'SELECT count(*), count("{column}"),'
                f" md5(string_agg(\"{column}\"::text, E'\\x1f' ORDER BY {order}))"
                f' FROM "{table}"{where}'
            )
            data["columns"][(table, column)] = cr.fetchone()
        if "id" in existing[table]:  # per row, to name the records of a difference
            columns = sorted(info["columns"] & existing[table])
            hashes = ", ".join(f'md5("{column}"::text)' for column in columns)
            cr.execute(f'SELECT id, ARRAY[{hashes}] FROM "{table}"{where}')
            for row_id, hashes in cr.fetchall():
                for column, digest in zip(columns, hashes, strict=True):
                    data["rows"].setdefault((table, column), {})[row_id] = digest
    cr.execute(
        "SELECT name, model, res_id, noupdate FROM ir_model_data WHERE module = %s", [dev.ADDON]
    )
    rows = cr.fetchall()
    data["xmlids"] = {name: (model, res_id) for name, model, res_id, _n in rows}
    data["updatable"] = {name for name, _m, _r, noupdate in rows if not noupdate}
    cr.execute("SELECT key, value FROM ir_config_parameter WHERE key LIKE %s", [f"{dev.ADDON}.%"])
    data["params"] = dict(cr.fetchall())
    return data


def column_of(data, table, column):
    return data["columns"].get((table, column))


# ---------------------------------------------------------------------------- compare


def compare(before, after):
    """(problems, declared differences checked) between two snapshots."""
    problems, checked = [], []
    for kind, table, old, new, why in DECLARED:
        if kind == "volatile":
            continue
        check = {"xmlid removed": check_removed_xmlid, "xmlid renamed": check_renamed_xmlid}.get(
            kind, check_moved_column
        )
        problem = check(before, after, kind, table, old, new)
        if problem:
            problems.append(f"declared {kind} {table} {old}: {problem} ({why})")
        else:
            values = before["columns"].get((table, old), (0, None))[1]
            checked.append(
                f"{kind} {table} {old}"
                + (f" -> {new}" if new else "")
                + (f" ({values} values)" if values is not None else "")
            )
    problems += compare_columns(before, after)
    problems += compare_xmlids(before, after)
    problems += [
        f"{'lost' if key not in after['params'] else 'changed'} system parameter {key}"
        for key, value in sorted(before["params"].items())
        if after["params"].get(key) != value
    ]
    return problems, checked


def check_removed_xmlid(before, after, kind, model, name, new):
    if before["xmlids"].get(name, (None,))[0] != model or name not in before["updatable"]:
        return "no such updatable record before the upgrade"
    if name in after["xmlids"]:
        return "still there after the upgrade"
    return None


def check_renamed_xmlid(before, after, kind, model, old, new):
    was = before["xmlids"].get(old)
    if was is None or was[0] != model:
        return f"no {model} {old} before the upgrade"
    if old in after["xmlids"]:
        return f"{old} still there after the upgrade"
    if after["xmlids"].get(new) != was:
        return f"{new} does not name the record {old} named ({was[0]} {was[1]})"
    return None


def field_xmlid(table, column):
    return f"field_{table}__{column}"


def check_moved_column(before, after, kind, table, old, new):
    was = before["columns"].get((table, old))
    if was is None:
        return "no such column before the upgrade"
    now_old, now_new = after["columns"].get((table, old)), after["columns"].get((table, new))
    if now_new is None:
        return f"{new} missing after the upgrade"
    if kind == "renamed" and now_new != was:
        return f"{new} does not hold the values {old} held"
    if kind == "renamed":
        return check_renamed_xmlid(
            before, after, kind, "ir.model.fields", field_xmlid(table, old), field_xmlid(table, new)
        )
    if kind == "moved" and ((now_old and now_old[1]) or now_new[1] < was[1]):
        return f"{was[1]} values before, {now_old[1] if now_old else 0} left, {now_new[1]} in {new}"
    return None


def compare_columns(before, after):
    declared = set()  # both ends of a rename or move: checked by check_moved_column
    for kind, table, old, new, _why in DECLARED:
        if kind in ("renamed", "moved"):
            declared |= {(table, old), (table, new)}
    volatile = {(t, c) for kind, t, c, _n, _w in DECLARED if kind == "volatile"}
    problems = []
    for (table, column), was in sorted(before["columns"].items()):
        now = after["columns"].get((table, column))
        if (table, column) in declared:
            continue
        if now is None:
            if was[1]:  # a column that held values
                problems.append(f"lost column {table}.{column} ({was[1]} values)")
        elif now != was and not {(table, column), ("*", column)} & volatile:
            ids = changed_ids(before, after, (table, column))
            problems.append(
                f"changed {table}.{column}: rows {was[0]} -> {now[0]}, non-null {was[1]} -> "
                f"{now[1]}" + (f", ids {ids}" if ids else "")
            )
    return problems


def changed_ids(before, after, key, most=8):
    old, new = before["rows"].get(key, {}), after["rows"].get(key, {})
    ids = sorted(i for i in old.keys() | new.keys() if old.get(i) != new.get(i))
    return ", ".join(map(str, ids[:most])) + (" ..." if len(ids) > most else "")


def compare_xmlids(before, after):
    # the XML ids a declaration accounts for: checked there
    removed = {name for kind, _m, name, _n, _w in DECLARED if kind.startswith("xmlid")}
    removed |= {field_xmlid(t, old) for kind, t, old, _n, _w in DECLARED if kind == "renamed"}
    problems = []
    for name, target in sorted(before["xmlids"].items()):
        now = after["xmlids"].get(name)
        if name in removed or now == target:
            continue
        problems.append(
            f"lost XML id {dev.ADDON}.{name} ({target[0]} {target[1]})"
            if now is None
            else f"moved XML id {dev.ADDON}.{name}: {target} -> {now}"
        )
    return problems


# -------------------------------------------------------------------------------- run


def run_check(base=DEFAULT_BASE, keep=False):
    """Install ``base`` with demo data, upgrade to the tree, compare: (ok, problems, summary)."""
    pg = dev.preflight()
    try:
        pg.start()
    except dev.SetupError as exc:
        dev.fail(str(exc))
    database = f"vp_upgrade_{os.getpid()}"
    modules = ",".join([*dev.test_companion_modules(), dev.ADDON])
    folder = Path(tempfile.mkdtemp(prefix="vp-upgrade-"))
    started = time.time()
    try:
        commit = export_base(base, folder)
        dev.info(f"installing {dev.ADDON} at {base} ({commit[:10]}) with demo data into {database}")
        rc = subprocess.call(odoo_with_addons(pg, database, folder, "-i", modules, *ONCE))
        if rc:
            return False, [f"installing the base revision {base} failed (exit {rc})"], {}
        installed = time.time()
        with contextlib.closing(connect(pg, database)) as conn, conn.cursor() as cr:
            tables = scope(cr)
            limits = limits_of(cr, tables)
            before = snapshot(cr, tables, limits)
        dev.info(f"upgrading {database} to the working tree's {dev.ADDON}")
        rc = subprocess.call(dev.odoo_command(pg, database, "-u", dev.ADDON, *ONCE))
        if rc:
            return False, [f"upgrading to the working tree failed (exit {rc})"], {}
        upgraded = time.time()
        with contextlib.closing(connect(pg, database)) as conn, conn.cursor() as cr:
            after = snapshot(cr, tables, limits)
        problems, checked = compare(before, after)
        timing = {
            "install": installed - started,
            "upgrade": upgraded - installed,
            "total": time.time() - started,
        }
        summary = {
            "tables": len({t for t, _c in before["columns"]}),
            "columns": len(before["columns"]),
            "xmlids": len(before["xmlids"]),
            "params": len(before["params"]),
            "declared": len(DECLARED),
            "checked": checked,
            "timing": timing,
        }
        return not problems, problems, summary
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if keep:
            dev.info(f"database {database} kept")
        else:
            pg.drop_database(database)
        if pg.started_here:
            pg.stop()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default=DEFAULT_BASE, help="revision to upgrade from")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args(argv)
    try:
        ok, problems, summary = run_check(args.base, args.keep)
    except CheckError as exc:
        dev.fail(str(exc))
    for problem in problems:
        print("upgrade check:", problem)
    for declared in summary.get("checked", ()):
        print("upgrade check: declared and verified:", declared)
    if summary:
        timing = summary["timing"]
        print(
            f"upgrade check from {args.base}: {summary['tables']} tables, "
            f"{summary['columns']} columns, {summary['xmlids']} XML ids, "
            f"{summary['params']} parameters compared; {summary['declared']} differences "
            f"declared; {len(problems)} lost or changed "
            f"(install {timing['install']:.0f} s, upgrade {timing['upgrade']:.0f} s)"
        )
    print("upgrade check:", "passed" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
