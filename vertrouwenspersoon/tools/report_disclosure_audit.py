# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Independent disclosure auditor of published annual reports (pure Python, no Odoo).

Separate on purpose from the engine that chooses what to hide (``report_linked``): it
shares no code with it and reads the reports as a board member does, from the text of
their cells ("12", "0", "< 5", "x") and the note that a whole table is hidden. It assumes
the strongest reader of the issue: every published report of the company (every scope,
version and year) at once, the list of counsellors, and the rules of the report:

* the organisation's cell is the sum of the counsellors' cells (rows, totals, scalars);
* one-row-per-case tables: a scope's rows add up to its number of new cases;
* every-mention tables: the rows add up to at least the number of new cases, and no row
  exceeds it;
* "< t" is 1..t-1, "x" is at least t, a cell of a fully hidden table is 0 or more.

From all of this it computes, exactly, the range of integer values every hidden or
unpublished count can still take: bounds propagation over the linear system, split into
independent parts, with a complete branch-and-bound search for feasibility. A count is
*pinned* when its range holds a single value.
"""

import re

BIG = 10**7  # larger than any count; a range reaching it has no upper bound


ORG = "org"


SCALARS = ("new", "carried", "contacts")


# ---------------------------------------------------------------- the reader's view


def reading(display, table_hidden):
    """(lo, hi) of a cell from its text; None when the text is not a count marker."""
    text = str(display).strip()
    if text.isdigit():
        return int(text), int(text)
    small = re.fullmatch(r"<\s*(\d+)", text)
    if small:
        return 1, int(small.group(1)) - 1
    if text == "x":
        return (0, BIG) if table_hidden else (None, BIG)  # None: the threshold
    if text == ".":  # not published at all: any number, zero included
        return 0, BIG
    return None


def observations(scope, figures):
    """What one published report tells about its scope: [(year, table, row, lo, hi)].

    ``figures`` is the published snapshot of a report (``figures_json``): only the
    displayed texts and the hidden-table notes are read, never the statuses.
    """
    thresholds = figures.get("thresholds", {})
    found = []

    def add(year, table, row, cell, table_hidden=False):
        if not cell:
            return
        bounds = reading(cell["d"], table_hidden)
        if bounds is None:
            return
        lo, hi = bounds
        if lo is None:  # "x" next to "< t" cells: at least t
            lo = int(thresholds.get(str(year), figures["threshold"]))
        found.append((int(year), table, row, scope, lo, hi))

    for year, headline in figures["headline"].items():
        add(year, "new", "", headline["new"])
        add(year, "carried", "", headline["carried"])
    add(figures["year"], "contacts", "", figures["contacts"]["count"])
    for table in figures["tables"]:
        for year in figures["years"]:
            hidden = table.get("hidden", {}).get(year, False)
            for row in table["rows"]:
                add(year, table["key"], row["key"], row["cells"].get(year), hidden)
            add(year, "new", "", table["total"].get(year))
    return found


# ---------------------------------------------------------------- feasibility by flows


def _max_flow(graph, source, sink, wanted):
    """Edmonds-Karp on residual capacities {u: {v: cap}}; stops once ``wanted`` flows."""
    flow = 0
    while flow < wanted:
        previous = {source: None}
        queue = [source]
        for node in queue:
            if node == sink:
                break
            for nxt, cap in graph[node].items():
                if cap > 0 and nxt not in previous:
                    previous[nxt] = node
                    queue.append(nxt)
        if sink not in previous:
            break
        path = []
        node = sink
        while previous[node] is not None:
            path.append((previous[node], node))
            node = previous[node]
        push = min(min(graph[u][v] for u, v in path), wanted - flow)
        for u, v in path:
            graph[u][v] -= push
            graph[v][u] += push
        flow += push
    return flow


def feasible(edges):
    """Is there an integer circulation with every edge (u, v, low, high) in its bounds?"""
    graph, excess = {}, {}

    def arc(u, v, cap):
        graph.setdefault(u, {}).setdefault(v, 0)
        graph.setdefault(v, {}).setdefault(u, 0)
        graph[u][v] += cap

    for u, v, low, high in edges:
        if low > high:
            return False
        arc(u, v, high - low)
        excess[v] = excess.get(v, 0) + low
        excess[u] = excess.get(u, 0) - low
    wanted = 0
    for node, amount in excess.items():
        if amount > 0:
            arc("*source", node, amount)
            wanted += amount
        elif amount < 0:
            arc(node, "*sink", -amount)
    if not wanted:
        return True
    return _max_flow(graph, "*source", "*sink", wanted) == wanted


# ---------------------------------------------------------------- the audit


def audit(reports, counsellors, modes, threshold):
    """Exact ranges of every hidden or unpublished count of every year, and the leaks.

    :param reports: [(scope, figures)]: scope "org" or a counsellor key, figures the
        published snapshot as the reader downloads it.
    :param counsellors: every counsellor of the company.
    :param modes: {table: "partition" | "multi"}.
    :returns: (ranges, leaks): ranges {(year, table, row, scope): (lo, hi)}; leaks
        {cell: value} of cells pinned to one value while hidden in a report, or
        unpublished with a value from 1 to threshold - 1.
    """
    counsellors = [str(c) for c in counsellors]
    years = {}
    for scope, figures in reports:
        for year, table, row, _scope, lo, hi in observations(str(scope), figures):
            years.setdefault(year, Year(counsellors, modes, threshold))
            years[year].observe(table, row, str(scope), lo, hi)
        for table in figures["tables"]:
            shown = {row["key"] for row in table["rows"]}
            for year in figures["years"]:
                if int(year) in years and table["key"] in modes:
                    years[int(year)].rows[table["key"]].update(shown)
    # a row a report does not list is a zero for that report's scope
    for scope, figures in reports:
        for table in figures["tables"]:
            if table["key"] not in modes:
                continue
            shown = {row["key"] for row in table["rows"]}
            for year in figures["years"]:
                state = years[int(year)]
                for r in state.rows[table["key"]] - shown:
                    state.observe(table["key"], r, str(scope), 0, 0)
    ranges, leaks = {}, {}
    for year, whole in sorted(years.items()):
        for state in whole.parts():
            for cell, (lo, hi, pinned) in _year_ranges(state).items():
                ranges[(year, *cell)] = (lo, hi)
                if pinned and (cell in state.hidden or 0 < lo < threshold):
                    leaks[(year, *cell)] = lo
    return ranges, leaks


def _year_ranges(state):
    targets = []
    for table in list(SCALARS) + list(state.modes):
        rows = [""] if table in SCALARS else sorted(state.rows[table])
        for row in rows:
            for scope in state.scopes:
                lo, hi = state.cell(table, row, scope)
                if (table, row, scope) in state.seen and lo == hi:
                    continue  # published as a number
                targets.append((table, row, scope))
    return state.ranges(targets)


class Infeasible(Exception):
    pass


# ---------------------------------------------------------------- one year


class Year:
    """What the reader knows about one year, and the exact ranges that follow from it.

    For a fixed number of new cases per counsellor, one table is a flow problem:
    source -> counsellor (its number of cases; at least that many mentions in an
    every-mention table) -> row (the counsellor's cell) -> sink (the organisation's cell).
    Flow polytopes have integer corners, so a flow check decides integer feasibility
    exactly. The numbers of new cases are enumerated within what the reports allow.
    """

    def __init__(self, counsellors, modes, threshold):
        self.counsellors = list(counsellors)
        self.scopes = self.counsellors + [ORG]
        self.modes = dict(modes)
        self.t = threshold
        self.bounds = {}
        self.rows = {table: set() for table in self.modes}
        self.hidden = set()
        self.seen = set()

    def observe(self, table, row, scope, lo, hi):
        if table in self.rows:
            self.rows[table].add(row)
        key = (table, row, scope)
        old_lo, old_hi = self.bounds.get(key, (0, BIG))
        self.bounds[key] = (max(old_lo, lo), min(old_hi, hi))
        self.seen.add(key)
        if lo != hi:
            self.hidden.add(key)

    def cell(self, table, row, scope):
        return self.bounds.get((table, row, scope), (0, BIG))

    # the numbers of new cases ----------------------------------------------------

    def _n_domain(self, c):
        lo, hi = self.cell("new", "", c)
        if hi >= BIG:
            for table, mode in self.modes.items():
                if mode != "partition" or not self.rows[table]:
                    continue
                cap = sum(
                    min(self.cell(table, r, c)[1], self.cell(table, r, ORG)[1])
                    for r in self.rows[table]
                )
                hi = min(hi, cap)
        hi = min(hi, self.cell("new", "", ORG)[1])
        if hi >= BIG:
            # Nothing bounds it: values far above what the tables need only widen the
            # ranges, so leaving them out can make the audit stricter, never more lenient.
            hi = lo + self._floor_total() + 2 * self.t + 2
        return lo, hi

    def _floor_total(self):
        """The fewest cases the published rows of the organisation require."""
        floor = 0
        for table, mode in self.modes.items():
            if mode == "partition":
                floor = max(floor, sum(self.cell(table, r, ORG)[0] for r in self.rows[table]))
        return floor

    def find(self, spans, fix=None):
        """Numbers of new cases per counsellor within ``spans`` for which every table
        has a completion (``fix`` = (table, edge, (low, high)) restricts one cell), or
        None. Depth first; a branch is cut when some table has no completion even with
        the undecided numbers free within their intervals (a relaxation), so the search
        is complete and every answer is checked exactly at a leaf."""
        low, high = self.cell("new", "", ORG)

        def tables_ok(spans):
            if sum(lo for lo, _hi in spans) > high or sum(hi for _lo, hi in spans) < low:
                return False
            for table in self.modes:
                cell_fix = fix[1:] if fix and fix[0] == table else None
                if not self._table_ok(table, spans, cell_fix):
                    return False
            return True

        def walk(spans):
            if not tables_ok(spans):
                return None
            open_ = [i for i, (lo, hi) in enumerate(spans) if lo < hi]
            if not open_:
                return tuple(lo for lo, _hi in spans)
            i = min(open_, key=lambda i: spans[i][1] - spans[i][0])
            lo, hi = spans[i]
            if hi - lo > 4:
                mid = (lo + hi) // 2
                parts = [(lo, mid), (mid + 1, hi)]
            else:
                parts = [(v, v) for v in range(lo, hi + 1)]
            for part in parts:
                found = walk(spans[:i] + [part] + spans[i + 1 :])
                if found is not None:
                    return found
            return None

        return walk(list(spans))

    # one table --------------------------------------------------------------------

    def _edges(self, table, vector, fix=None):
        """The flow network of a table; ``vector`` holds (lo, hi) cases per counsellor."""
        multi = self.modes[table] == "multi"
        edges = [("sink", "source", 0, BIG)]
        for c, (n_lo, n_hi) in zip(self.counsellors, vector, strict=True):
            edges.append(("source", ("c", c), n_lo, BIG if multi else n_hi))
            for r in self.rows[table]:
                lo, hi = self.cell(table, r, c)
                edges.append((("c", c), ("r", r), lo, min(hi, n_hi) if multi else hi))
        for r in self.rows[table]:
            lo, hi = self.cell(table, r, ORG)
            if multi:
                hi = min(hi, sum(n_hi for _lo, n_hi in vector))
            edges.append((("r", r), "sink", lo, hi))
        if fix:
            (u, v), (low, high) = fix
            edges = [
                (a, b, max(lo, low), min(hi, high)) if (a, b) == (u, v) else (a, b, lo, hi)
                for a, b, lo, hi in edges
            ]
        return edges

    def _table_ok(self, table, vector, fix=None):
        if vector and not isinstance(vector[0], tuple):
            vector = [(n, n) for n in vector]
        return feasible(self._edges(table, vector, fix))

    def _edge_of(self, table, row, scope):
        if scope == ORG:
            return ("r", row), "sink"
        return ("c", scope), ("r", row)

    def _cell_range(self, table, row, scope, vector):
        """Exact (min, max) of a cell when the cases per counsellor lie in ``vector``
        (pairs): exact for fixed numbers, an outer range for intervals."""
        edge = self._edge_of(table, row, scope)
        lo, hi = self.cell(table, row, scope)
        top = min(hi, sum(n_hi for _lo, n_hi in vector))  # no cell exceeds all mentions
        multi_top = sum(n_hi for _lo, n_hi in vector) * len(self.rows[table])
        top = min(hi, max(top, multi_top)) if self.modes[table] == "multi" else top

        def ok(low, high):
            return self._table_ok(table, vector, (edge, (low, high)))

        a, b = lo, top
        if a > b or not ok(a, b):
            return None
        while a < b:  # smallest value
            mid = (a + b) // 2
            if ok(a, mid):
                b = mid
            else:
                a = mid + 1
        low = a
        a, b = low, top
        while a < b:  # largest value
            mid = (a + b + 1) // 2
            if ok(mid, b):
                a = mid
            else:
                b = mid - 1
        return low, a

    def _other_value(self, table, row, scope, vector, value, outer):
        """Can the cell take another value than ``value`` with these numbers of cases?"""
        edge = self._edge_of(table, row, scope)
        lo, hi = outer
        return (lo < value and self._table_ok(table, vector, (edge, (lo, value - 1)))) or (
            hi > value and self._table_ok(table, vector, (edge, (value + 1, hi)))
        )

    def parts(self):
        """Without any published figure of the organisation nothing links the
        counsellors: each is a year of its own (the organisation's cells then follow
        from theirs and are pinned only where every term is)."""
        if any(key[2] == ORG for key in self.seen):
            return [self]
        parts = []
        for c in self.counsellors:
            part = Year([c], self.modes, self.t)
            part.rows = self.rows
            part.bounds = {k: v for k, v in self.bounds.items() if k[2] == c}
            part.seen = {k for k in self.seen if k[2] == c}
            part.hidden = {k for k in self.hidden if k[2] == c}
            part.scopes = [c]
            parts.append(part)
        return parts

    # ranges -------------------------------------------------------------------------

    def _scalar_ranges(self, key):
        bounds = [self.cell(key, "", c) for c in self.counsellors]
        low, high = self.cell(key, "", ORG)
        ranges = {}
        for i, c in enumerate(self.counsellors):
            others_lo = sum(b[0] for j, b in enumerate(bounds) if j != i)
            others_hi = sum(b[1] for j, b in enumerate(bounds) if j != i)
            ranges[c] = (max(bounds[i][0], low - others_hi), min(bounds[i][1], high - others_lo))
        ranges[ORG] = (
            max(low, sum(b[0] for b in bounds)),
            min(high, sum(b[1] for b in bounds)),
        )
        return {s: (lo, min(hi, BIG)) for s, (lo, hi) in ranges.items()}

    def ranges(self, targets):
        """{(table, row, scope): (lo, hi, pinned)} for the target cells.

        ``pinned`` is exact: the cell is pinned when no two completions of the whole year
        (every table, with the same numbers of new cases) give it different values.
        (lo, hi) is exact for the scalars; for the other cells it is the outer range
        with the numbers of new cases free per table (exact when they are published).
        """
        result = {}
        for key in ("carried", "contacts"):
            for scope, (lo, hi) in self._scalar_ranges(key).items():
                result[key, "", scope] = (lo, hi, lo == hi)
        spans = [self._n_domain(c) for c in self.counsellors]
        first = self.find(spans)
        if first is None:
            raise ValueError("the published figures contradict each other")

        def other_n(i, value):
            lo, hi = spans[i]
            return any(
                low <= high and self.find(spans[:i] + [(low, high)] + spans[i + 1 :])
                for low, high in ((lo, value - 1), (value + 1, hi))
            )

        for i, c in enumerate(self.counsellors):
            result["new", "", c] = (*spans[i], not other_n(i, first[i]))
        org_lo, org_hi = self.cell("new", "", ORG)
        total = sum(first)
        org_other = self._find_total(spans, (org_lo, total - 1)) or self._find_total(
            spans, (total + 1, org_hi)
        )
        result["new", "", ORG] = (
            max(org_lo, sum(lo for lo, _hi in spans)),
            min(org_hi, sum(hi for _lo, hi in spans)),
            not org_other,
        )
        fixed = [(n, n) for n in first]
        for table, row, scope in targets:
            if table in SCALARS:
                continue
            outer = self._cell_range(table, row, scope, spans)
            if outer is None:
                raise ValueError("the published figures contradict each other")
            pinned = outer[0] == outer[1]
            if not pinned:
                inner = self._cell_range(table, row, scope, fixed)
                edge = self._edge_of(table, row, scope)
                value = inner[0]
                pinned = inner[0] == inner[1] and not any(
                    low <= high and self.find(spans, (table, edge, (low, high)))
                    for low, high in ((outer[0], value - 1), (value + 1, outer[1]))
                )
            result[table, row, scope] = (outer[0], outer[1], pinned)
        return {k: v for k, v in result.items() if k in set(targets)}

    def _find_total(self, spans, bounds):
        """Numbers of cases whose total (the organisation's) lies within ``bounds``."""
        low, high = bounds
        if low > high:
            return None
        saved = self.bounds.get(("new", "", ORG))
        old_lo, old_hi = saved or (0, BIG)
        self.bounds["new", "", ORG] = (max(low, old_lo), min(high, old_hi))
        try:
            return self.find(spans)
        finally:
            if saved is None:
                del self.bounds["new", "", ORG]
            else:
                self.bounds["new", "", ORG] = saved
