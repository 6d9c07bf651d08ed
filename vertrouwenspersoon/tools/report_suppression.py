# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Small-cell suppression for the anonymised annual report (pure Python, no Odoo).

Statuses of a cell after protection:

* ``""``  published as is (0, or a count of at least the threshold);
* ``"p"`` primary suppression: 0 < n < threshold, displayed as "< 5";
* ``"c"`` complementary suppression: a count >= threshold hidden so that a primary
  cell cannot be calculated back from the total, displayed as "x";
* ``"h"`` the whole table is hidden (every cell, zeros included, displayed as "x")
  because no set of complementary cells protects it while its total is published.

The attacker model used to decide whether a table is safe: the reader knows every
published value, the published total and the meaning of the markers, so a "< 5" cell
lies in [1, threshold - 1], an "x" cell next to "< 5" cells lies in [threshold, oo),
and a cell of a fully hidden table lies in [0, oo). A table is safe when, under the
table's margin equation, every hidden cell can still take at least two values.

Two kinds of tables:

* ``partition``: every case counts in exactly one row; rows sum to the total.
* ``multi``: a case may count in several rows (several categories per case, every
  mention counts); the total is the number of cases N, so the rows sum to at least N
  and no row exceeds N.
"""

INF = float("inf")


MIN_THRESHOLD = 3


PUBLISHED = ""


PRIMARY = "p"


COMPLEMENTARY = "c"


HIDDEN = "h"


def check_threshold(threshold):
    """Return the threshold as an int, refusing values that would publish small cells."""
    threshold = int(threshold)
    if threshold < MIN_THRESHOLD:
        raise ValueError(f"threshold must be at least {MIN_THRESHOLD}")
    return threshold


def cell_bounds(status, threshold):
    """What a reader knows about a cell with this status."""
    if status == PRIMARY:
        return 1, threshold - 1
    if status == COMPLEMENTARY:
        return threshold, INF
    return 0, INF  # HIDDEN


def feasible_ranges(values, statuses, threshold, total, mode="partition"):
    """Interval [lo, hi] each hidden cell can take given what is published.

    ``values`` and ``statuses`` are lists of the same length; ``total`` is the published
    total (None when it is not published: then no equation binds the cells).
    Returns {index: (lo, hi)} for every hidden cell.
    """
    hidden = [i for i, s in enumerate(statuses) if s != PUBLISHED]
    bounds = {i: cell_bounds(statuses[i], threshold) for i in hidden}
    if total is None:
        return bounds
    published_sum = sum(v for v, s in zip(values, statuses, strict=True) if s == PUBLISHED)
    rest = total - published_sum
    result = {}
    for i in hidden:
        lo_i, hi_i = bounds[i]
        others = [bounds[j] for j in hidden if j != i]
        if mode == "partition":
            lo = max(lo_i, rest - sum(hi for _lo, hi in others))
            hi = min(hi_i, rest - sum(lo for lo, _hi in others))
        else:  # multi: sum(rows) >= total and every row <= total
            lo = max(lo_i, rest - sum(min(hi, total) for _lo, hi in others))
            hi = min(hi_i, total)
        result[i] = (lo, hi)
    return result


def is_safe(values, statuses, threshold, total, mode="partition"):
    """True when no hidden cell is pinned to one value by the published figures."""
    ranges = feasible_ranges(values, statuses, threshold, total, mode)
    return all(hi - lo > 0 for lo, hi in ranges.values())


def protect(values, threshold, total=None, mode="partition", forced=()):
    """Apply primary and complementary suppression to one table.

    :param values: list of true counts (one per row).
    :param total: the true total (number of cases) or None when the table has no total.
        For ``partition`` tables it defaults to the sum of the rows.
    :param forced: indexes that must be hidden anyway (consistency with an earlier year).
    :returns: (statuses, total_status) — one status per row, and the total's status.
    """
    threshold = check_threshold(threshold)
    if mode == "partition" and total is None:
        total = sum(values)
    statuses = [PRIMARY if 0 < v < threshold else PUBLISHED for v in values]
    for i in forced:
        if statuses[i] == PUBLISHED and values[i] > 0:
            statuses[i] = COMPLEMENTARY if values[i] >= threshold else PRIMARY
    total_status = PUBLISHED
    if total is not None and 0 < total < threshold:
        # A small total is itself a small cell; with it hidden no equation binds the rows.
        total_status = PRIMARY
    known_total = total if total_status == PUBLISHED else None
    while not is_safe(values, statuses, threshold, known_total, mode):
        candidates = [
            i for i, v in enumerate(values) if statuses[i] == PUBLISHED and v >= threshold
        ]
        if not candidates:
            statuses = [HIDDEN] * len(values)
            break
        smallest = min(candidates, key=lambda i: (values[i], i))
        statuses[smallest] = COMPLEMENTARY
    return statuses, total_status


def display(value, status, threshold):
    """The text a reader sees for a cell."""
    if status == PRIMARY:
        return f"< {threshold}"
    if status in (COMPLEMENTARY, HIDDEN):
        return "x"
    return str(value)


def published_cell(value, status, threshold):
    """A JSON-safe cell holding no hidden value: {'v': int|None, 'd': str, 's': status}."""
    return {
        "v": value if status == PUBLISHED else None,
        "d": display(value, status, threshold),
        "s": status,
    }


def protect_rows(rows, threshold, total=None, mode="partition", forced_keys=()):
    """Protect a table given as a list of (key, label, count).

    Returns (cells, total_cell): cells is a list of {'key', 'label', 'cell'} in the same
    order, every cell built by :func:`published_cell`.
    """
    values = [count for _key, _label, count in rows]
    forced = [i for i, (key, _label, _count) in enumerate(rows) if key in set(forced_keys)]
    statuses, total_status = protect(values, threshold, total, mode, forced)
    cells = [
        {"key": key, "label": label, "cell": published_cell(count, status, threshold)}
        for (key, label, count), status in zip(rows, statuses, strict=True)
    ]
    if mode == "partition" and total is None:
        total = sum(values)
    total_cell = None
    if total is not None:
        total_cell = published_cell(total, total_status, threshold)
    return cells, total_cell


def protect_scalar(value, threshold):
    """A single count outside a table (e.g. carried-over cases)."""
    threshold = check_threshold(threshold)
    status = PRIMARY if 0 < value < threshold else PUBLISHED
    return published_cell(value, status, threshold)
