"""Most similar groups from Python: similar areas, users' own groups, peer comparison and funnel
plots, each checked against an independent computation written here (scipy's ``cdist``, chi-square
and incomplete gamma/beta functions, Spiegelhalter's overdispersion formulas in plain numpy), on
the bundled CSP characteristics and ONS tables, with Hypothesis properties.
"""

from __future__ import annotations

import csv
import math
import warnings
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq
from scipy.spatial.distance import cdist
from scipy.special import betainc, gammainc, gammaincc
from scipy.stats import chi2, norm

import crimeperf as cp
import crimeperf.plot
from shared_data import SHARED, needs

DEMONSTRATION_VARIABLES = [
    "log_density", "household_size", "share_aged_0_15", "share_aged_16_24", "share_aged_65_plus",
]
ROCHFORD = "E22000088"


# ---------------------------------------------------------------------------------------------
# Similar areas


def reference_neighbours(
    codes: list[str], x: np.ndarray, k: int, weights: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each area's k nearest others with scipy: cdist(X, X, "seuclidean", V=var(ddof=1)/w),
    ties broken by code; the indices, distances and similarities (1 - (d - min)/(max - min) over
    every pair of distinct areas)."""
    variance = x.var(axis=0, ddof=1)
    if weights is not None:
        variance = variance / weights
    d = cdist(x, x, "seuclidean", V=variance)
    off = d[~np.eye(len(codes), dtype=bool)]
    low, high = off.min(), off.max()
    by_code = np.array(codes)
    indices = []
    for i in range(len(codes)):
        others = [j for j in range(len(codes)) if j != i]
        order = sorted(others, key=lambda j: (d[i, j], by_code[j]))
        indices.append(order[:k])
    idx = np.array(indices)
    dist = np.take_along_axis(d, idx, axis=1)
    similarity = 1 - (dist - low) / (high - low)
    return idx, dist, similarity


def test_similar_areas_agree_with_scipy_cdist_on_every_csp() -> None:
    features = cp.csp_characteristics()
    weights = {"log_density": 2.0, "share_aged_65_plus": 0.5}
    got = cp.similar_areas(features, area="csp_code", k=15, variables=DEMONSTRATION_VARIABLES,
                           weights=weights)
    codes = features["csp_code"].to_list()
    x = features.select(DEMONSTRATION_VARIABLES).to_numpy()
    w = np.array([weights.get(v, 1.0) for v in DEMONSTRATION_VARIABLES])
    idx, dist, similarity = reference_neighbours(codes, x, 15, w)
    assert got.height == len(codes) * 15
    got = got.sort(["area", "peer_rank"])
    by_area = {code: i for i, code in enumerate(codes)}
    for area, part in got.group_by("area", maintain_order=True):
        i = by_area[area[0]]
        assert part["peer"].to_list() == [codes[j] for j in idx[i]]
        np.testing.assert_allclose(part["distance"].to_numpy(), dist[i], rtol=1e-10)
        np.testing.assert_allclose(part["similarity"].to_numpy(), similarity[i], atol=1e-10)
        assert part["peer_rank"].to_list() == list(range(1, 16))


def test_demonstration_groups_are_the_similar_areas_of_the_bundled_characteristics() -> None:
    groups = cp.demonstration_groups()
    features = cp.csp_characteristics()
    again = cp.similar_areas(features, area="csp_code", variables=DEMONSTRATION_VARIABLES)
    assert groups.select(again.columns).equals(again)
    assert groups["area"].n_unique() == 314
    assert groups.group_by("area").len()["len"].unique().to_list() == [15]
    assert groups.filter(pl.col("area") == pl.col("peer")).height == 0
    rochford = groups.filter(pl.col("area") == ROCHFORD)
    assert rochford["area_name"].unique().to_list() == ["Rochford"]
    assert rochford["peer_name"].null_count() == 0


def test_similar_areas_uses_every_numeric_column_by_default_and_keeps_the_frame_kind() -> None:
    pd = pytest.importorskip("pandas")
    features = pd.DataFrame({"area": ["A", "B", "C", "D"], "x": [1.0, 2.0, 4.0, 8.0],
                             "y": [3, 1, 4, 1], "label": ["p", "q", "r", "s"]})
    got = cp.similar_areas(features, area="area", k=1)
    assert isinstance(got, pd.DataFrame)
    x = features[["x", "y"]].to_numpy(dtype=float)
    idx, _, _ = reference_neighbours(list(features["area"]), x, 1)
    assert list(got["peer"]) == [features["area"][i[0]] for i in idx]


def test_similar_areas_names_the_variable_and_area_of_a_missing_value() -> None:
    features = pl.DataFrame({"area": ["A", "B", "C"], "x": [1.0, None, 3.0], "y": [1.0, 2.0, 0.0]})
    with pytest.raises(cp.InvalidInputError, match=r"(?s)x.*B|B.*x"):
        cp.similar_areas(features, area="area", k=1)


def test_similar_areas_rejects_a_constant_variable_naming_it() -> None:
    features = pl.DataFrame({"area": ["A", "B", "C"], "x": [1.0, 2.0, 3.0], "flat": [5.0] * 3})
    with pytest.raises(cp.InvalidInputError, match="flat"):
        cp.similar_areas(features, area="area", k=1)


def test_similar_areas_rejects_a_text_variable_naming_it() -> None:
    features = pl.DataFrame({"area": ["A", "B", "C"], "x": [1.0, 2.0, 3.0], "kind": ["a", "b", "c"]})
    with pytest.raises(cp.ColumnTypeError, match="kind"):
        cp.similar_areas(features, area="area", k=1, variables=["x", "kind"])


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        # Thousandths from -1,000 to 1,000: two distinct values never have a variance that
        # underflows to zero (0 and 5e-324 do, and are then rightly a constant variable).
        st.tuples(st.integers(-10**6, 10**6).map(lambda i: i / 1000),
                  st.integers(-10**6, 10**6).map(lambda i: i / 1000)),
        min_size=4, max_size=25,
    ),
    st.integers(1, 3),
)
def test_an_area_is_never_its_own_neighbour(points: list[tuple[float, float]], k: int) -> None:
    x = [p[0] for p in points]
    y = [p[1] for p in points]
    if len(set(x)) < 2 or len(set(y)) < 2:
        return  # a constant variable is an error, tested above
    features = pl.DataFrame({"area": [f"A{i:02}" for i in range(len(points))], "x": x, "y": y})
    got = cp.similar_areas(features, area="area", k=k)
    assert got.filter(pl.col("area") == pl.col("peer")).height == 0
    assert got.height == len(points) * k
    assert got["similarity"].min() >= -1e-12 and got["similarity"].max() <= 1 + 1e-12


# ---------------------------------------------------------------------------------------------
# Users' own groups


def test_read_similar_groups_reads_wide_csv_by_name_and_reports_what_it_cannot_place(
    tmp_path: Path,
) -> None:
    path = tmp_path / "msg.csv"
    path.write_text(
        "Area,Peer 1,Peer 2,Peer 3\n"
        "Rochford,Castle Point,maldon,Atlantis\n"
        "Castle Point,Rochford,E22000079,\n"
        "Bristol City of,Leeds,,\n",
        encoding="utf-8",
    )
    with pytest.warns(cp.ExcludedRowsWarning, match="Atlantis"):
        groups = cp.read_similar_groups(path)
    rochford = groups.groups.filter(pl.col("area") == ROCHFORD)
    assert rochford["peer_name"].to_list() == ["Castle Point", "Maldon"]
    assert rochford["peer_rank"].to_list() == [1, 2]
    assert groups.unplaced.select("row", "column", "value").rows() == [(0, "Peer 3", "Atlantis")]
    assert groups.groups["level"].unique().to_list() == ["csp"]
    # Basildon, Maldon and Leeds are named only as peers.
    names = dict(zip(groups.groups["peer"], groups.groups["peer_name"]))
    assert sorted(names[c] for c in groups.without_group) == ["Basildon", "Leeds", "Maldon"]
    assert "Bristol" in groups.groups.filter(pl.col("peer_name") == "Leeds")["area_name"][0]


def test_read_similar_groups_reads_a_long_workbook_below_its_title(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Most similar groups (our own)"])  # a title row above the header
    sheet.append([])
    sheet.append(["AREA", "PEER"])
    for area, peer in [("Rochford", "Castle Point"), ("Rochford", "Maldon"), ("Maldon", None)]:
        sheet.append([area, peer])
    path = tmp_path / "msg.xlsx"
    book.save(path)
    with pytest.warns(cp.ExcludedRowsWarning, match="names no peer"):
        groups = cp.read_similar_groups(path)
    assert groups.groups["peer_name"].to_list() == ["Castle Point", "Maldon"]
    assert groups.unplaced.select("row", "column").rows() == [(2, "PEER")]


def test_read_similar_groups_needs_an_area_column() -> None:
    with pytest.raises(cp.ColumnNotFoundError, match="area"):
        cp.read_similar_groups(pl.DataFrame({"place": ["Rochford"], "peer": ["Maldon"]}))


def test_read_similar_groups_names_a_file_that_is_not_there(tmp_path: Path) -> None:
    with pytest.raises(cp.DataFileNotFoundError):
        cp.read_similar_groups(tmp_path / "missing.csv")


# ---------------------------------------------------------------------------------------------
# Peer comparison


def ons_latest() -> pl.DataFrame:
    ons = cp.ons_csp_tables()
    return ons.filter(
        (pl.col("level") == "csp") & (pl.col("year_ending") == pl.col("year_ending").max())
    )


def reference_comparison(
    counts: pl.DataFrame, groups: pl.DataFrame, average: str, confidence: float
) -> dict[tuple[str, str], dict[str, object]]:
    """Rank, group averages, expected count and verdicts in plain Python and scipy, per
    (offence group, area): competition ranking, the unweighted mean and the pooled rate, and the
    exact Poisson (Garwood) limits chi2.ppf(a/2, 2O)/2 and chi2.ppf(1 - a/2, 2O + 2)/2."""
    out: dict[tuple[str, str], dict[str, object]] = {}
    members_of: dict[str, list[str]] = {}
    for area, peer in groups.select("area", "peer").iter_rows():
        members_of.setdefault(area, [area]).append(peer)
    for (offence,), part in counts.group_by("offence_group"):
        count = dict(zip(part["area_code"], part["count"]))
        population = dict(zip(part["area_code"], part["population"]))
        for area, members in members_of.items():
            rates = {m: count[m] / population[m] * 1000 for m in members}
            rank = 1 + sum(rates[m] < rates[area] for m in members)
            mean = sum(rates.values()) / len(members)
            pooled = sum(count[m] for m in members) / sum(population[m] for m in members) * 1000
            used = mean if average == "mean" else pooled
            expected = used / 1000 * population[area]
            verdicts = []
            for level in (confidence, 0.998):
                alpha = 1 - level
                o = count[area]
                lower = chi2.ppf(alpha / 2, 2 * o) / 2 if o > 0 else 0.0
                upper = chi2.ppf(1 - alpha / 2, 2 * o + 2) / 2
                verdicts.append(
                    "significantly_higher" if expected < lower
                    else "significantly_lower" if expected > upper
                    else "similar"
                )
            out[(offence, area)] = {
                "rank": rank, "group_mean": mean, "group_pooled": pooled, "expected": expected,
                "verdict_95": verdicts[0], "verdict_998": verdicts[1], "group_size": len(members),
            }
    return out


@pytest.mark.parametrize("average", ["mean", "pooled"])
def test_peer_compare_agrees_with_scipy_for_every_csp_and_offence_group(average: str) -> None:
    latest = ons_latest()
    groups = cp.demonstration_groups()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing is missing in the bundled tables
        got = cp.peer_compare(latest, area="area_code", count="count", population="population",
                              groups=groups, by="offence_group", name="area_name",
                              average=average, replicates=200)  # type: ignore[arg-type]
    assert got.height == 314 * latest["offence_group"].n_unique()
    want = reference_comparison(latest, groups, average, 0.95)
    assert len(want) == got.height
    for row in got.iter_rows(named=True):
        ref = want[(row["offence_group"], row["area"])]
        assert row["rank"] == ref["rank"], row
        assert row["group_size"] == ref["group_size"] == 16
        assert math.isclose(row["group_mean"], ref["group_mean"], rel_tol=1e-12)
        assert math.isclose(row["group_pooled"], ref["group_pooled"], rel_tol=1e-12)
        assert math.isclose(row["expected"], ref["expected"], rel_tol=1e-12)
        assert row["verdict_95"] == ref["verdict_95"], row
        assert row["verdict_998"] == ref["verdict_998"], row
        assert row["average_used"] == average
        assert row["rank_lower"] <= row["rank"] <= row["rank_upper"]
        assert row["description"].startswith(f"{row['area_name']}: ")
    # Some verdicts of each kind, so the comparison above is not vacuous.
    assert set(got["verdict_95"]) == {"significantly_lower", "similar", "significantly_higher"}


def test_peer_compare_rochford_sentences() -> None:
    latest = ons_latest()
    got = cp.peer_compare(latest, area="area_code", count="count", population="population",
                          groups=cp.demonstration_groups(), by="offence_group",
                          name="area_name", replicates=200)
    total = got.filter(
        (pl.col("area") == ROCHFORD)
        & (pl.col("offence_group") == "Total recorded crime (excluding fraud)")
    ).row(0, named=True)
    assert total["count"] == 4208
    assert total["description"].startswith("Rochford: 48.3 crimes per 1,000 residents, ")
    assert f"{total['rank_text']} in its group" in total["description"]


def test_peer_compare_is_reproducible_and_the_seed_matters_only_to_the_interval() -> None:
    latest = ons_latest().filter(pl.col("offence_group") == "Robbery")
    groups = cp.demonstration_groups()
    args = dict(area="area_code", count="count", population="population", groups=groups)
    first = cp.peer_compare(latest, **args, seed=1)  # type: ignore[arg-type]
    again = cp.peer_compare(latest, **args, seed=1)  # type: ignore[arg-type]
    other = cp.peer_compare(latest, **args, seed=2)  # type: ignore[arg-type]
    assert first.equals(again)
    assert first["rank"].equals(other["rank"])
    without = cp.peer_compare(latest, **args, rank_interval=False)  # type: ignore[arg-type]
    assert without["rank_lower"].null_count() == without.height


def test_peer_compare_names_a_missing_member_or_drops_it_and_says_so() -> None:
    counts = pl.DataFrame({"area": ["A", "B", "C"], "crimes": [10, 20, 30],
                           "population": [1000, 1000, 1000]})
    groups = {"A": ["B", "C", "D"]}
    with pytest.raises(cp.UnknownAreaError, match=r"D.*A|A.*D"):
        cp.peer_compare(counts, area="area", count="crimes", population="population",
                        groups=groups)
    with pytest.warns(cp.ExcludedRowsWarning, match="1 group member"):
        got = cp.peer_compare(counts, area="area", count="crimes", population="population",
                              groups=groups, missing="drop")
    row = got.row(0, named=True)
    assert row["group_size"] == 3 and row["peers_missing"] == ["D"]
    assert row["rank_text"] == "1st out of 3"


def test_peer_compare_treats_a_null_count_as_missing_and_names_why() -> None:
    counts = pl.DataFrame({"area": ["A", "B", "C"], "crimes": [10, None, 30],
                           "population": [1000, 1000, 1000]})
    with pytest.raises(cp.UnknownAreaError, match="null"):
        cp.peer_compare(counts, area="area", count="crimes", population="population",
                        groups={"A": ["B", "C"]})


def test_peer_compare_says_when_groups_and_frame_write_areas_differently() -> None:
    latest = ons_latest().filter(pl.col("offence_group") == "Robbery")
    with pytest.raises(cp.UnknownAreaError, match="the same way in both"):
        cp.peer_compare(latest, area="area_name", count="count", population="population",
                        groups=cp.demonstration_groups())


def test_peer_compare_rejects_two_rows_for_one_area() -> None:
    counts = pl.DataFrame({"area": ["A", "A", "B"], "crimes": [10, 11, 30],
                           "population": [1000, 1000, 1000]})
    with pytest.raises(cp.InvalidInputError, match="A"):
        cp.peer_compare(counts, area="area", count="crimes", population="population",
                        groups={"A": ["B"]})


def test_peer_compare_gives_back_the_callers_kind_of_frame() -> None:
    pd = pytest.importorskip("pandas")
    counts = pd.DataFrame({"area": ["A", "B", "C"], "crimes": [10, 20, 30],
                           "population": [1000.0, 1000.0, 1000.0]})
    groups = pd.DataFrame({"area": ["A", "A"], "peer": ["B", "C"]})
    got = cp.peer_compare(counts, area="area", count="crimes", population="population",
                          groups=groups, polarity="higher_is_better")
    assert isinstance(got, pd.DataFrame)
    assert got["rank_text"].tolist() == ["3rd out of 3"]


# ---------------------------------------------------------------------------------------------
# Peer comparison of a police.uk read

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "police_uk"
ESSEX_2025 = SHARED / "data" / "raw" / "police_uk_street_2025_essex_suffolk_norfolk"
CITY_OUTCOMES = SHARED / "data" / "raw" / "police_uk_outcomes_2024_25_city_of_london"


def ons_populations() -> pl.DataFrame:
    """Each CSP's population as the ONS CSP tables print it (mid-2022, rounded to 100)."""
    return (
        cp.ons_csp_tables()
        .filter(pl.col("level") == "csp", pl.col("population").is_not_null())
        .select(csp_code="area_code", population="population")
        .unique("csp_code")
    )


def counted_by_hand(records: pl.DataFrame, first: date, last: date, by: list[str]) -> pl.DataFrame:
    """Crimes (and ASB incidents) per CSP in the months, counted with polars from the records
    frame: the force's own area only, no-location rows in no CSP."""
    kept = records.filter(
        pl.col("month").is_between(first, last), ~pl.col("outside_force"),
        pl.col("csp_code").is_not_null(),
    )
    return kept.group_by(["csp_code", "csp_name", *by]).agg(count=pl.len()).join(
        ons_populations(), on="csp_code", how="left"
    )


@needs(ESSEX_2025)
def test_peer_compare_of_a_read_equals_ranking_counts_made_by_hand() -> None:
    data = cp.read_police_uk(ESSEX_2025, progress=False)
    crimes = data.records.filter(~pl.col("is_asb"))
    essex = counted_by_hand(crimes, date(2025, 1, 1), date(2025, 12, 1), [])
    essex = essex.join(
        data.records.filter(~pl.col("outside_force")).select("csp_code", "falls_within").unique(),
        on="csp_code",
    ).filter(pl.col("falls_within") == "Essex Police")
    codes = sorted(essex["csp_code"].to_list())
    assert len(codes) == 14  # twelve districts, Southend-on-Sea and Thurrock
    groups = {code: [c for c in codes if c != code] for code in codes}
    with pytest.warns(cp.ExcludedRowsWarning, match="LSOA outside"):
        got = cp.peer_compare(data, groups=groups, period="2025", rank_interval=False)
    expected = cp.peer_compare(essex, area="csp_code", count="count", population="population",
                               name="csp_name", groups=groups, rank_interval=False)
    assert got.equals(expected)
    assert got.height == 14 and set(got["group_size"].to_list()) == {14}
    # ASB is ranked on its incidents, apart from the crime types.
    by_type = counted_by_hand(data.records, date(2025, 1, 1), date(2025, 12, 1), ["crime_type"])
    with pytest.warns(cp.ExcludedRowsWarning):
        typed = cp.peer_compare(data, groups=groups, period="2025", by="crime_type",
                                rank_interval=False)
    asb = typed.filter(pl.col("crime_type") == "Anti-social behaviour")
    assert asb.height == 14 and asb["description"].str.contains("ASB incidents per 1,000").all()
    joined = typed.join(by_type.rename({"count": "by_hand"}), left_on=["area", "crime_type"],
                        right_on=["csp_code", "crime_type"])
    assert joined.height == typed.height
    assert (joined["count"].cast(pl.Int64) == joined["by_hand"]).all()
    assert typed["crime_type"].to_list() == sorted(typed["crime_type"].to_list())
    # A joint partnership of Rochford and Castle Point is their sum, ranked among the rest.
    joint = cp.define_areas({"South Essex": ["E22000088", "E22000082"]}, level="csp")
    rest = [c for c in codes if c not in ("E22000088", "E22000082")]
    with pytest.warns(cp.ExcludedRowsWarning):
        merged = cp.peer_compare(data, groups={"South Essex": rest}, period="2025", areas=joint,
                                 rank_interval=False)
    parts = got.filter(pl.col("area").is_in(["E22000088", "E22000082"]))
    row = merged.row(0, named=True)
    assert (row["area"], row["group_size"]) == ("South Essex", 13)
    assert row["count"] == parts["count"].sum() and row["population"] == parts["population"].sum()


@needs(ESSEX_2025)
def test_peer_compare_of_a_read_gives_a_zero_for_a_value_a_csp_had_none_of() -> None:
    data = cp.read_police_uk(ESSEX_2025, progress=False)
    essex = ["E22000079", "E22000081", "E22000082", "E22000088", "E22000089"]
    groups = {code: [c for c in essex if c != code] for code in essex}
    with pytest.warns(cp.ExcludedRowsWarning):
        got = cp.peer_compare(data, groups=groups, period="2025", by="outcome_group",
                              rank_interval=False)
    hand = counted_by_hand(data.records.filter(~pl.col("is_asb")), date(2025, 1, 1),
                           date(2025, 12, 1), ["outcome_group"])
    assert got["outcome_group"].null_count() == 0  # ASB has no outcome group: not ranked
    assert set(got["group_size"].to_list()) == {5}
    joined = got.join(hand.select("csp_code", "outcome_group", by_hand="count"),
                      left_on=["area", "outcome_group"], right_on=["csp_code", "outcome_group"],
                      how="left")
    assert (joined["count"].cast(pl.Int64) == joined["by_hand"].fill_null(0)).all()
    assert joined["by_hand"].null_count() > 0  # some CSP had none of some outcome group

    # A joint area with a part in a force not read is left out with missing="drop".
    joint = cp.define_areas({"Border": ["E22000088", "E22000027"]}, level="csp")
    with pytest.warns(cp.ExcludedRowsWarning, match="Hartlepool, Cleveland not read"):
        dropped = cp.peer_compare(data, groups={"Border": essex[:3]}, period="2025",
                                  areas=joint, missing="drop", rank_interval=False)
    assert dropped.height == 0


@needs(CITY_OUTCOMES)
def test_peer_compare_refuses_a_read_of_outcome_files() -> None:
    outcomes = cp.read_police_uk(CITY_OUTCOMES, kind="outcomes", progress=False)
    with pytest.raises(cp.InvalidInputError, match="outcome files"):
        cp.peer_compare(outcomes, groups={"E22000084": ["E22000088"]}, period="2024/25")


def test_peer_compare_of_the_sample_counts_the_months_asked_for() -> None:
    data = cp.read_police_uk(SAMPLE, progress=False)
    groups = {"Rochford": ["Basildon"]}
    for period, first, last in [("2025-01..2025-06", date(2025, 1, 1), date(2025, 6, 1)),
                                ("2025 Q1", date(2025, 1, 1), date(2025, 3, 1)),
                                ("2025-04", date(2025, 4, 1), date(2025, 4, 1))]:
        with pytest.warns(cp.ExcludedRowsWarning):
            got = cp.peer_compare(data, groups=groups, period=period, rank_interval=False)
        hand = counted_by_hand(data.records.filter(~pl.col("is_asb")), first, last, [])
        rochford = hand.filter(pl.col("csp_name") == "Rochford").row(0, named=True)
        row = got.row(0, named=True)
        assert (row["area"], row["area_name"], row["count"]) == (
            ROCHFORD, "Rochford", rochford["count"]
        )
        assert row["population"] == rochford["population"] == 87_200
        assert row["group_size"] == 2
    households = cp.peer_compare(data, groups=groups, period="2025 Q1", rank_interval=False,
                                 population_kind="households")
    assert households["population"][0] == ons_households("E22000088")
    assert "per 1,000 households" in households["description"][0]


def ons_households(code: str) -> int:
    table = cp.ons_csp_tables().filter(pl.col("area_code") == code,
                                       pl.col("households").is_not_null())
    return int(table["households"][0])


def test_peer_compare_of_a_read_names_members_not_read_for_the_whole_period() -> None:
    data = cp.read_police_uk(SAMPLE, progress=False)
    # The sample holds January to June 2025: three months of 2024/25.
    with pytest.raises(cp.UnknownAreaError, match=r"\(Basildon, 3 of its 12 months read\)"):
        cp.peer_compare(data, groups={"Rochford": ["Basildon"]}, period="2024/25")
    with pytest.raises(cp.UnknownAreaError, match=r"\(Havering, Metropolitan Police not read\)"):
        cp.peer_compare(data, groups={"Rochford": ["Basildon", "Havering"]}, period="2025 Q1")
    # The sample is an extract: Essex was read, but it holds no record of Castle Point.
    with pytest.raises(cp.UnknownAreaError, match="Essex read, but no records of Castle Point"):
        cp.peer_compare(data, groups={"Rochford": ["Castle Point"]}, period="2025 Q1")
    with pytest.raises(cp.UnknownAreaError, match="covers no month of 2026 .it holds 2025-01 to"):
        cp.peer_compare(data, groups={"Rochford": ["Basildon"]}, period="2026", missing="drop")
    with pytest.warns(cp.ExcludedRowsWarning, match="Metropolitan Police not read"):
        dropped = cp.peer_compare(data, groups={"Rochford": ["Basildon", "Havering"]},
                                  period="2025 Q1", missing="drop", rank_interval=False)
    assert dropped["peers_missing"].to_list() == [["E22000201"]]  # Havering
    assert dropped["group_size"].to_list() == [2]
    # Codes and names in any case are the same CSPs; a group of an unread force says so.
    for groups in ({"E22000088": ["E22000079"]}, {"rochford": ["BASILDON"]},
                   {"e22000088": ["Basildon"]}):
        placed = cp.peer_compare(data, groups=groups, period="2025 Q1", rank_interval=False)
        assert placed.select("area", "area_name").row(0) == (ROCHFORD, "Rochford")
    with pytest.raises(cp.UnknownAreaError, match=r"Camden, Metropolitan Police"):
        cp.peer_compare(data, groups={"Camden": ["Islington"]}, period="2025 Q1")
    with pytest.raises(cp.UnknownAreaError, match=r"'Rochfrod', not a CSP .did you mean"):
        cp.peer_compare(data, groups={"Rochford": ["Rochfrod"]}, period="2025 Q1")
    with pytest.raises(cp.UnknownAreaError, match=r"\(Basildon, 1 of its 2 months read\)"):
        cp.peer_compare(data, groups={"Rochford": ["Basildon"]}, period="2024-12..2025-01")


def test_peer_compare_of_a_read_needs_a_period_and_no_columns() -> None:
    data = cp.read_police_uk(SAMPLE, progress=False)
    groups = {"Rochford": ["Basildon"]}
    with pytest.warns(cp.ExcludedRowsWarning, match="^peer_compare left out 71 rows") as said:
        cp.peer_compare(data, groups=groups, period="2025 Q1", rank_interval=False)
    assert said[0].filename == __file__
    with pytest.raises(cp.ArgumentTypeError, match="period="):
        cp.peer_compare(data, groups=groups)
    with pytest.raises(cp.ArgumentTypeError, match="count= name a frame"):
        cp.peer_compare(data, groups=groups, period="2025", count="crimes")
    with pytest.raises(cp.InvalidInputError, match="2025-13"):
        cp.peer_compare(data, groups=groups, period="2025-13")
    with pytest.raises(cp.ArgumentTypeError, match="area=, name= name a frame"):
        cp.peer_compare(data, groups=groups, period="2025 Q1", area="csp_name", name="x")
    with pytest.raises(cp.InvalidInputError, match="names the area itself"):
        cp.peer_compare(data, groups=groups, period="2025 Q1", by=["crime_type", "csp_name"])
    with pytest.raises(cp.UnknownOptionError, match="population_kind"):
        cp.peer_compare(data, groups=groups, period="2025 Q1", population_kind="people")
    counts = pl.DataFrame({"area": ["A", "B"], "crimes": [1, 2], "population": [10, 10]})
    with pytest.raises(cp.ArgumentTypeError, match="period= and population_kind="):
        cp.peer_compare(counts, area="area", count="crimes", population="population",
                        groups={"A": ["B"]}, period="2025")
    with pytest.raises(cp.ArgumentTypeError, match="area=, count= and population="):
        cp.peer_compare(counts, area="area", groups={"A": ["B"]})


group_tables = st.lists(
    st.tuples(st.integers(0, 400), st.integers(500, 200_000)), min_size=2, max_size=12
)


@settings(max_examples=40, deadline=None)
@given(group_tables, st.integers(2, 50))
def test_scaling_counts_and_populations_keeps_ranks_and_averages_lie_between_extremes(
    members: list[tuple[int, int]], factor: int
) -> None:
    areas = [f"A{i:02}" for i in range(len(members))]
    counts = pl.DataFrame({"area": areas, "crimes": [c for c, _ in members],
                           "population": [float(p) for _, p in members]})
    groups = {a: [b for b in areas if b != a] for a in areas}
    args = dict(area="area", count="crimes", population="population", groups=groups,
                replicates=200)
    got = cp.peer_compare(counts, **args)  # type: ignore[arg-type]
    scaled = cp.peer_compare(  # type: ignore[arg-type]
        counts.with_columns(pl.col("crimes") * factor, pl.col("population") * factor), **args
    )
    assert got["rank"].to_list() == scaled["rank"].to_list()
    rates = got["rate"]
    low, high = rates.min(), rates.max()
    for column in ("group_mean", "group_pooled"):
        assert (got[column] >= low * (1 - 1e-12)).all() and (got[column] <= high * (1 + 1e-12)).all()
    assert ((got["rank_lower"] <= got["rank"]) & (got["rank"] <= got["rank_upper"])).all()


# ---------------------------------------------------------------------------------------------
# Funnel plots


def poisson_limits(expected: float, alpha: float) -> tuple[float, float]:
    """The real counts O with P(X <= O | E) = alpha/2, read as gammaincc(O + 1, E), and
    P(X >= O | E) = alpha/2, read as gammainc(O, E): found with brentq."""
    tail = alpha / 2
    top = expected + 50 * math.sqrt(expected) + 50
    # gammaincc(a, E) rises from 0 (a -> 0) to 1: the root a is O + 1, clipped at a count of 0.
    lower = brentq(lambda a: gammaincc(a, expected) - tail, 1e-12, top, xtol=1e-12) - 1
    upper = brentq(lambda o: gammainc(o, expected) - tail, 1e-12, top, xtol=1e-12)
    return max(lower, 0.0), upper


def binomial_limits(n: float, theta: float, alpha: float) -> tuple[float, float]:
    """P(X <= x | n, theta) = betainc(n - x, x + 1, 1 - theta) = alpha/2 and
    P(X >= x | n, theta) = betainc(x, n - x + 1, theta) = alpha/2, found with brentq."""
    tail = alpha / 2
    f_low = lambda x: betainc(n - x, x + 1, 1 - theta) - tail  # noqa: E731
    f_high = lambda x: betainc(x, n - x + 1, theta) - tail  # noqa: E731
    lower = brentq(f_low, 1e-9, n - 1e-9, xtol=1e-12) if f_low(1e-9) < 0 < f_low(n - 1e-9) or \
        f_low(1e-9) > 0 > f_low(n - 1e-9) else 0.0
    upper = brentq(f_high, 1e-9, n - 1e-9, xtol=1e-12)
    return lower, upper


def test_rate_funnel_limits_agree_with_the_incomplete_gamma_function() -> None:
    latest = ons_latest().filter(pl.col("offence_group") == "Robbery")
    plot = cp.funnel(latest, area="area_name", count="count", population="population")
    theta = latest["count"].sum() / latest["population"].sum()
    assert math.isclose(plot.benchmark, theta * 1000, rel_tol=1e-12)
    assert plot.benchmark_given is False and plot.adjustment == "not_requested"
    table = plot.table
    for row in table.sample(25, seed=3).iter_rows(named=True):
        n = row["denominator"]
        for level, suffix in ((0.95, "95"), (0.998, "998")):
            lower, upper = poisson_limits(theta * n, 1 - level)
            assert math.isclose(row[f"lower_{suffix}"], lower / n * 1000, rel_tol=1e-8, abs_tol=1e-9)
            assert math.isclose(row[f"upper_{suffix}"], upper / n * 1000, rel_tol=1e-8)
            value = row["value"]
            flag = ("low" if value < row[f"lower_{suffix}"]
                    else "high" if value > row[f"upper_{suffix}"] else "within")
            assert row[f"flag_{suffix}"] == flag
        z = (row["numerator"] / n - theta) / math.sqrt(theta / n)
        assert math.isclose(row["z"], z, rel_tol=1e-9, abs_tol=1e-12)


def test_proportion_funnel_limits_agree_with_the_incomplete_beta_function() -> None:
    frame = pl.DataFrame({"area": ["A", "B", "C", "D", "E"],
                          "solved": [12, 40, 0, 75, 33], "crimes": [100, 310, 25, 500, 260]})
    plot = cp.funnel(frame, area="area", numerator="solved", denominator="crimes")
    theta = 160 / 1195
    assert plot.per == 100 and math.isclose(plot.benchmark, theta * 100, rel_tol=1e-12)
    for row in plot.table.iter_rows(named=True):
        n = row["denominator"]
        lower, upper = binomial_limits(n, theta, 0.05)
        assert math.isclose(row["lower_95"], lower / n * 100, rel_tol=1e-7, abs_tol=1e-9)
        assert math.isclose(row["upper_95"], upper / n * 100, rel_tol=1e-7)
    assert plot.table.filter(pl.col("area") == "C")["value"][0] == 0  # a zero numerator


@needs(SHARED / "data" / "reference" / "pheindicatormethods")
def test_proportion_funnel_limits_agree_with_pheindicatormethods() -> None:
    """calculate_funnel_limits(statistic = "proportion", multiplier = 100), Wilson limits,
    testdata_funnel_prop_outputs.csv (PHEindicatormethods 2.1.0), within 1e-4 relative."""
    folder = SHARED / "data" / "reference" / "pheindicatormethods"
    inputs = pl.read_csv(folder / "testdata_funnel_prop_inputs.csv")
    inputs = inputs.rename({inputs.columns[0]: "area"})
    plot = cp.funnel(inputs, area="area", numerator="numerator", denominator="denominator",
                     method="wilson")
    with open(folder / "testdata_funnel_prop_outputs.csv", encoding="utf-8-sig") as file:
        rows = list(csv.DictReader(file))
    curves = plot.limits([float(r["Population"]) for r in rows])
    assert math.isclose(plot.benchmark, float(rows[0]["Baseline"]), rel_tol=1e-6)
    for got, want in zip(curves.iter_rows(named=True), rows):
        for column, name in (("lower_95", "Lower2s0025limit"), ("upper_95", "Upper2s0025limit"),
                             ("lower_998", "Lower3s0001limit"), ("upper_998", "Upper3s0001limit")):
            assert math.isclose(got[column], float(want[name]), rel_tol=1e-4, abs_tol=1e-6), (
                want["Population"], column)


def spiegelhalter(numerators: np.ndarray, denominators: np.ndarray) -> dict[str, float]:
    """Spiegelhalter (2005), in plain numpy: z-scores against the pooled rate, winsorised at 10%
    in each tail, phi = mean(z_w^2), chi-square I*phi on I - 1 df, and DerSimonian-Laird
    tau2 = max(0, (I phi - (I - 1)) / (sum w - sum w^2 / sum w)), w = 1/s^2."""
    theta = numerators.sum() / denominators.sum()
    s2 = theta / denominators
    z = (numerators / denominators - theta) / np.sqrt(s2)
    count = len(z)
    cut = int(math.floor(0.1 * count))
    ordered = np.sort(z)
    zw = np.clip(z, ordered[cut], ordered[count - 1 - cut])
    chi_square = float((zw**2).sum())
    w = 1 / s2
    tau2 = max(0.0, (chi_square - (count - 1)) / (w.sum() - (w**2).sum() / w.sum()))
    return {"theta": theta, "phi": chi_square / count, "chi_square": chi_square,
            "p_value": float(chi2.sf(chi_square, count - 1)), "tau2": tau2}


def test_overdispersion_agrees_with_spiegelhalters_formulas_on_real_rates() -> None:
    latest = ons_latest().filter(pl.col("offence_group") == "Residential burglary")
    plain = cp.funnel(latest, area="area_name", count="count", population="households")
    adjusted = cp.funnel(latest, area="area_name", count="count", population="households",
                         overdispersion=True)
    want = spiegelhalter(latest["count"].to_numpy().astype(float),
                         latest["households"].to_numpy().astype(float))
    assert adjusted.adjustment == "additive"
    assert adjusted.degrees_of_freedom == latest.height - 1
    for key in ("phi", "chi_square", "tau2"):
        assert math.isclose(getattr(adjusted, key), want[key], rel_tol=1e-9), key
    assert math.isclose(adjusted.p_value, want["p_value"], rel_tol=1e-6, abs_tol=1e-300)
    # Additive limits: each limit's distance from the benchmark times sqrt(1 + tau2/s2).
    theta = want["theta"]
    for a, p in zip(adjusted.table.iter_rows(named=True), plain.table.iter_rows(named=True)):
        s2 = theta / a["denominator"]
        widen = math.sqrt(1 + want["tau2"] / s2)
        for suffix in ("95", "998"):
            for side in ("lower", "upper"):
                distance = p[f"{side}_{suffix}"] - plain.benchmark
                want_limit = max(0.0, adjusted.benchmark + distance * widen)
                assert math.isclose(a[f"{side}_{suffix}"], want_limit, rel_tol=1e-9, abs_tol=1e-9)
    # Far from normal: with tau2 the limits approach benchmark +- z sqrt(s2 + tau2).
    big = adjusted.table.sort("denominator").row(-1, named=True)
    s2 = theta / big["denominator"]
    approx = (theta + norm.ppf(0.975) * math.sqrt(s2 + want["tau2"])) * 1000
    assert math.isclose(big["upper_95"], approx, rel_tol=0.05)


def test_no_adjustment_without_evidence_of_overdispersion() -> None:
    rng = np.random.default_rng(7)
    populations = rng.integers(20_000, 200_000, size=60).astype(float)
    counts = rng.poisson(0.02 * populations).astype(float)
    frame = pl.DataFrame({"area": [f"A{i}" for i in range(60)], "crimes": counts,
                          "population": populations})
    plot = cp.funnel(frame, area="area", count="crimes", population="population",
                     overdispersion=True)
    want = spiegelhalter(counts, populations)
    assert want["p_value"] > 0.05
    assert plot.adjustment == "no_evidence" and plot.tau2 == 0
    assert math.isclose(plot.phi, want["phi"], rel_tol=1e-9)
    plain = cp.funnel(frame, area="area", count="crimes", population="population")
    assert plot.table.drop("z").equals(plain.table.drop("z"))
    assert "no evidence of overdispersion" in plot.summary()


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 500), st.integers(1_000, 100_000)), min_size=3,
                max_size=30))
