# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Joint small-cell suppression of the linked tables of one year (pure Python, no Odoo).

The reports of one company and year (the whole organisation and each counsellor) are
linked tables: every organisation cell is the sum of the counsellors' cells, row by row,
in the totals and in the scalars. A reader who holds several of them can subtract.
This module protects the *cover table* of the year at once: every counsellor column and
the organisation column, as if every one of them were published. Any set of reports of
that year then shows slices of one safe whole, so the order of publication does not
matter and a later report can never undo an earlier one.

Safety is shown constructively. For every hidden cell the engine looks for a
*witness*: a change of one unit of that cell, balanced by changes of other hidden cells,
that keeps every published figure, every row and column equation and every marker
("< 5" is 1..4, "x" is at least 5, a hidden table is 0 or more) true. The witness is a
second completion of the whole year that the reader cannot tell from the truth, so the
cell can take at least two values. A witness is a cycle of hidden cells through the
table (organisation column included), or, for a hidden number of new cases, a change
of one case from one scope to another carried through every table. Where no witness
exists the engine hides one more cell and looks again; where nothing is left to hide it
raises :class:`ProtectionImpossible`.

The witnesses are sufficient, not necessary: the engine may hide more than an optimal
pattern would, never less. ``report_disclosure_audit`` checks the result independently.
"""

from collections import deque
from itertools import pairwise

from . import report_suppression as rs

ORG = "org"


INF = float("inf")


SCALARS = ("new", "carried", "contacts")


def _bounds(value, status, threshold):
    if status == rs.PUBLISHED:
        return value, value
    return rs.cell_bounds(status, threshold)


def zero_column(org_column):
    """The column of a counsellor without cases in the year: every count a published 0."""
    zero = rs.published_cell(0, rs.PUBLISHED, 3)
    column = {key: dict(zero) for key in SCALARS}
    column["hours"] = 0.0
    column["tables"] = {
        key: {
            "cells": {r: dict(zero) for r in table["cells"]},
            "total": dict(zero),
            "hidden": False,
        }
        for key, table in org_column["tables"].items()
    }
    return column


def protect_year(counts, threshold, modes):
    """Protect the cover table of a year: {scope: column}; scope "org" or a counsellor key."""
    return Cover(counts, threshold, modes).protect().columns()


class ProtectionImpossible(ValueError):
    """No suppression pattern found that protects every hidden cell of the year."""

    def __init__(self, table, row, scope):
        self.table, self.row, self.scope = table, row, scope
        super().__init__(f"cell {table}/{row} of scope {scope} cannot be protected")


class Cover:
    """The cover table of one year: counsellors x rows, with the organisation as margin.

    :param counts: {counsellor key: {"new", "carried", "contacts": int,
        "tables": {table: {row: count}}}}; counsellor keys are strings.
    :param modes: [(table key, "partition" | "multi")].
    """

    def __init__(self, counts, threshold, modes):
        self.t = rs.check_threshold(threshold)
        self.modes = dict(modes)
        self.table_keys = [key for key, _mode in modes]
        self.counsellors = sorted(counts)
        self.scopes = self.counsellors + [ORG]
        self.val = {}
        self.st = {}
        self.rows = {}
        for key in self.table_keys:
            rows = set()
            for c in self.counsellors:
                rows.update(counts[c]["tables"].get(key, {}))
            self.rows[key] = sorted(rows)
            for r in self.rows[key]:
                for c in self.counsellors:
                    self.val[key, r, c] = counts[c]["tables"].get(key, {}).get(r, 0)
                self.val[key, r, ORG] = sum(self.val[key, r, c] for c in self.counsellors)
        for key in SCALARS:
            for c in self.counsellors:
                self.val[key, "", c] = counts[c].get(key, 0)
            self.val[key, "", ORG] = sum(self.val[key, "", c] for c in self.counsellors)
        self.hours = {c: counts[c].get("hours", 0.0) for c in self.counsellors}
        self.hours[ORG] = sum(self.hours.values())
        self._protect_columns()

    # ------------------------------------------------------------ first pass

    def _protect_columns(self):
        """Each column on its own: primary and complementary suppression per table."""
        t = self.t
        for s in self.scopes:
            for key in SCALARS:
                v = self.val[key, "", s]
                self.st[key, "", s] = rs.PRIMARY if 0 < v < t else rs.PUBLISHED
            small_total = self.st["new", "", s] == rs.PRIMARY
            for key in self.table_keys:
                rows = self.rows[key]
                if small_total:
                    # Every non-zero cell would be "< t" anyway; showing which rows are
                    # zero would let the reader add the "< t" cells up to the total.
                    statuses = [rs.HIDDEN] * len(rows)
                else:
                    values = [self.val[key, r, s] for r in rows]
                    statuses, _total = rs.protect(
                        values, t, total=self.val["new", "", s], mode=self.modes[key]
                    )
                for r, status in zip(rows, statuses, strict=True):
                    self.st[key, r, s] = status

    # ------------------------------------------------------------ bounds

    def n(self, s):
        return self.val["new", "", s]

    def cell_range(self, key, r, s, n_shift=0):
        """Reader's bounds of a cell; multi tables: no row above the number of cases."""
        lo, hi = _bounds(self.val[key, r, s], self.st[key, r, s], self.t)
        if self.modes.get(key) == "multi":
            hi = min(hi, self.n(s) + n_shift)
        return lo, hi

    def hidden(self, key, r, s):
        return self.st[key, r, s] != rs.PUBLISHED

    # ------------------------------------------------------------ witnesses

    def _y_moves(self, key, r, s):
        """(y may go up, y may go down) for a cell; y = x for counsellors, -X for the org."""
        if not self.hidden(key, r, s):
            return False, False
        v = self.val[key, r, s]
        lo, hi = self.cell_range(key, r, s)
        up, down = v + 1 <= hi, v - 1 >= lo
        return (up, down) if s != ORG else (down, up)

    def _graph(self, key, skip=None):
        """Arcs of the table: row -> scope when y may rise, scope -> row when it may fall."""
        arcs = {}
        for r in self.rows[key]:
            for s in self.scopes:
                if (r, s) == skip:
                    continue
                up, down = self._y_moves(key, r, s)
                if up:
                    arcs.setdefault(("r", r), []).append(("s", s))
                if down:
                    arcs.setdefault(("s", s), []).append(("r", r))
        if self.modes[key] == "multi":
            # The sum of mentions is not published: a column may gain a mention, or lose
            # one while it still has at least as many mentions as cases.
            for s in self.scopes:
                total = sum(self.val[key, r, s] for r in self.rows[key])
                slack = total - self.n(s) >= 1
                rise_ok, fall_ok = (True, slack) if s != ORG else (slack, True)
                if rise_ok:
                    arcs.setdefault(("s", s), []).append(("f", ""))
                if fall_ok:
                    arcs.setdefault(("f", ""), []).append(("s", s))
        return arcs

    @staticmethod
    def _path(arcs, start, goal):
        """A path start -> goal as a list of nodes, or None (breadth first)."""
        previous = {start: None}
        queue = deque([start])
        while queue:
            node = queue.popleft()
            if node == goal:
                path = []
                while node is not None:
                    path.append(node)
                    node = previous[node]
                return path[::-1]
            for nxt in arcs.get(node, ()):
                if nxt not in previous:
                    previous[nxt] = node
                    queue.append(nxt)
        return None

    def _table_cell_protected(self, key, r, s):
        up, down = self._y_moves(key, r, s)
        arcs = self._graph(key, skip=(r, s))
        if up and self._path(arcs, ("s", s), ("r", r)):
            return True
        if down and self._path(arcs, ("r", r), ("s", s)):
            return True
        # No cycle with the numbers of cases fixed: a case moved between two scopes
        # whose numbers of cases are hidden may still change this cell.
        return any(
            self.hidden("new", "", n_scope)
            and self._scalar_protected("new", n_scope, touching=(key, r, s))
            for n_scope in self.scopes
        )

    def _scalar_protected(self, key, s, touching=None):
        """A counsellor's cell moves against another counsellor's, or with the org's.

        For the number of new cases the move must be carried by every table; with
        ``touching`` = (table, row, scope) it must also change that cell.
        """
        v = self.val[key, "", s]
        lo, hi = _bounds(v, self.st[key, "", s], self.t)
        for step in (1, -1):
            if not lo <= v + step <= hi:
                continue
            for other in self.scopes:
                if other == s or not self.hidden(key, "", other):
                    continue
                same_side = (s == ORG) == (other == ORG)
                move = -step if same_side else step
                w = self.val[key, "", other]
                o_lo, o_hi = _bounds(w, self.st[key, "", other], self.t)
                if not o_lo <= w + move <= o_hi:
                    continue
                if key != "new":
                    return True
                deltas = self._n_carried(s, step, other)
                if deltas is None:
                    continue
                if touching is None:
                    return True
                table, row, scope = touching
                if deltas[table].get((row, scope)):
                    return True
        return False

    def _n_carried(self, s, step, other):
        """A case moved from one scope to another (or added to a counsellor and the org)
        must be carried by a balanced change in every table: {table: y deltas} or None."""
        dn = {s: step, other: step if (s == ORG) != (other == ORG) else -step}
        deltas = {}
        for key in self.table_keys:
            delta = self._table_follows_n(key, dn)
            if delta is False:
                return None
            deltas[key] = delta
        return deltas

    def _table_follows_n(self, key, dn):
        """Find and verify cell changes of one table that follow the change ``dn`` of N."""
        # In y terms the N row holds -N for counsellors and +N for the org; the cells of a
        # column must change by the opposite of its N cell.
        need = {}
        for scope, d in dn.items():
            need[scope] = d if scope != ORG else -d
        source = next(s for s, d in need.items() if d < 0)
        goal = next(s for s, d in need.items() if d > 0)
        if self.modes[key] == "multi":
            return self._multi_follows_n(key, dn)
        path = self._path(self._graph(key), ("s", source), ("s", goal))
        if not path:
            return False
        delta = {}
        for a, b in pairwise(path):
            if a[0] == "s":  # scope -> row: y falls
                delta[b[1], a[1]] = -1
            else:  # row -> scope: y rises
                delta[a[1], b[1]] = 1
        return self._verify(key, delta, dn)

    def _multi_follows_n(self, key, dn):
        """Every-mention table: the case moved carries its mentions along, row by row.

        A scope that loses a case loses a mention in every row that held all its cases
        (no row may exceed the number of cases), or else in its largest row; the other
        scope of the move gains (or, for the org, loses) the same mentions.
        """
        (a, da), (b, db) = sorted(dn.items())
        loser = a if da < 0 else b
        rows = [r for r in self.rows[key] if self.val[key, r, loser] == self.n(loser)]
        if da > 0 and db > 0 or not rows:
            candidates = [r for r in self.rows[key] if self.val[key, r, loser] > 0 or da > 0]
            if not candidates:
                return False
            rows = [max(candidates, key=lambda r: (self.val[key, r, loser], r))]
        delta = {}
        for r in rows:
            for scope, d in dn.items():
                delta[r, scope] = d if scope != ORG else -d  # in y terms
        return self._verify(key, delta, dn)

    def _verify(self, key, delta, dn):
        """Every reader's constraint of the table holds after the change (y deltas)."""
        for (r, s), dy in delta.items():
            dx = dy if s != ORG else -dy
            lo, hi = self.cell_range(key, r, s, n_shift=dn.get(s, 0))
            if not (self.hidden(key, r, s) and lo <= self.val[key, r, s] + dx <= hi):
                return False
        if self.modes[key] == "multi":
            # no row above the new number of cases, the rows together at least that many
            for s, d in dn.items():
                cases = self.n(s) + d
                mentions = 0
                for r in self.rows[key]:
                    dy = delta.get((r, s), 0)
                    x = self.val[key, r, s] + (dy if s != ORG else -dy)
                    if x > cases:
                        return False
                    mentions += x
                if mentions < cases:
                    return False
        return delta

    def unprotected(self):
        """The first hidden cell without a witness, as (table, row, scope), or None."""
        for key in SCALARS:
            for s in self.scopes:
                if self.hidden(key, "", s) and not self._scalar_protected(key, s):
                    return key, "", s
        for key in self.table_keys:
            for r in self.rows[key]:
                for s in self.scopes:
                    if self.hidden(key, r, s) and not self._table_cell_protected(key, r, s):
                        return key, r, s
        return None

    # ------------------------------------------------------------ more suppression

    def _hide(self, key, r, s):
        v = self.val[key, r, s]
        self.st[key, r, s] = rs.COMPLEMENTARY if v >= self.t else rs.PRIMARY

    def _hide_column(self, key, s):
        if self.n(s) == 0 and not self.hidden("new", "", s):
            return False  # a published 0 cases: every cell is 0 and says so
        changed = False
        for r in self.rows[key]:
            if self.st[key, r, s] != rs.HIDDEN:
                self.st[key, r, s] = rs.HIDDEN
                changed = True
        return changed

    def _candidates(self, cells):
        """Published non-zero cells, counsellors first, smallest first, the org last."""
        found = [c for c in cells if not self.hidden(*c) and self.val[c] > 0]
        return sorted(found, key=lambda c: (c[2] == ORG, self.val[c], c))

    def _add_suppression(self, key, r, s):
        """Hide one more thing around an unprotected cell; False when nothing is left."""
        if key in SCALARS:
            partners = self._candidates([(key, "", o) for o in self.scopes if o != s])
            if partners:
                self._hide(*partners[0])
                if key == "new":
                    for table in self.table_keys:
                        self._hide_column(table, s)
                        self._hide_column(table, partners[0][2])
                return True
            # Small numbers that add up exactly (1 + 1 = 2 with a threshold of 3):
            # not published at all ("."), zero included.
            changed = False
            for other in self.scopes:
                if self.st[key, "", other] == rs.PRIMARY:
                    self.st[key, "", other] = rs.HIDDEN
                    changed = True
            if changed or key != "new":
                return changed
            # Every N is hidden already: open up the tables of the hidden scopes.
            changed = False
            for other in self.scopes:
                if self.hidden("new", "", other):
                    for table in self.table_keys:
                        changed |= self._hide_column(table, other)
            return changed
        row_cells = [(key, r, o) for o in self.scopes if o != s]
        column_cells = [(key, other, s) for other in self.rows[key] if other != r]
        for cells in (row_cells, column_cells):
            candidates = self._candidates(cells)
            if candidates:
                self._hide(*candidates[0])
                return True
        if self._hide_column(key, s):
            return True
        for other in self.scopes:
            if self._hide_column(key, other):
                return True
        return False

    def protect(self):
        while True:
            cell = self.unprotected()
            if cell is None:
                return self
            if not self._add_suppression(*cell):
                raise ProtectionImpossible(*cell)

    # ------------------------------------------------------------ output

    def _hours_hidden(self):
        """Hours follow their count. Org hours = sum of the counsellors' hours, so a lone
        hidden term would be the difference of the others: then a second one is hidden."""
        hidden = {s for s in self.scopes if self.hidden("contacts", "", s)}
        if len(hidden) == 1:
            (only,) = hidden
            if only != ORG:
                hidden.add(ORG)
            elif self.counsellors:
                hidden.add(min(self.counsellors, key=lambda c: (self.n(c), c)))
        return hidden

    def column(self, s, hours_hidden=()):
        t = self.t
        column = {}
        for key in SCALARS:
            column[key] = rs.published_cell(self.val[key, "", s], self.st[key, "", s], t)
            if self.st[key, "", s] == rs.HIDDEN:
                column[key]["d"] = "."  # not published: any number, zero included
        column["hours"] = None if s in hours_hidden else round(self.hours[s], 1)
        tables = {}
        for key in self.table_keys:
            cells = {
                r: rs.published_cell(self.val[key, r, s], self.st[key, r, s], t)
                for r in self.rows[key]
            }
            hidden = bool(cells) and all(c["s"] == rs.HIDDEN for c in cells.values())
            tables[key] = {"cells": cells, "total": column["new"], "hidden": hidden}
        column["tables"] = tables
        return column

    def columns(self):
        """{scope: protected column}: cells as :func:`report_suppression.published_cell`."""
        hours_hidden = self._hours_hidden()
        return {s: self.column(s, hours_hidden) for s in self.scopes}
