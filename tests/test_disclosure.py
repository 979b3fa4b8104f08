"""Disclosure control from Python: no suppressed count can be recomputed from the published cells
and the row and column totals (checked with numpy's matrix rank, independently of the crate's
graph method), and nothing at or above the threshold is suppressed without a secondary reason."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import crimeperf as cp


def recoverable(hidden: np.ndarray) -> list[tuple[int, int]]:
    """The suppressed cells (True in ``hidden``) that the totals determine: a cell is determined
    exactly when its unit vector lies in the row space of the totals' equations over the
    suppressed cells (row totals when there are two or more columns, column totals when there
    are two or more rows)."""
    n_rows, n_columns = hidden.shape
    cells = list(zip(*np.nonzero(hidden)))
    if not cells:
        return []
    equations = []
    if n_columns >= 2:
        equations += [[1.0 if r == row else 0.0 for r, _ in cells] for row in range(n_rows)]
    if n_rows >= 2:
        equations += [[1.0 if c == col else 0.0 for _, c in cells] for col in range(n_columns)]
    if not equations:
        return []
    a = np.array(equations)
    base = np.linalg.matrix_rank(a)
    out = []
    for i, cell in enumerate(cells):
        unit = np.zeros(len(cells))
        unit[i] = 1
        if np.linalg.matrix_rank(np.vstack([a, unit])) == base:
            out.append((int(cell[0]), int(cell[1])))
    return out


tables = st.integers(1, 6).flatmap(
    lambda columns: st.lists(
        st.lists(st.one_of(st.integers(0, 4), st.integers(5, 500)), min_size=columns,
                 max_size=columns),
        min_size=1, max_size=7,
    )
)


@settings(max_examples=150, deadline=None)
@given(tables, st.integers(1, 10))
def test_no_suppressed_count_is_recoverable_from_the_totals(rows: list[list[int]],
                                                            threshold: int) -> None:
    names = [f"c{j}" for j in range(len(rows[0]))]
    frame = pl.DataFrame(rows, schema=names, orient="row")
    safe = cp.suppress(frame, columns=names, threshold=threshold)
    counts = np.array(rows)
    hidden = np.column_stack([safe[f"{n}_suppressed"].is_not_null().to_numpy() for n in names])
    if counts.size > 1:
        assert recoverable(hidden) == []
    reasons = np.column_stack([safe[f"{n}_suppressed"].fill_null("").to_numpy() for n in names])
    assert ((counts < threshold) == (reasons == "primary")).all()
    # Nothing at or above the threshold is suppressed without a secondary reason.
    assert (reasons[(counts >= threshold) & hidden] == "secondary").all()
    published = np.column_stack([safe[n].to_numpy() for n in names])
    assert (published[~hidden] == counts[~hidden]).all()


def test_a_committee_table_with_rounding_keeps_the_callers_kind() -> None:
    pd = pytest.importorskip("pandas")
    table = pd.DataFrame({"area": ["Rochford", "Maldon", "Castle Point"],
                          "burglary": [42, 25, 61], "robbery": [3, 9, 14],
                          "theft": [121, 80, 133]})
    safe = cp.suppress(table, columns=["burglary", "robbery", "theft"], label="area",
                       rounding=5)
    assert isinstance(safe, pd.DataFrame)
    assert list(safe.columns) == ["area", "burglary", "burglary_suppressed", "robbery",
                                  "robbery_suppressed", "theft", "theft_suppressed"]
    assert safe["robbery_suppressed"].tolist()[0] == "primary"
    assert safe["theft"].tolist()[2] == 135  # 133 rounded to the nearest 5


def test_keep_zeros_publishes_zeros() -> None:
    frame = pl.DataFrame({"a": [0, 40, 50], "b": [60, 70, 80]})
    assert cp.suppress(frame, columns=["a", "b"], keep_zeros=True)["a"].to_list() == [0, 40, 50]


def test_bad_counts_name_their_row_and_column() -> None:
    frame = pl.DataFrame({"area": ["Rochford", "Maldon"], "robbery": [3, None]})
    with pytest.raises(cp.MissingValueError, match="Maldon, robbery"):
        cp.suppress(frame, columns="robbery", label="area")
    frame = pl.DataFrame({"area": ["Rochford", "Maldon"], "robbery": [3, -2]})
    with pytest.raises(cp.NegativeCountError, match="Maldon, robbery"):
        cp.suppress(frame, columns="robbery", label="area")
    frame = pl.DataFrame({"area": ["Rochford"], "robbery": [2.5]})
    with pytest.raises(cp.InvalidInputError, match="not a whole count"):
        cp.suppress(frame, columns="robbery", label="area")
    with pytest.raises(cp.ColumnNotFoundError):
        cp.suppress(frame, columns="theft")
