"""What :func:`peer_compare` ranks when it is given a police.uk read: each CSP's crimes in one
period, counted from the read's compact form, with its population, and which group members the
read does not cover for the whole period (their force not read, or some of its months missing).

Counting is :func:`count_crimes`' and populations are :func:`add_population`'s; this module only
chooses the period's months and says which areas are short of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Optional

import polars as pl

from crimeperf import _crimeperf
from crimeperf._options import PopulationKind
from crimeperf.exceptions import UnknownAreaError, UnknownOptionError

#: The area columns a read can be ranked by, each with the column that names it.
AREA_COLUMNS = {"csp_code": "csp_name", "csp_name": "csp_name"}

#: The ``by`` value that marks ASB rows, whose count is ``asb_incidents``, not ``crimes``.
_ASB_MARKERS = {"crime_type": pl.col("crime_type") == "Anti-social behaviour", "is_asb": pl.col("is_asb")}


@dataclass
class PeriodCounts:
    """One row per CSP read (and ``by`` value) for the period: ``rows`` has the area, name and
    ``by`` columns, ``count`` (null where the period is not wholly read), ``population`` (or
    ``households``) and ``is_asb``; ``label`` is the period as the core writes it."""

    rows: pl.DataFrame
    read: set[str]
    label: str
    months: int
    area: str
    name: str
    population: str


def _first_day(month: str) -> date:
    year, number = month.split("-")
    return date(int(year), int(number), 1)


def period_counts(data: Any, *, period: str, area: str, by: list[str],
                  kind: PopulationKind) -> PeriodCounts:
    """Counts every CSP of the read in ``period`` by ``by``, with populations for the period's
    middle; areas not read for every month of it get a null count (``months_covered`` says how
    many were)."""
    from crimeperf._data import _count_read
    from crimeperf._population import add_population

    if area not in AREA_COLUMNS:
        raise UnknownOptionError(
            f"a police.uk read is ranked by CSP: area must be one of {sorted(AREA_COLUMNS)}, "
            f"not {area!r}"
        )
    name = AREA_COLUMNS[area]
    unit, label, first, last = _crimeperf.period_months(period)
    start, end = _first_day(first), _first_day(last)
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    keys = list(dict.fromkeys(["csp_code", name, *by]))
    # Counted in the period's own unit (a range as months, summed), so that a decade's read
    # gives one row per year rather than 120; crimes a force recorded outside its own area are
    # left out (count_crimes' default), so a CSP's count is its own force's. Warnings are said
    # at peer_compare's caller: 5 frames up from _count_read's.
    counted = _count_read(data, by=keys, period="month" if unit == "range" else unit,
                          caller="peer_compare", stacklevel=5).filter(
        pl.col("csp_code").is_not_null()
    )
    in_period = counted.filter(pl.col("period_start").is_between(start, end))
    asb = _ASB_MARKERS.get(next((c for c in by if c in _ASB_MARKERS), ""), pl.lit(False))
    rows = (
        in_period.group_by(keys, maintain_order=True)
        .agg(
            months_covered=pl.col("months_covered").sum(),
            crimes=pl.col("crimes").sum(),
            asb_incidents=pl.col("asb_incidents").sum(),
        )
        .with_columns(is_asb=asb)
        .with_columns(
            count=pl.when(pl.col("months_covered") == months).then(
                pl.when(pl.col("is_asb")).then(pl.col("asb_incidents")).otherwise(pl.col("crimes"))
            ).cast(pl.Int64),
            _middle=pl.lit(start + (_last_day(end) - start) / 2, pl.Date),
        )
    )
    population = "population" if kind == "residents" else "households"
    if rows.height:
        rows = add_population(rows, area="csp_code", kind=kind, period_start="_middle")
    else:
        rows = rows.with_columns(pl.lit(None, pl.Int64).alias(population))
    return PeriodCounts(
        rows=rows.drop("_middle", "population_year", "population_basis", strict=False),
        read=set(counted[area].to_list()),
        label=label,
        months=months,
        area=area,
        name=name,
        population=population,
    )


def _last_day(first_of_month: date) -> date:
    following = date(first_of_month.year + first_of_month.month // 12,
                     first_of_month.month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def focal_groups(pairs: pl.DataFrame, counts: PeriodCounts, custom: list[str]) -> pl.DataFrame:
    """The groups whose focal area the read holds (or a custom area of ``custom``): a national
    set of groups ranks the CSPs of the forces read."""
    kept = pairs.filter(pl.col("area").is_in(sorted(counts.read | set(custom))))
    if kept.height == 0 and pairs.height:
        first = pairs["area"][0]
        name, force = _csps(counts.area).get(first, (first, None))
        error = UnknownAreaError(
            f"none of the groups' focal areas is in the read (by {counts.area}; the groups have "
            f"e.g. {first!r}" + (f", {name} in {force}" if force else ", not a CSP") + "): read "
            "their forces' files, or give groups of the CSPs read"
        )
        error.areas = pairs["area"].unique(maintain_order=True).to_list()[:20]
        raise error
    return kept


def _csps(column: str) -> dict[str, tuple[str, str]]:
    """Each CSP (by code or name) with its name and its police force area's name."""
    from crimeperf._data import geography_table

    table = geography_table("csp_lookup").unique(column, keep="first", maintain_order=True)
    return {area: (name, force) for area, name, force in
            table.select(pl.col(column).alias("_area"), "csp_name", "force_name").iter_rows()}


def check_coverage(pairs: pl.DataFrame, counts: PeriodCounts, *, missing: str,
                   parts: Optional[pl.DataFrame]) -> Optional[str]:
    """Raises (``missing="raise"``) or returns a warning's text (``"drop"``) naming the group
    members the read does not cover for the whole period; ``None`` when it covers them all.
    A custom area (``parts``: its ``area`` and each part's ``code``) is covered when its parts
    are."""
    members = pl.concat([pairs["area"], pairs["peer"]]).unique(maintain_order=True).to_list()
    if parts is not None:
        made_of: dict[str, list[str]] = {}
        for custom, code in parts.select("area", "code").iter_rows():
            made_of.setdefault(custom, []).append(code)
        members = list(dict.fromkeys(p for m in members for p in made_of.get(m, [m])))
    covered = counts.rows.group_by(counts.area).agg(pl.col("months_covered").min())
    read = dict(zip(covered[counts.area].to_list(), covered["months_covered"].to_list()))
    csps = _csps(counts.area)
    short: list[tuple[str, str]] = []
    for member in members:
        got = read.get(member, 0 if member in counts.read else None)
        name, force = csps.get(member, (None, None))
        named = f"{name}, " if name is not None and name != member else ""
        if got is None:
            short.append((member, f"{named}{force} not read" if force else "not a CSP"))
        elif got < counts.months:
            short.append((member, f"{named}{got} of its {counts.months} months read"))
    if not short:
        return None
    shown = "; ".join(f"{m} ({why})" for m, why in short[:10]) + (f"; and {len(short) - 10} more" if len(short) > 10 else "")
    said = (
        f"{len(short):,} group member(s) not read for every month of {counts.label}: {shown}"
    )
    if missing == "raise":
        error = UnknownAreaError(
            f"{said}. Read their forces' files for the whole period, or pass missing=\"drop\" "
            "to rank each area among the members read"
        )
        error.areas = [m for m, _ in short]
        raise error
    return said


__all__ = ["PeriodCounts", "period_counts", "focal_groups", "check_coverage"]
