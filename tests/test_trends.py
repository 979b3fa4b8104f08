"""Trends over time (issue #11): year to date, rolling sums, SPC charts, projections, plots.

Expected values come from direct sums of the monthly counts and the published XmR formulas
written out here (NHS England "Making Data Count": mean ± 2.66 × average moving range), never
from crimeperf itself. Tests reading ../shared skip with a message when it is absent and fail
when CRIMEPERF_REQUIRE_SHARED=1.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

import crimeperf as cp
from shared_data import RAW, require

CITY_2017_20 = RAW / "police_uk_street_2017_20_city_of_london"


def _months(first: date, n: int) -> list[date]:
    out = []
    year, month = first.year, first.month
    for _ in range(n):
        out.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _two_areas() -> pl.DataFrame:
    months = _months(date(2023, 1, 1), 36)
    return pl.DataFrame(
        {
            "csp_name": ["Basildon"] * 36 + ["Rochford"] * 36,
            "period_start": months + months,
            "crimes": [(7 * i) % 23 + 10 for i in range(36)] + [(5 * i) % 17 + 3 for i in range(36)],
        }
    )


def test_year_to_date_equals_direct_sums_financial_year() -> None:
    counts = _two_areas()
    out = cp.year_to_date(counts, through="2025-11", by="csp_name")
    for row in out.iter_rows(named=True):
        area = counts.filter(pl.col("csp_name") == row["csp_name"])
        # April to November 2025 against April to November 2024: financial years start in April.
        current = area.filter(pl.col("period_start").is_between(date(2025, 4, 1), date(2025, 11, 1)))
        previous = area.filter(pl.col("period_start").is_between(date(2024, 4, 1), date(2024, 11, 1)))
        assert row["current"] == current["crimes"].sum()
        assert row["previous"] == previous["crimes"].sum()
        assert row["change"] == row["current"] - row["previous"]
        assert row["period"] == "April to November 2025"
    assert out["csp_name"].to_list() == ["Basildon", "Rochford"]


def test_year_to_date_calendar_year_start() -> None:
    counts = _two_areas()
    out = cp.year_to_date(counts, through="2025-03", year_start=1, by="csp_name")
    area = counts.filter(pl.col("csp_name") == "Basildon")
    expected = area.filter(pl.col("period_start").is_between(date(2025, 1, 1), date(2025, 3, 1)))
    assert out["current"][0] == expected["crimes"].sum()


def test_missing_month_names_group_and_month_unless_zero() -> None:
    counts = _two_areas().filter(
        ~((pl.col("csp_name") == "Rochford") & (pl.col("period_start") == date(2024, 6, 1)))
    )
    with pytest.raises(cp.InvalidInputError, match='"csp_name=Rochford" has no value for 2024-06'):
        cp.year_to_date(counts, through="2025-11", by="csp_name")
    filled = cp.year_to_date(counts, through="2025-11", by="csp_name", missing="zero")
    full = cp.year_to_date(_two_areas(), through="2025-11", by="csp_name")
    june_2024 = _two_areas().filter(
        (pl.col("csp_name") == "Rochford") & (pl.col("period_start") == date(2024, 6, 1))
    )["crimes"][0]
    assert filled["previous"][1] == full["previous"][1] - june_2024


def test_rolling_sums_equal_direct_sums() -> None:
    counts = _two_areas()
    out = cp.rolling(counts, months=12, by="csp_name")
    basildon = counts.filter(pl.col("csp_name") == "Basildon")["crimes"].to_list()
    got = out.filter(pl.col("csp_name") == "Basildon")["rolling_sum"].to_list()
    assert got == [sum(basildon[i - 11 : i + 1]) for i in range(11, 36)]
    rates = cp.rolling(counts, months=12, by="csp_name", population=50_000)
    assert rates["rate"][0] == pytest.approx(got[0] / 50_000 * 1000)


def _xmr_limits(values: list[float]) -> tuple[float, float, float]:
    mean = sum(values) / len(values)
    ranges = [abs(b - a) for a, b in zip(values, values[1:])]
    mr = sum(ranges) / len(ranges)
    return mean, mean - 2.66 * mr, mean + 2.66 * mr


def test_spc_frame_equals_plain_sequence_and_the_published_formula() -> None:
    counts = _two_areas().filter(pl.col("csp_name") == "Basildon")
    from_frame = cp.spc(counts)
    from_numbers = cp.spc(counts["crimes"].to_list())
    # The description names the month for a frame and the point for plain numbers.
    shared = [c for c in from_frame.columns if c in from_numbers.columns and c != "description"]
    assert from_frame.select(shared).equals(from_numbers.select(shared))
    centre, lower, upper = _xmr_limits([float(v) for v in counts["crimes"]])
    assert from_frame["centre"][0] == pytest.approx(centre)
    assert from_frame["lower_limit"][0] == pytest.approx(lower)
    assert from_frame["upper_limit"][0] == pytest.approx(upper)
    by_area = cp.spc(_two_areas(), by="csp_name")
    assert by_area.filter(pl.col("csp_name") == "Basildon").drop("csp_name").equals(from_frame)


def test_an_error_in_one_groups_chart_names_the_group() -> None:
    counts = _two_areas().filter(
        (pl.col("csp_name") == "Basildon") | (pl.col("period_start") < date(2023, 7, 1))
    )
    with pytest.raises(cp.InvalidInputError, match="csp_name=Rochford.*6 points"):
        cp.spc(counts, by="csp_name")


def test_options_of_the_wrong_type_or_value_are_crimeperf_errors() -> None:
    counts = _two_areas()
    values = [float(v) for v in range(12)]
    with pytest.raises(cp.ArgumentTypeError, match="screen must be True or False, got str"):
        cp.spc(values, screen="yes")  # type: ignore[arg-type]
    with pytest.raises(cp.ArgumentTypeError, match="months must be a whole number, got str"):
        cp.rolling(counts, months="12", by="csp_name")  # type: ignore[arg-type]
    with pytest.raises(cp.InvalidInputError, match="year_start must be a month number"):
        cp.year_to_date(counts, through="2025-11", year_start=13, by="csp_name")
    with pytest.raises(cp.UnknownOptionError, match="did you mean 'u_prime'"):
        cp.spc(values, chart="u-prime")  # type: ignore[arg-type]


def test_spc_gives_back_the_callers_kind_of_frame() -> None:
    pd = pytest.importorskip("pandas")
    counts = _two_areas()
    as_pandas = cp.spc(counts.to_pandas(), by="csp_name")
    assert isinstance(as_pandas, pd.DataFrame)
    assert as_pandas["centre"].tolist() == cp.spc(counts, by="csp_name")["centre"].to_list()


def test_spc_rebase_with_reason_and_short_series() -> None:
    values = [10.0] * 6 + [11.0, 9.0] * 5 + [20.0, 21.0, 19.0] * 4 + [20.0] * 4
    chart = cp.spc(values, rebase_at={18: "new recording rules"})
    assert chart["segment"].to_list() == [0] * 18 + [1] * 14
    assert chart["rebase_reason"][18] == "new recording rules"
    with pytest.raises(cp.InvalidInputError, match="fewer than the 12"):
        cp.spc(values[:8])
    assert cp.spc(values[:8], allow_short=True).height == 8


@given(st.lists(st.integers(min_value=0, max_value=200), min_size=12, max_size=40))
def test_reversing_improvement_swaps_improvement_and_concern(values: list[int]) -> None:
    down = cp.spc(values, improvement="decrease")
    up = cp.spc(values, improvement="increase")
    swap = {"improvement": "concern", "concern": "improvement", "common_cause": "common_cause"}
    assert [swap[v] for v in down["variation"]] == up["variation"].to_list()
    assert down.drop("variation", "description").equals(up.drop("variation", "description"))


def test_project_year_end_matches_direct_computation() -> None:
    months = _months(date(2022, 4, 1), 42)
    crimes = [100 + (i % 12) * 3 for i in range(36)] + [90] * 6
    counts = pl.DataFrame({"period_start": months, "crimes": crimes})
    out = cp.project_year_end(counts, through="2025-09", target=1300)
    # Each past financial year: April to September share of the whole year.
    shares = [sum(crimes[12 * k : 12 * k + 6]) / sum(crimes[12 * k : 12 * k + 12]) for k in range(3)]
    share = sum(shares) / 3
    assert out["share"][0] == pytest.approx(share)
    assert out["expected"][0] == pytest.approx(540 / share)
    assert 0.0 <= out["probability_of_meeting"][0] <= 1.0


def test_plot_spc_returns_a_figure() -> None:
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import crimeperf.plot

    chart = cp.spc([10, 11, 9, 10, 12, 10, 9, 11, 10, 10, 11, 30])
    figure = crimeperf.plot.spc(chart, title="Burglary each month")
    axes = figure.axes[0]
    assert axes.get_xlabel() == "Point"
    labels = [t.get_text() for t in axes.get_legend().get_texts()]
    assert "Special cause: concern" in labels


def test_plot_year_to_date_draws_the_running_totals_and_names_a_missing_month() -> None:
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import crimeperf.plot
    from crimeperf.exceptions import CrimeperfError

    months = [date(2024 + (3 + i) // 12, (3 + i) % 12 + 1, 1) for i in range(15)]
    counts = pl.DataFrame({"period_start": months, "crimes": list(range(10, 25))})
    projection = cp.project_year_end(counts, through="2025-06", history_years=1)
    figure = crimeperf.plot.year_to_date(counts, through="2025-06", projection=projection)
    this_year, last_year = figure.axes[0].get_lines()[:2]
    assert list(this_year.get_ydata()) == [22, 45, 69]  # 22, 22 + 23, 22 + 23 + 24
    assert list(last_year.get_ydata())[-1] == sum(range(10, 22))
    assert [t.get_text() for t in figure.axes[0].get_xticklabels()][:2] == ["Apr", "May"]
    with pytest.raises(CrimeperfError, match="no count for May 2024"):
        crimeperf.plot.year_to_date(counts.filter(pl.col("period_start") != date(2024, 5, 1)),
                                    through="2025-06")
    with pytest.raises(CrimeperfError, match="not a month"):
        crimeperf.plot.year_to_date(counts, through="June 2025")


def test_city_of_london_lockdown_fall_flagged() -> None:
    require(CITY_2017_20)
    data = cp.read_police_uk(CITY_2017_20)
    counts = cp.count_crimes(data.records, by=[], period="month")
    chart = cp.spc(counts)
    assert chart.height == 36
    flagged = chart.filter(pl.col("special_cause") & (pl.col("variation") == "improvement"))
    months = {d.strftime("%Y-%m") for d in flagged["period_start"]}
    assert {"2020-04", "2020-05"} <= months


CITY_2024_25 = RAW / "police_uk_street_2024_25_city_of_london"


def test_city_of_london_open_outcomes_rise_at_the_end_and_are_flagged() -> None:
    require(CITY_2024_25)
    records = cp.read_police_uk(CITY_2024_25).records
    maturity = cp.outcome_maturity(records)
    shares = maturity["open_share"].to_list()
    # The last three months carry more open outcomes than the first year's median.
    first_year = sorted(shares[:12])
    assert min(shares[-3:]) > first_year[6]
    immature = maturity.filter(~pl.col("mature"))
    assert immature.height >= 1
    # The immature months are the latest ones, in one run to the end.
    last = maturity["month"].max()
    assert last in immature["month"].to_list()
    positions = [maturity["month"].to_list().index(m) for m in immature["month"]]
    assert positions == list(range(maturity.height - immature.height, maturity.height))
    # And the open share is recomputed directly from the records.
    crimes = records.filter(~pl.col("is_asb"))
    pending = crimes["last_outcome"].is_in(["Under investigation", "Awaiting court outcome"])
    direct = crimes.with_columns(pending=pending).group_by("month").agg(
        pl.col("pending").mean().alias("share")
    ).sort("month")
    assert maturity["open_share"].to_list() == pytest.approx(direct["share"].to_list())
    rates = cp.solved_rates(records, by="month", mature_only=True)
    assert last not in rates["month"].to_list()
    assert rates["immature_months_left_out"][0].endswith(last.strftime("%Y-%m"))


OUTCOMES_2024_25 = RAW / "police_uk_outcomes_2024_25_city_of_london"


def test_solved_within_agrees_with_a_direct_computation() -> None:
    require(CITY_2024_25)
    require(OUTCOMES_2024_25)
    street = cp.read_police_uk(CITY_2024_25).records
    outcomes = cp.read_police_uk(OUTCOMES_2024_25, kind="outcomes").records
    got = cp.solved_within(street, outcomes, months=3)
    solved_labels = cp.outcomes().filter("solved_by_default")["outcome"]
    first_solved = (
        outcomes.filter(pl.col("outcome").is_in(solved_labels.to_list()))
        .group_by("crime_id")
        .agg(pl.col("month").min().alias("solved_month"))
    )
    crimes = street.filter(~pl.col("is_asb") & pl.col("crime_id").is_not_null())
    joined = crimes.join(first_solved, on="crime_id", how="left").with_columns(
        solved=pl.col("solved_month").is_not_null()
        & (pl.col("solved_month") <= pl.col("month").dt.offset_by("3mo"))
    )
    direct = joined.group_by("month").agg(
        pl.len().alias("crimes"), pl.col("solved").sum().alias("solved_within")
    ).sort("month")
    assert got["month"].to_list() == direct["month"].to_list()
    assert got["crimes"].to_list() == direct["crimes"].to_list()
    assert got["solved_within"].to_list() == direct["solved_within"].to_list()
    # Outcomes run to 2025-04: crime months to 2025-01 are complete at 3 months, later ones not.
    last_outcome = outcomes["month"].max()
    expected_complete = [m.replace(year=m.year + (m.month + 2) // 12, month=(m.month + 2) % 12 + 1)
                         <= last_outcome for m in got["month"]]
    assert got["complete"].to_list() == expected_complete


def test_trends_of_a_read_say_the_rows_left_out_where_they_are_called() -> None:
    sample = Path(__file__).resolve().parent.parent / "data" / "police_uk"
    data = cp.read_police_uk(sample, progress=False)
    with pytest.warns(cp.ExcludedRowsWarning,
                      match=r"^spc left out 71 rows in an LSOA outside") as said:
        chart = cp.spc(data, by="csp_name", allow_short=True)
    assert said[0].filename == __file__
    assert "outside_force" not in str(said[0].message)  # spc has no such option to offer
    rochford = chart.filter(pl.col("csp_name") == "Rochford")
    assert rochford.height == 6
