"""Denominators for rates: the bundled ONS populations and households of CSPs, local authorities
and police force areas, joined to counts for the mid-year that matches each period.

Everything here is a join over the tables bundled in the extension (``crimeperf-polars``'s
``data/``): no statistic is computed, so it is written in Python over polars.
"""

from __future__ import annotations

import io
from datetime import timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Optional

import polars as pl

from crimeperf import _crimeperf
from crimeperf._exchange import like
from crimeperf._options import PopulationKind
from crimeperf._exchange import to_polars as _to_polars

if TYPE_CHECKING:
    from crimeperf._areas import CustomAreas
from crimeperf.exceptions import (
    ColumnNotFoundError,
    ColumnTypeError,
    MissingValueError,
    UnknownAreaError,
    UnknownOptionError,
)

__all__ = ["add_population", "ons_csp_tables"]


#: The reference dates of the denominators in the ONS CSP tables for the year ending December
#: 2024 (Table C4's headers; ONS note 8: lower-geography mid-2023 estimates were not available).
ONS_POPULATION_YEAR = 2022
ONS_HOUSEHOLDS_YEAR = 2021

# The columns and types of read_ons_csp_tables(...).frame, which the bundled CSV holds.
_ONS_SCHEMA: dict[str, Any] = {
    "area_code": pl.String,
    "area_name": pl.String,
    "level": pl.String,
    "force_name": pl.String,
    "local_authority_code": pl.String,
    "offence_group": pl.String,
    "year_ending": pl.Date,
    "count": pl.Int64,
    "count_marker": pl.String,
    "population": pl.Int64,
    "population_marker": pl.String,
    "households": pl.Int64,
    "households_marker": pl.String,
    "ons_percent_change": pl.Float64,
    "ons_percent_change_marker": pl.String,
    "ons_rate_per_1000_population": pl.Float64,
    "ons_rate_per_1000_population_marker": pl.String,
    "ons_rate_per_1000_households": pl.Float64,
    "ons_rate_per_1000_households_marker": pl.String,
}

# The level of the areas in a column, for the column names crimeperf's own frames use; any
# other column must hold GSS codes, whose prefix says the level.
_LEVEL_OF_COLUMN = {
    "csp_code": "csp",
    "csp_name": "csp",
    "local_authority_code": "local_authority",
    "local_authority_name": "local_authority",
    "force_code": "force",
    "force_name": "force",
}
_NAME_COLUMNS = {"csp_name", "local_authority_name", "force_name"}


def _bundled(name: str, schema: Optional[dict[str, Any]] = None) -> pl.DataFrame:
    text = _crimeperf.bundled_table_text(name)
    if schema is not None:
        return pl.read_csv(io.StringIO(text), schema=schema)
    return pl.read_csv(io.StringIO(text), infer_schema_length=0)  # every column as text


@lru_cache(maxsize=1)
def _ons_csp_tables() -> pl.DataFrame:
    return _bundled("ons_csp_tables", _ONS_SCHEMA)


def ons_csp_tables() -> pl.DataFrame:
    """The ONS CSP tables for the year ending December 2024, for every CSP and force (bundled).

    The frame :func:`read_ons_csp_tables` gives for ONS's workbook
    ``policeforceareatablesyedecember2024.xlsx``, with the same columns and types, for every
    Community Safety Partnership, police force area and "Unassigned <force>" row of England and
    Wales: recorded crimes by offence group in the years ending December 2023 and 2024, ONS's %
    change and rates per 1,000 (on the 2024 rows), populations (mid-2022) and households
    (mid-2021), suppression markers beside their nulls. Source: Office for National Statistics,
    Home Office police recorded crime; Open Government Licence v3.0.

    Returns
    -------
    polars.DataFrame
        One row per area, offence group and year ending.

    Examples
    --------
    >>> import polars as pl
    >>> import crimeperf as cp
    >>> ons = cp.ons_csp_tables()
    >>> rochford = ons.filter(
    ...     pl.col("area_code") == "E22000088",
    ...     pl.col("offence_group") == "Total recorded crime (excluding fraud)",
    ... )
    >>> rochford.select("year_ending", "count", "population").rows()
    [(datetime.date(2023, 12, 31), 4445, None), (datetime.date(2024, 12, 31), 4208, 87200)]
    """
    return _ons_csp_tables().clone()