def test_overdispersion_never_narrows_the_limits(rows: list[tuple[int, int]]) -> None:
    frame = pl.DataFrame({"area": [f"A{i}" for i in range(len(rows))],
                          "crimes": [float(c) for c, _ in rows],
                          "population": [float(p) for _, p in rows]})
    if frame["crimes"].sum() == 0:
        return  # no chance variation around a benchmark of 0: an error, tested in the core
    plain = cp.funnel(frame, area="area", count="crimes", population="population")
    adjusted = cp.funnel(frame, area="area", count="crimes", population="population",
                         overdispersion=True)
    for suffix in ("95", "998"):
        assert (adjusted.table[f"lower_{suffix}"] <= plain.table[f"lower_{suffix}"] + 1e-12).all()
        assert (adjusted.table[f"upper_{suffix}"] >= plain.table[f"upper_{suffix}"] - 1e-12).all()


def test_funnel_any_levels_and_a_given_benchmark() -> None:
    frame = pl.DataFrame({"area": ["A", "B", "C"], "crimes": [5, 50, 500],
                          "population": [1_000, 10_000, 100_000]})
    plot = cp.funnel(frame, area="area", count="crimes", population="population",
                     benchmark=4.0, levels=[0.9, 0.999])
    assert plot.benchmark_given and plot.benchmark == 4.0
    assert {"lower_90", "upper_999", "flag_999"} <= set(plot.table.columns)
    assert "given" in plot.summary()


