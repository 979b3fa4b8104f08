"""Survey measures and standardised ratios: Wilson intervals against statsmodels (with the
effective sample size of a design effect), Newcombe's interval recomputed by hand and against his
1998 example, PHEindicatormethods' ISRatio reference values, properties, and the errors."""

from __future__ import annotations

import math

import openpyxl
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from statsmodels.stats.proportion import proportion_confint

import crimeperf as cp
from shared_data import SHARED, needs

PHE = SHARED / "data" / "reference" / "pheindicatormethods"


def test_a_count_is_statsmodels_wilson() -> None:
    for count, base in [(557, 1000), (0, 40), (40, 40), (3, 17), (1234, 5678)]:
        share = cp.survey_proportion(count=count, base=base)
        # statsmodels.stats.proportion.proportion_confint(count, base, method="wilson")
        low, high = proportion_confint(count, base, method="wilson")
        assert (share.lower, share.upper) == pytest.approx((low, high), abs=1e-12)
        assert share.value == count / base and share.effective_base == base


def test_a_percent_with_a_design_effect_uses_the_effective_sample() -> None:
    share = cp.survey_proportion(55.7, base=1000, design_effect=1.5)
    effective = 1000 / 1.5
    # proportion_confint(0.557 * n_eff, n_eff, method="wilson"), n_eff = 1000 / 1.5
    low, high = proportion_confint(0.557 * effective, effective, method="wilson")
    assert (share.lower, share.upper) == pytest.approx((low, high), abs=1e-12)
    assert share.effective_base == pytest.approx(effective)
    plain = cp.survey_proportion(55.7, base=1000)
    assert plain.upper - plain.lower < share.upper - share.lower


def test_two_waves_give_newcombes_interval() -> None:
    # Newcombe (1998), example (a): 56/70 against 48/80 gives 0.0524 to 0.3339.
    change = cp.survey_change(count=56, previous_count=48, base=70, previous_base=80)
    assert (round(change.lower / 100, 4), round(change.upper / 100, 4)) == (0.0524, 0.3339)
    # By hand from statsmodels' Wilson limits, with design effects.
    now, then = (0.557, 1000 / 1.4), (0.61, 950 / 1.2)
    l1, u1 = proportion_confint(now[0] * now[1], now[1], method="wilson")
    l2, u2 = proportion_confint(then[0] * then[1], then[1], method="wilson")
    d = now[0] - then[0]
    lower = d - math.sqrt((now[0] - l1) ** 2 + (u2 - then[0]) ** 2)
    upper = d + math.sqrt((u1 - now[0]) ** 2 + (then[0] - l2) ** 2)
    got = cp.survey_change(55.7, 61.0, base=1000, previous_base=950, design_effect=1.4,
                           previous_design_effect=1.2)
    assert (got.value, got.lower, got.upper) == pytest.approx((100 * d, 100 * lower, 100 * upper),
                                                              abs=1e-10)
    assert got.significance == ("reduction" if upper < 0 else "no_significant_change")
    assert got.describe() == "5.3 percentage points lower (55.7% against 61.0%)"


@given(st.integers(1, 5000), st.data(), st.floats(1.0, 4.0))
def test_intervals_hold_the_share_and_widen(base: int, data: st.DataObject, deff: float) -> None:
    count = data.draw(st.integers(0, base))
    narrow = cp.survey_proportion(count=count, base=base, confidence=0.9, design_effect=deff)
    wide = cp.survey_proportion(count=count, base=base, confidence=0.99, design_effect=deff)
    assert narrow.lower <= narrow.value <= narrow.upper
    assert wide.lower <= narrow.lower and narrow.upper <= wide.upper
    simple = cp.survey_proportion(count=count, base=base, confidence=0.9)
    assert narrow.lower <= simple.lower + 1e-12 and simple.upper <= narrow.upper + 1e-12


def test_survey_errors_say_what_is_wrong() -> None:
    with pytest.raises(cp.InvalidInputError, match="has no sample size; pass base="):
        cp.survey_proportion(55.7)
    with pytest.raises(cp.InvalidInputError, match="give the share as a percent"):
        cp.survey_proportion(base=100)
    with pytest.raises(cp.InvalidInputError, match="not both"):
        cp.survey_proportion(50.0, count=5, base=10)
    with pytest.raises(cp.InvalidDenominatorError, match="sample size"):
        cp.survey_proportion(50.0, base=0)
    with pytest.raises(cp.InvalidInputError, match="percentage must be between 0 and 100, got 101"):
        cp.survey_proportion(101.0, base=100)
    with pytest.raises(cp.InvalidInputError, match="design effect"):
        cp.survey_proportion(50.0, base=100, design_effect=0.5)
    with pytest.raises(cp.NegativeCountError):
        cp.survey_proportion(count=-1, base=100)
    with pytest.raises(cp.NumeratorAboveDenominatorError):
        cp.survey_proportion(count=101, base=100)
    with pytest.raises(cp.InvalidInputError, match="the earlier wave"):
        cp.survey_change(55.7, 61.0, base=1000)


@needs(PHE)
def test_standardised_ratios_agree_with_pheindicatormethods() -> None:
    """testresults_ISR rows 7:12 (ISRatio x1 and x100) and 15:16 (x100, 95% only) of
    PHEindicatormethods 2.1.0's testdata_DSR_ISR.xlsx, within 1e-9 relative."""
    book = openpyxl.load_workbook(PHE / "testdata_DSR_ISR.xlsx", read_only=True, data_only=True)
    rows = list(book["testresults_ISR"].iter_rows(values_only=True))
    header, data = rows[0], [dict(zip(rows[0], r)) for r in rows[1:]]
    ratios = [r for r in data if str(r["statistic"]).startswith("indirectly standardised ratio")]
    assert len(ratios) == 8, header
    for row in ratios:
        per = 100.0 if row["statistic"].endswith("x 100") else 1.0
        method = "exact" if row["method"] == "Exact" else "byar"
        for level, lower, upper in [(0.95, "lower95_0cl", "upper95_0cl"),
                                    (0.998, "lower99_8cl", "upper99_8cl")]:
            if row[lower] is None:
                continue
            got = cp.standardised_ratio(row["observed"], row["expected"], per=per, confidence=level)
            assert got.method == method
            assert (got.value, got.lower, got.upper) == pytest.approx(
                (row["value"], row[lower], row[upper]), rel=1e-9), (row["area"], per, level)
    frame = pl.DataFrame({"observed": [r["observed"] for r in ratios[3:6]],
                          "expected": [r["expected"] for r in ratios[3:6]]})
    out = cp.standardised_ratios(frame, observed="observed", expected="expected")
    assert out["ratio_upper"].to_list() == pytest.approx([r["upper95_0cl"] for r in ratios[3:6]],
                                                         rel=1e-9)


def test_standardised_ratio_errors_and_words() -> None:
    assert cp.standardised_ratio(110, 100).describe().endswith(
        "not significantly different from the expected 100")
    assert "significantly above" in cp.standardised_ratio(300, 200).describe()
    with pytest.raises(cp.InvalidDenominatorError):
        cp.standardised_ratio(5, 0)
    with pytest.raises(cp.NegativeCountError):
        cp.standardised_ratio(-5, 10)
