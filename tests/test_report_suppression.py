# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Small-cell suppression of the annual report: examples and property-based checks
(plain pytest, no database)."""

import itertools
import unittest

from vp_tools import report_suppression as rs

try:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover - hypothesis is a dev requirement
    st = None


def reader_bounds(statuses, threshold):
    """What a reader of the published table knows about each hidden cell."""
    if statuses and all(s == rs.HIDDEN for s in statuses):
        return {i: (0, None) for i in range(len(statuses))}
    bounds = {}
    for i, status in enumerate(statuses):
        if status == rs.PRIMARY:
            bounds[i] = (1, threshold - 1)
        elif status in (rs.COMPLEMENTARY, rs.HIDDEN):
            bounds[i] = (threshold, None)
    return bounds


def brute_force_values(values, statuses, threshold, total, mode):
    """Every value each hidden cell can take, by enumerating all completions.

    Independent of the engine's interval arithmetic: it tries every integer vector for
    the hidden cells (bounded by the total) that is consistent with what is published.
    """
    bounds = reader_bounds(statuses, threshold)
    hidden = sorted(bounds)
    cap = total if total is not None else sum(values) + threshold
    ranges = []
    for i in hidden:
        lo, hi = bounds[i]
        hi = cap if hi is None else min(hi, cap)
        ranges.append(range(lo, hi + 1))
    published = sum(v for v, s in zip(values, statuses, strict=True) if s == rs.PUBLISHED)
    possible = {i: set() for i in hidden}
    for combo in itertools.product(*ranges):
        if total is not None:
            if mode == "partition" and published + sum(combo) != total:
                continue
            if mode == "multi" and (
                published + sum(combo) < total or any(c > total for c in combo)
            ):
                continue
        for i, value in zip(hidden, combo, strict=True):
            possible[i].add(value)
    return possible


class TestSuppressionExamples(unittest.TestCase):
    def test_primary_cells_shown_as_below_threshold(self):
        cells, total = rs.protect_rows(
            [("a", "A", 3), ("b", "B", 12), ("c", "C", 0), ("d", "D", 7)], 5
        )
        shown = {c["key"]: c["cell"]["d"] for c in cells}
        self.assertEqual(shown["a"], "< 5")
        self.assertEqual(shown["c"], "0", "a true zero is published as 0")
        # One small cell next to a published total: the next-smallest cell goes too.
        self.assertEqual(shown["d"], "x")
        self.assertEqual(shown["b"], "12")
        self.assertEqual(total["d"], "22")
        self.assertIsNone(cells[0]["cell"]["v"], "a hidden cell keeps no value")

    def test_small_total_is_suppressed(self):
        cells, total = rs.protect_rows([("a", "A", 3), ("b", "B", 0)], 5)
        self.assertEqual(total["d"], "< 5")
        self.assertEqual(cells[0]["cell"]["d"], "< 5")

    def test_table_hidden_when_nothing_protects_it(self):
        # 1 + 1 + 5 = 7: even hiding the 5 pins the ones (all at their minimum).
        statuses, total_status = rs.protect([1, 1, 5], 5)
        self.assertEqual(statuses, [rs.HIDDEN] * 3)
        self.assertEqual(total_status, rs.PUBLISHED)

    def test_multi_category_total_is_cases_not_mentions(self):
        # 10 cases, 14 mentions: the sum of rows exceeds the number of cases.
        statuses, _total = rs.protect([6, 4, 4], 5, total=10, mode="multi")
        self.assertEqual(statuses[1], rs.PRIMARY)
        self.assertTrue(rs.is_safe([6, 4, 4], statuses, 5, 10, "multi"))

    def test_threshold_never_below_three(self):
        with self.assertRaises(ValueError):
            rs.protect([1, 2], 2)

    def test_forced_cell_is_hidden_for_consistency(self):
        statuses, _t = rs.protect([8, 9, 10], 5, forced=[0])
        self.assertEqual(statuses[0], rs.COMPLEMENTARY)
        self.assertIn(rs.COMPLEMENTARY, statuses[1:], "a lone hidden cell gets a partner")


if st is not None:
    tables = st.lists(st.integers(min_value=0, max_value=8), min_size=2, max_size=5)

    class TestSuppressionProperties(unittest.TestCase):
        @settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
        @given(values=tables, threshold=st.integers(min_value=3, max_value=6))
        def test_partition_tables_disclose_nothing(self, values, threshold):
            self._check(values, threshold, None, "partition")

        @settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
        @given(
            values=tables,
            threshold=st.integers(min_value=3, max_value=6),
            data=st.data(),
        )
        def test_multi_category_tables_disclose_nothing(self, values, threshold, data):
            # Number of cases: at least the largest row, at most the sum of mentions.
            cases = data.draw(
                st.integers(min_value=max(values), max_value=max(sum(values), max(values)))
            )
            self._check(values, threshold, cases, "multi")

        def _check(self, values, threshold, total, mode):
            statuses, total_status = rs.protect(values, threshold, total, mode)
            true_total = sum(values) if mode == "partition" else total
            for value, status in zip(values, statuses, strict=True):
                if status == rs.PUBLISHED:
                    self.assertFalse(0 < value < threshold, (values, statuses))
            if 0 < true_total < threshold:
                self.assertEqual(total_status, rs.PRIMARY)
            known_total = true_total if total_status == rs.PUBLISHED else None
            possible = brute_force_values(values, statuses, threshold, known_total, mode)
            for i, options in possible.items():
                self.assertIn(values[i], options, "the true value must stay possible")
                self.assertGreater(len(options), 1, f"cell {i} of {values} follows from {statuses}")

else:  # pragma: no cover

    class TestSuppressionProperties(unittest.TestCase):
        @unittest.skip("hypothesis is not installed")
        def test_properties(self):
            pass
