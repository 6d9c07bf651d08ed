# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The counsellor field has one name on every model: ``counsellor_id``.

Contracts and time statements called it ``user_id`` before 18.0.1.1.0. Renaming the
column, the field's metadata and its XML id before the models load keeps every contract:
Odoo then sees the same field under its new name, not a new empty one beside an old one
it would drop.
"""

from odoo.tools import SQL, sql

RENAMED = (
    # (model, table, old column, new column)
    ("vp.counsellor.contract", "vp_counsellor_contract", "user_id", "counsellor_id"),
    ("vp.time.statement", "vp_time_statement", "user_id", "counsellor_id"),
)


def rename_field(cr, model, table, old, new):
    if not sql.column_exists(cr, table, old) or sql.column_exists(cr, table, new):
        return False
    sql.rename_column(cr, table, old, new)
    cr.execute(
        SQL(
            "ALTER INDEX IF EXISTS %s RENAME TO %s",
            SQL.identifier(f"{table}__{old}_index"),
            SQL.identifier(f"{table}__{new}_index"),
        )
    )
    cr.execute(
        "UPDATE ir_model_fields SET name = %s WHERE model = %s AND name = %s",
        (new, model, old),
    )
    prefix = f"field_{table}__"
    cr.execute(
        "UPDATE ir_model_data SET name = %s WHERE module = 'vertrouwenspersoon' AND name = %s",
        (prefix + new, prefix + old),
    )
    return True


def migrate(cr, version):
    for model, table, old, new in RENAMED:
        rename_field(cr, model, table, old, new)
