"""What :func:`peer_compare` ranks when it is given a police.uk read: the groups placed on the
CSPs (by code or name, any case), each CSP's crimes in one period counted from the read's compact
form with a zero for every ``by`` value it had none of, its population, and which group members
the read does not cover for the whole period (their force not read, or some of its months
missing).

Counting is :func:`count_crimes`' and populations are :func:`add_population`'s; this module
chooses the period's months, fills in the zeros and says which areas are short of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Optional

import polars as pl

from crimeperf import _crimeperf
from crimeperf._intervention import _add_months, _month
from crimeperf._options import PopulationKind
from crimeperf.exceptions import InvalidInputError, UnknownAreaError

#: The ``by`` value that marks ASB rows, whose count is ``asb_incidents``, not ``crimes``.
_ASB_MARKERS = {
    "crime_type": pl.col("crime_type") == "Anti-social behaviour",
    "is_asb": pl.col("is_asb"),
}
_AREA_COLUMNS = ("csp_code", "csp_name")


@dataclass
class PeriodCounts:
    """One row per CSP of the read (or part of a custom area) and ``by`` value in the period:
    ``csp_code``, ``csp_name``, the ``by`` columns, ``months_covered``, ``is_asb``, ``count``
    (null where the period is not wholly read) and ``population`` (or ``households``)."""

    rows: pl.DataFrame
    #: The CSPs with any record in the read (in any period).
    read: set[str]
    #: The period as the core writes it ("2024/25"), and its number of months.
    label: str
    months: int
    population: str


@lru_cache(maxsize=1)
def _csps() -> dict[str, tuple[str, str]]:
    """Each CSP's code: its name and its police force area's name (the bundled lookup)."""
    from crimeperf._data import geography_table

    table = geography_table("csp_lookup").unique("csp_code", keep="first", maintain_order=True)
    return {code: (name, force) for code, name, force in
            table.select("csp_code", "csp_name", "force_name").iter_rows()}


@lru_cache(maxsize=1)
def _csp_codes() -> dict[str, str]:
    """CSP codes and names, lower-case, to their codes."""
    codes = {code.lower(): code for code in _csps()}
    codes.update({name.lower(): code for code, (name, _) in _csps().items()})
    return codes


def placed_groups(pairs: pl.DataFrame, custom: list[str]) -> pl.DataFrame:
    """The groups with every CSP written as its code (codes and names in any case); custom
    areas and entries that are not CSPs as they are."""
    codes = _csp_codes()
    written = pl.concat([pairs["area"], pairs["peer"]]).cast(pl.String).drop_nulls().unique()
    placed = {
        value: value if value in custom else codes.get(value.strip().lower(), value)
        for value in written.to_list()
    }
    return pairs.select(
        pl.col(column).cast(pl.String).replace_strict(placed, default=None, return_dtype=pl.String)
        for column in ("area", "peer")
    )


def check_read(data: Any, by: list[str]) -> None:
    """A read ranks by CSP street crimes: not outcome files, and not by the area columns."""
    compact = data.compact
    street = compact.kind == "street" if compact is not None else "is_asb" in data.records.columns
    if not street:
        raise InvalidInputError(
            "peer_compare ranks crimes from street files: this read is of outcome files "
            '(kind="outcomes"); read the street files of the same months'
        )
    clash = [c for c in by if c in _AREA_COLUMNS]
    if clash:
        raise InvalidInputError(
            f"by={clash} names the area itself: a read is ranked by CSP, so by takes a column "
            "of its records such as crime_type"
        )


def period_counts(data: Any, *, period: str, by: list[str], kind: PopulationKind,
                  parts: list[str]) -> PeriodCounts:
    """Counts every CSP of the read (and every code of ``parts``) in ``period`` by ``by``, a
    zero for each ``by`` value a CSP read for the whole period had none of, with populations for
    the period's middle; areas not read for every month of it get a null count
    (``months_covered`` says how many were)."""
    from crimeperf._data import _count_read
    from crimeperf._population import add_population

    unit, label, first, last = _crimeperf.period_months(period)
    start, end = _month("period", first), _month("period", last)
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    # Counted in the period's own unit (a range as months, summed), so that a decade's read is
    # counted into years, not 120 months. Warnings are said at peer_compare's caller: 5 frames up
    # from _count_read's.
    counted = _count_read(data, by=["csp_code", *by],
                          period="month" if unit == "range" else unit,
                          caller="peer_compare", stacklevel=5).filter(
        pl.col("csp_code").is_not_null()
    )
    keys = ["csp_code", *by]
    in_period = (
        counted.filter(pl.col("period_start").is_between(start, end))
        .group_by(keys, maintain_order=True)
        .agg(
            months_covered=pl.col("months_covered").sum(),
            crimes=pl.col("crimes").sum(),
            asb_incidents=pl.col("asb_incidents").sum(),
        )
    )
    # Every CSP read (a force's months are all its CSPs'), and the parts of custom areas.
    coverage = in_period.group_by("csp_code").agg(pl.col("months_covered").max())
    codes = list(dict.fromkeys(counted["csp_code"].to_list() + parts))
    csps = pl.DataFrame({"csp_code": codes}, schema={"csp_code": pl.String}).join(
        coverage, on="csp_code", how="left"
    ).with_columns(
        pl.col("months_covered").fill_null(0),
        csp_name=pl.col("csp_code").replace_strict(
            {c: n for c, (n, _) in _csps().items()}, default=None, return_dtype=pl.String
        ),
    )
    # Each by value a CSP had none of is a zero: count_crimes crosses only crime_type. Values
    # that are null (ASB has no outcome group) are not ranked.
    values = in_period.select(by).unique(maintain_order=True).drop_nulls() if by else None
    grid = csps.join(values, how="cross") if values is not None else csps
    asb = _ASB_MARKERS.get(next((c for c in by if c in _ASB_MARKERS), ""), pl.lit(False))
    whole = pl.col("months_covered") == months
    rows = grid.join(in_period.drop("months_covered"), on=keys, how="left").with_columns(is_asb=asb).with_columns(
        count=pl.when(whole).then(
            pl.when(pl.col("is_asb")).then(pl.col("asb_incidents")).otherwise(pl.col("crimes"))
            .fill_null(0)
        ).cast(pl.Int64),
        _middle=pl.lit(start + (_add_months(end, 1) - start) / 2, pl.Date),
    ).drop("crimes", "asb_incidents")
    population = "population" if kind == "residents" else "households"
    if rows.height:
        rows = add_population(rows, area="csp_code", kind=kind, period_start="_middle")
    else:
        rows = rows.with_columns(pl.lit(None, pl.Int64).alias(population))
    return PeriodCounts(
        rows=rows.drop("_middle", "population_year", "population_basis", strict=False),
        read=set(counted["csp_code"].to_list()),
        label=label,
        months=months,
        population=population,
    )


def focal_groups(pairs: pl.DataFrame, counts: PeriodCounts, custom: list[str]) -> pl.DataFrame:
    """The groups whose focal area the read holds (or a custom area of ``custom``): a national
    set of groups ranks the CSPs of the forces read."""
    kept = pairs.filter(pl.col("area").is_in(sorted(counts.read | set(custom))))
    if kept.height == 0 and pairs.height:
        first = pairs["area"][0]
        error = UnknownAreaError(
            f"none of the groups' focal areas is in the read (the groups have e.g. "
            f"{_described(first)}): read their forces' files, or give groups of the CSPs read"
        )
        error.areas = pairs["area"].unique(maintain_order=True).to_list()[:20]
        raise error
    return kept


def _described(area: str) -> str:
    """'E22000088 (Rochford, Essex)', or why an entry is not a CSP."""
    if area in _csps():
        name, force = _csps()[area]
        return f"{area} ({name}, {force})"
    hint = _crimeperf.did_you_mean(area, [name for name, _ in _csps().values()])
    return f"{area!r}, not a CSP" + (f" ({hint})" if hint else "")


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
    covered = counts.rows.group_by("csp_code").agg(pl.col("months_covered").min())
    read = dict(zip(covered["csp_code"].to_list(), covered["months_covered"].to_list()))
    forces_read = {_csps()[c][1] for c in counts.read if c in _csps()}
    n = counts.months
    short: list[tuple[str, str]] = []
    for member in members:
        got = read.get(member, 0 if member in counts.read else None)
        if member not in _csps():
            short.append((member, _described(member)))
        elif got is None or (got == 0 and member not in counts.read):
            name, force = _csps()[member]
            why = (f"{force} read, but no records of {name}" if force in forces_read
                   else f"{force} not read")
            short.append((member, f"{member} ({name}, {why})"))
        elif got < n:
            name, _ = _csps()[member]
            short.append((member, f"{member} ({name}, {got} of its {n} month"
                                  f"{'s' if n != 1 else ''} read)"))
    if not short:
        return None
    shown = "; ".join(text for _, text in short[:10])
    more = f"; and {len(short) - 10} more" if len(short) > 10 else ""
    said = f"{len(short):,} group member(s) not read for every month of {counts.label}: {shown}{more}"
    if missing == "raise":
        error = UnknownAreaError(
            f"{said}. Read their forces' files for the whole period, or pass missing=\"drop\" "
            "to rank each area among the members read"
        )
        error.areas = [m for m, _ in short]
        raise error
    return said


__all__ = ["PeriodCounts", "placed_groups", "check_read", "period_counts", "focal_groups",
           "check_coverage"]