def test_funnel_needs_one_pair_of_columns() -> None:
    frame = pl.DataFrame({"area": ["A"], "crimes": [5], "population": [1_000]})
    with pytest.raises(cp.ArgumentTypeError):
        cp.funnel(frame, area="area", count="crimes")
    with pytest.raises(cp.ArgumentTypeError):
        cp.funnel(frame, area="area", count="crimes", population="population",
                  numerator="crimes", denominator="population")


def test_funnel_names_the_area_of_a_bad_denominator() -> None:
    frame = pl.DataFrame({"area": ["A", "Zed"], "crimes": [5, 6], "population": [1_000, 0]})
    with pytest.raises(cp.InvalidInputError, match="Zed"):
        cp.funnel(frame, area="area", count="crimes", population="population")


def test_plot_funnel_labels_the_focal_area_and_renders(tmp_path: Path) -> None:
    latest = ons_latest().filter(pl.col("offence_group") == "Violence with injury")
    rochford_group = cp.demonstration_groups().filter(pl.col("area") == ROCHFORD)
    members = [ROCHFORD, *rochford_group["peer"].to_list()]
    plot = cp.funnel(latest.filter(pl.col("area_code").is_in(members)), area="area_name",
                     count="count", population="population", overdispersion=True)
    figure = crimeperf.plot.funnel(plot, label="Rochford")
    axes = figure.axes[0]
    assert [t.get_text() for t in axes.texts] == ["Rochford"]
    assert axes.get_ylabel() == "Rate per 1,000"
    figure.savefig(tmp_path / "funnel.png")
    assert (tmp_path / "funnel.png").stat().st_size > 10_000
    with pytest.raises(cp.CrimeperfError, match="Nowhere"):
        crimeperf.plot.funnel(plot, label="Nowhere")
    assert "Funnel" in plot._repr_html_() and "benchmark" in repr(plot)