def _ons_denominators(kind: PopulationKind) -> pl.DataFrame:
    """CSPs' and forces' denominators as ONS used them in the CSP tables (rounded to 100)."""
    column, year = (
        ("population", ONS_POPULATION_YEAR)
        if kind == "residents"
        else ("households", ONS_HOUSEHOLDS_YEAR)
    )
    what = "population" if kind == "residents" else "households"
    ons = _ons_csp_tables()
    return (
        ons.filter(pl.col("level").is_in(["csp", "force"]), pl.col(column).is_not_null())
        .select(
            "area_code",
            "level",
            name="area_name",
            year=pl.lit(year, pl.Int64),
            value=pl.col(column),
            basis=pl.lit(
                f"mid-{year} {what} as in the ONS CSP tables, year ending December 2024 "
                "(Table C4, rounded to 100)"
            ),
        )
        .unique(["area_code"], keep="first", maintain_order=True)
    )


def _local_authority_denominators(kind: PopulationKind) -> pl.DataFrame:
    """Local authorities' own series: mid-year estimates 2001-2021, or Census 2011 households."""
    if kind == "residents":
        table = _bundled("la_population")
        return table.select(
            area_code="local_authority_code",
            level=pl.lit("local_authority"),
            name="local_authority_name",
            year=pl.col("year").cast(pl.Int64),
            value=pl.col("population").cast(pl.Int64),
            basis=pl.format("local authority mid-year estimate, {}", "basis"),
        )
    table = _bundled("la_households").filter(pl.col("level") == "local_authority")
    return table.select(
        "area_code",
        level=pl.lit("local_authority"),
        name="area_name",
        year=pl.col("year").cast(pl.Int64),
        value=pl.col("households").cast(pl.Int64),
        basis=pl.col("source"),
    )


def _sums_of_local_authorities(las: pl.DataFrame) -> pl.DataFrame:
    """CSPs made of whole local authorities, and forces (always whole local authorities), with
    the sums of their authorities' series, in years where every authority has a value."""
    lookup = _bundled("csp_lookup")
    whole = lookup.group_by("csp_code").agg(
        whole=(pl.col("csp_covers") == "whole LA").all()
    )
    csp_members = (
        lookup.join(whole.filter("whole"), on="csp_code")
        .select(area_code="csp_code", name="csp_name", level=pl.lit("csp"),
                member="local_authority_code")
    )
    force_members = lookup.select(
        area_code="force_code", name="force_name", level=pl.lit("force"),
        member="local_authority_code",
    ).unique(maintain_order=True)
    members = pl.concat([csp_members, force_members])
    sizes = members.group_by("area_code").agg(members=pl.len())
    series = las.select(member="area_code", year="year", value="value", basis="basis")
    return (
        members.join(series, on="member")
        .group_by("area_code", "name", "level", "year")
        .agg(value=pl.col("value").sum(), found=pl.len(), basis=pl.col("basis").first())
        .join(sizes, on="area_code")
        .filter(pl.col("found") == pl.col("members"))
        .select(
            "area_code",
            "level",
            "name",
            "year",
            "value",
            basis=pl.format("sum of its local authorities: {}", "basis"),
        )
    )


def _single_authority_csps(ons: pl.DataFrame) -> pl.DataFrame:
    """ONS's CSP denominators for the local authorities that are, alone and whole, one CSP."""
    lookup = _bundled("csp_lookup")
    single = (
        lookup.group_by("csp_code")
        .agg(
            local_authority_code=pl.col("local_authority_code").first(),
            local_authority_name=pl.col("local_authority_name").first(),
            n=pl.len(),
            whole=(pl.col("csp_covers") == "whole LA").all(),
        )
        .filter(pl.col("n") == 1, "whole")
    )
    # An authority that is the whole of one CSP and of no other.
    single = single.filter(pl.col("local_authority_code").is_unique())
    return ons.filter(pl.col("level") == "csp").join(
        single, left_on="area_code", right_on="csp_code"
    ).select(
        area_code="local_authority_code",
        level=pl.lit("local_authority"),
        name="local_authority_name",
        year="year",
        value="value",
        basis=pl.format("{} (the authority is the whole of one CSP)", "basis"),
    )


@lru_cache(maxsize=2)
def _denominators(kind: PopulationKind) -> pl.DataFrame:
    """Every bundled denominator of one kind: ``area_code``, ``level``, ``name``, ``year``,
    ``value``, ``basis``; one row per area and year."""
    las = _local_authority_denominators(kind)
    ons = _ons_denominators(kind)
    table = pl.concat(
        [las, _sums_of_local_authorities(las), ons, _single_authority_csps(ons)],
        how="vertical_relaxed",
    )
    # One value per area and year; where two sources give one (none do today), the ONS
    # figure, which comes later, wins.
    table = table.unique(["area_code", "year"], keep="last", maintain_order=True)
    return table.with_columns(key=pl.col("name").str.to_lowercase()).sort("area_code", "year")


def _reference_years(df: pl.DataFrame, column: str, ends: bool) -> pl.Series:
    dtype = df.schema[column]
    if dtype == pl.Datetime or isinstance(dtype, pl.Datetime):
        dates = df[column].dt.date()
    elif dtype == pl.Date:
        dates = df[column]
    else:
        error = ColumnTypeError(f'column "{column}" has type {dtype}, but dates are needed')
        error.columns = [column]
        raise error
    if ends:
        # The year holding the middle of the twelve months that end on the date: mid-2024 for
        # the years ending December 2024 and March 2025, as ONS does.
        dates = dates - timedelta(days=182)
    return dates.dt.year().cast(pl.Int64)


def add_population(
    counts: Any,
    *,
    area: str = "csp_code",
    kind: PopulationKind = "residents",
    period_start: str = "period_start",
    year_ending: Optional[str] = None,
    areas: Optional[CustomAreas] = None,
) -> Any:
    """Adds the bundled population (or households) of each row's area, for the row's period.

    Joins ONS denominators to counts so that :func:`rates` can follow: for each row, the
    estimate for the area at the mid-year nearest the period (the calendar year of the period's
    middle; a later estimate where two are as near), with the year used and its ``basis``. The
    bundled denominators are:

    * CSPs and police force areas: ONS's mid-2022 populations and mid-2021 households from the
      CSP tables (year ending December 2024, rounded to 100); and, for forces and CSPs made of
      whole local authorities, the sums of their authorities' estimates for 2001-2021
      (populations) and 2011 (Census households);
    * local authorities (April 2021 codes): ONS mid-year estimates 2001-2021 and Census 2011
      households, and the CSP tables' 2022 population and 2021 households where the authority is
      one whole CSP.

    Estimates from mid-2021 on are based on Census 2021 and earlier ones on Census 2011 (the
    basis says which): a rate series that crosses 2020-2021 crosses that rebasing. Periods after
    mid-2022 get the mid-2022 population, which puts rates for 2025 about 1% high.

    Parameters
    ----------
    counts : polars/pandas DataFrame, pyarrow Table, or any ``__arrow_c_stream__`` object
        Counts by area and period, e.g. from :func:`count_crimes` or :func:`ons_csp_tables`.
    area : str, default "csp_code"
        The column naming each row's area. ``csp_code``, ``local_authority_code`` and
        ``force_code`` (or any other column) hold GSS codes (E22/W14 CSPs, E06-E09/W06 local
        authorities, E23/W15 forces); ``csp_name``, ``local_authority_name`` and ``force_name``
        hold names as ONS writes them ("Rochford", "Essex"), matched without regard to case.
    kind : {"residents", "households"}, default "residents"
        Residents (for rates per 1,000 population) or households (for burglary rates per 1,000
        households).
    period_start : str, default "period_start"
        A date column holding the first day of each row's period, as :func:`count_crimes` gives.
    year_ending : str, optional
        Instead of ``period_start``: a date column holding the last day of twelve-month periods,
        as the ONS tables' ``year_ending``.
    areas : CustomAreas, optional
        Rows are custom areas (:func:`define_areas`; the ``area`` column, unless ``area`` says
        otherwise): each gets the sum of its parts' estimates. Only areas made of local
        authorities or CSPs have bundled denominators.

    Returns
    -------
    Frame of the same kind as ``counts`` (polars, pandas or pyarrow)
        ``counts`` with ``population`` (or ``households``), ``population_year`` (the mid-year of
        the estimate used) and ``population_basis`` (which estimate it is) added; columns of the
        same names are replaced.

    Raises
    ------
    UnknownAreaError
        A row's area has no bundled denominator of this kind (named, with its row), or is null.
    MissingValueError
        A row's period is null.
    ColumnNotFoundError
        ``area`` or the period column is not in the frame.
    ColumnTypeError
        The period column is not a date.
    UnknownOptionError
        ``kind`` is not "residents" or "households".

    Examples
    --------
    >>> import polars as pl
    >>> import crimeperf as cp
    >>> from datetime import date
    >>> counts = pl.DataFrame({
    ...     "csp_code": ["E22000088", "E22000088"],
    ...     "period": ["2020/21", "2024/25"],
    ...     "period_start": [date(2020, 4, 1), date(2024, 4, 1)],
    ...     "crimes": [4302, 4208],
    ... })
    >>> out = cp.add_population(counts, area="csp_code")
    >>> out.select("period", "population", "population_year").rows()
    [('2020/21', 87627, 2020), ('2024/25', 87200, 2022)]
    >>> print(out["population_basis"][1])
    mid-2022 population as in the ONS CSP tables, year ending December 2024 (Table C4, rounded to 100)
    >>> cp.rates(out, count="crimes", population="population")["rate"].round(2).to_list()
    [49.09, 48.26]
    """
    if kind not in ("residents", "households"):
        raise UnknownOptionError(
            f'unknown population kind "{kind}"; expected one of: residents, households'
        )
    if areas is not None:
        from crimeperf._areas import add_custom_population

        column = "area" if area == "csp_code" else area
        return like(add_custom_population(_to_polars(counts), areas, area=column, kind=kind,
                                          period_start=period_start, year_ending=year_ending),
                    counts)
    df = _to_polars(counts)
    period = year_ending if year_ending is not None else period_start
    missing = [name for name in dict.fromkeys([area, period]) if name not in df.columns]
    if missing:
        not_found = ColumnNotFoundError(
            f"column(s) {missing} not in the frame; its columns are {df.columns}"
        )
        not_found.columns = missing
        raise not_found
    name = "population" if kind == "residents" else "households"

    years = _reference_years(df, period, ends=year_ending is not None)
    null_period = years.is_null()
    if null_period.any():
        row = int(null_period.arg_true()[0])
        null = MissingValueError(
            f'row {row} ({area}={df[area][row]!r}): the value in column "{period}" is missing'
        )
        null.row, null.values = row, {area: df[area][row], period: None}
        raise null

    table = _denominators(kind)
    level = _LEVEL_OF_COLUMN.get(area)
    if level is not None:
        table = table.filter(pl.col("level") == level)
    by_name = area in _NAME_COLUMNS
    wanted = pl.DataFrame(
        {
            "_row": pl.int_range(0, df.height, eager=True, dtype=pl.Int64),
            "_area": df[area].cast(pl.String),
            "_wanted": years,
        }
    )
    if by_name:
        wanted = wanted.with_columns(_match=pl.col("_area").str.to_lowercase())
        key = "key"
    else:
        wanted = wanted.with_columns(_match=pl.col("_area").str.strip_chars().str.to_uppercase())
        key = "area_code"
    # Every candidate year of each row's area, nearest first (the later of two as near).
    candidates = wanted.join(
        table.select(_match=key, year="year", value="value", basis="basis"),
        on="_match",
        how="left",
    )
    unmatched = candidates.filter(pl.col("value").is_null())
    if unmatched.height:
        first = unmatched.row(0, named=True)
        areas = unmatched["_area"].unique(maintain_order=True).to_list()
        what = "populations" if kind == "residents" else "households"
        shown = ", ".join("null" if a is None else repr(a) for a in areas[:10])
        more = f" and {len(areas) - 10} more" if len(areas) > 10 else ""
        where = f" among the {level.replace('_', ' ')}s" if level is not None else ""
        error = UnknownAreaError(
            f"row {first['_row']} ({area}={first['_area']!r}): no bundled {what} for "
            f"{'a null area' if first['_area'] is None else repr(first['_area'])}{where}; "
            f"areas without: {shown}{more}"
        )
        error.row = first["_row"]
        error.values = {area: first["_area"], period: df[period][first["_row"]]}
        error.areas = areas
        raise error
    chosen = (
        candidates.with_columns(distance=(pl.col("year") - pl.col("_wanted")).abs())
        .sort("_row", "distance", "year", descending=[False, False, True])
        .unique("_row", keep="first", maintain_order=True)
        .sort("_row")
    )
    result = df.with_columns(
        chosen["value"].alias(name),
        chosen["year"].alias(f"{name}_year"),
        chosen["basis"].alias(f"{name}_basis"),
    )
    return like(result, counts)
