"""Indicators defined once and computed for many areas: a catalogue (bundled, extended from TOML)
and ``cp.indicators``, which gives every indicator's value with its interval, the change with its
exact test, and RAG against the indicator's target rule, in one frame."""

from __future__ import annotations

import html
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Sequence, Union

import polars as pl

from crimeperf import _crimeperf
from crimeperf._frames import changes, rates, targets
from crimeperf.exceptions import DataFileNotFoundError, ExcludedRowsWarning, InvalidInputError

__all__ = ["indicator_catalogue", "indicators", "Catalogue"]

_SCHEMA = {
    "id": pl.String, "title": pl.String, "offence_groups": pl.List(pl.String),
    "crime_types": pl.List(pl.String), "denominator": pl.String, "per": pl.Float64,
    "polarity": pl.String, "target_change_percent": pl.Float64, "target_rounding": pl.String,
    "source": pl.String,
}


@dataclass(frozen=True)
class Catalogue:
    """Indicator definitions (see :func:`indicator_catalogue`).

    Attributes
    ----------
    table : polars.DataFrame
        One row per indicator: ``id``, ``title``, ``offence_groups``, ``crime_types``,
        ``denominator``, ``per``, ``polarity``, ``target_change_percent``, ``target_rounding``
        and ``source``.
    """

    table: pl.DataFrame

    @property
    def ids(self) -> list[str]:
        """The indicators' ids, in order."""
        return self.table["id"].to_list()

    def __repr__(self) -> str:
        return f"Catalogue({', '.join(self.ids)})"

    def _repr_html_(self) -> str:
        from crimeperf._evidence import _table_html

        shown = self.table.with_columns(pl.col("offence_groups", "crime_types").list.join("; "))
        return f"<div><b>{html.escape(repr(self))}</b>{_table_html(shown)}</div>"


def indicator_catalogue(
    path: Union[str, os.PathLike[str], None] = None,
    *,
    replace: bool = False,
) -> Catalogue:
    """The indicator catalogue: crimeperf's bundled one, extended by your own TOML file.

    Each ``[[indicator]]`` has an ``id``, a ``title``, the ``offence_groups`` (ONS CSP tables)
    and/or ``crime_types`` (data.police.uk) it counts, a ``denominator`` (``"residents"``,
    ``"households"`` or ``"none"``), ``per`` (1,000 by default), ``polarity`` and optionally
    ``target = {change_percent = -5, rounding = "half_up"}`` (a change on the previous period)
    and ``source``. An indicator of yours with a bundled id replaces it; others are added.

    Parameters
    ----------
    path : str or path, optional
        Your TOML file.
    replace : bool, default False
        Use only your file's indicators, not the bundled ones.

    Returns
    -------
    Catalogue
        ``table`` (one row per indicator) and ``ids``.

    Raises
    ------
    DataFileNotFoundError
        No such file.
    InvalidInputError
        TOML that does not parse, an unknown field, an unknown offence group or crime type, an
        indicator with nothing to count, or an id used twice (each named).

    Examples
    --------
    >>> import crimeperf as cp
    >>> cp.indicator_catalogue().ids[:4]
    ['total_recorded_crime', 'serious_acquisitive_crime', 'residential_burglary', 'violence_with_injury']
    """
    text = None
    if path is not None:
        file = Path(path)
        if not file.is_file():
            raise DataFileNotFoundError(f"{file}: no such indicator catalogue")
        text = file.read_text(encoding="utf-8")
    elif replace:
        raise InvalidInputError("replace=True needs a catalogue file of your own (path=...)")
    rows = _crimeperf.indicator_catalogue(text, replace=replace)
    return Catalogue(pl.DataFrame(rows, schema=_SCHEMA, orient="row"))


def _latest_two(periods: Sequence[Any], given: Optional[Sequence[Any]], what: str) -> tuple[Any, Any]:
    if given is not None:
        if len(given) != 2:
            raise InvalidInputError(f"periods: give two {what} (previous, current), got {given!r}")
        missing = [p for p in given if p not in set(periods)]
        if missing:
            raise InvalidInputError(f"periods: {missing[0]!r} is not in the data's {what}")
        return given[0], given[1]
    ordered = sorted(set(periods))
    if len(ordered) < 2:
        raise InvalidInputError(f"the data have {len(ordered)} {what}; a change needs two")
    return ordered[-2], ordered[-1]


def _implied(rows: pl.DataFrame, rate: str) -> pl.Expr:
    """The denominator ONS divided by, recovered from its printed rates: ``count × 1000 /
    rate`` is the same whole number on every row of an area (to 1e-10) when ONS used one
    unrounded estimate; null when there is no such row or the rows disagree."""
    implied = pl.col("count") * 1000.0 / pl.col(rate)
    usable = (pl.col("count") > 0) & (pl.col(rate) > 0)
    value = implied.filter(usable)
    return (
        pl.when((value.max() - value.min()).abs() < 1e-6)
        .then(value.median().round(0))
        .alias(f"implied_{rate}")
    )


def _ons_denominators(latest: pl.DataFrame) -> pl.DataFrame:
    """Each area's population and households: the unrounded estimates ONS's rates were
    computed with where they can be recovered (the tables print them rounded to 100), else the
    printed rounded ones; ``denominator_source`` says which."""
    table = latest.group_by("area_code").agg(
        pl.col("population").drop_nulls().first(), pl.col("households").drop_nulls().first(),
        _implied(latest, "ons_rate_per_1000_population"),
        _implied(latest, "ons_rate_per_1000_households"),
    )
    recovered = "ONS's unrounded estimate, recovered from its printed rates"
    return table.select(
        "area_code",
        pl.coalesce("implied_ons_rate_per_1000_population", "population").alias("population"),
        pl.coalesce("implied_ons_rate_per_1000_households", "households").alias("households"),
        pl.when(pl.col("implied_ons_rate_per_1000_population").is_not_null())
        .then(pl.lit(recovered)).otherwise(pl.lit("ONS's estimate as printed, rounded to 100"))
        .alias("population_source"),
        pl.when(pl.col("implied_ons_rate_per_1000_households").is_not_null())
        .then(pl.lit(recovered)).otherwise(pl.lit("ONS's estimate as printed, rounded to 100"))
        .alias("households_source"),
    )


def _ons_counts(data: pl.DataFrame, catalogue: Catalogue, areas: Optional[Sequence[str]],
                periods: Optional[Sequence[Any]]) -> pl.DataFrame:
    """Per indicator and area: the current and previous counts and the denominator."""
    previous, current = _latest_two(data["year_ending"].to_list(), periods, "years")
    if areas is not None:
        wanted = {str(a).lower() for a in areas}
        data = data.filter(pl.col("area_code").str.to_lowercase().is_in(wanted)
                           | pl.col("area_name").str.to_lowercase().is_in(wanted))
        found = {v.lower() for v in data["area_code"].to_list() + data["area_name"].to_list()}
        unknown = [a for a in areas if str(a).lower() not in found]
        if unknown:
            from crimeperf.exceptions import UnknownAreaError

            raise UnknownAreaError(f"areas: {unknown[0]!r} is not an area of the ONS tables")
    denominators = _ons_denominators(data.filter(pl.col("year_ending") == current))
    parts = []
    for spec in catalogue.table.iter_rows(named=True):
        groups = spec["offence_groups"]
        if not groups:
            continue
        rows = data.filter(pl.col("offence_group").is_in(groups),
                           pl.col("year_ending").is_in([previous, current]))
        summed = rows.group_by("area_code", "area_name", "year_ending").agg(
            # A suppressed (null) part leaves the sum unknown, not smaller.
            pl.when(pl.col("count").null_count() == 0).then(pl.col("count").sum()).alias("count"),
            pl.len().alias("parts"),
        )
        wide = summed.filter(pl.col("year_ending") == current).select(
            "area_code", "area_name", pl.col("count").alias("count"), "parts"
        ).join(
            summed.filter(pl.col("year_ending") == previous).select(
                "area_code", pl.col("count").alias("previous_count")),
            on="area_code", how="left",
        )
        parts.append(wide.with_columns(
            pl.lit(spec["id"]).alias("indicator"),
            pl.lit(f"year ending {current:%B %Y}").alias("period"),
            pl.lit(f"year ending {previous:%B %Y}").alias("previous_period"),
            pl.when(pl.col("parts") < len(groups))
            .then(pl.lit(f"the data have {len(groups)} offence groups for this indicator; "
                         "some are missing"))
            .alias("note"),
        ).drop("parts"))
    if not parts:
        raise InvalidInputError("no indicator in the catalogue counts ONS offence groups")
    return pl.concat(parts).join(denominators, on="area_code", how="left")


def _police_uk_counts(data: Any, catalogue: Catalogue, areas: Any,
                      periods: Optional[Sequence[str]], period: str) -> pl.DataFrame:
    from crimeperf._areas import CustomAreas
    from crimeperf._data import PoliceUkData, count_crimes
    from crimeperf._population import add_population

    custom = areas if isinstance(areas, CustomAreas) else None
    by = ["crime_type"] if custom is not None else ["csp_code", "csp_name", "crime_type"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ExcludedRowsWarning)
        counts = count_crimes(data, by=by, period=period, areas=custom)  # type: ignore[arg-type]
    for warning in caught:
        warnings.warn(str(warning.message), ExcludedRowsWarning, stacklevel=3)
    area_column = "area" if custom is not None else "csp_code"
    name_column = "area" if custom is not None else "csp_name"
    if areas is not None and custom is None:
        wanted = {str(a).lower() for a in areas}
        counts = counts.filter(pl.col("csp_code").str.to_lowercase().is_in(wanted)
                               | pl.col("csp_name").str.to_lowercase().is_in(wanted))
    counts = counts.filter(pl.col(area_column).is_not_null())
    previous, current = _latest_two(counts["period"].to_list(), periods, "periods")
    parts = []
    for spec in catalogue.table.iter_rows(named=True):
        types = spec["crime_types"]
        if not types:
            continue
        column = "asb_incidents" if types == ["Anti-social behaviour"] else "crimes"
        if column == "crimes" and "Anti-social behaviour" in types:
            raise InvalidInputError(
                f"indicator {spec['id']!r}: anti-social behaviour incidents are not crimes and "
                "cannot be summed with crime types"
            )
        rows = counts.filter(pl.col("crime_type").is_in(types),
                             pl.col("period").is_in([previous, current]))
        keys = list(dict.fromkeys([area_column, name_column, "period", "period_start"]))
        summed = rows.group_by(keys).agg(
            pl.col(column).sum().alias("count"), pl.col("months_covered").min())
        now = summed.filter(pl.col("period") == current)
        then = summed.filter(pl.col("period") == previous)
        wide = now.select(
            pl.col(area_column).alias("area_code"), pl.col(name_column).alias("area_name"),
            "count", "period_start", "months_covered",
        ).join(then.select(pl.col(area_column).alias("area_code"),
                           pl.col("count").alias("previous_count"),
                           pl.col("months_covered").alias("previous_months")),
               on="area_code", how="left")
        parts.append(wide.with_columns(
            pl.lit(spec["id"]).alias("indicator"), pl.lit(current).alias("period"),
            pl.lit(previous).alias("previous_period"),
            pl.when(pl.col("months_covered") != pl.col("previous_months"))
            .then(pl.format("the periods cover {} and {} months of data", "previous_months",
                            "months_covered"))
            .alias("note"),
        ).drop("months_covered", "previous_months"))
    if not parts:
        raise InvalidInputError("no indicator in the catalogue counts police.uk crime types")
    table = pl.concat(parts)
    keys = table.select("area_code", "period_start").unique()
    kwargs: dict[str, Any] = {"areas": custom} if custom is not None else {"area": "area_code"}
    if custom is not None:
        keys = keys.rename({"area_code": "area"})
    population = add_population(keys, kind="residents", **kwargs)
    households = add_population(keys, kind="households", **kwargs)
    if custom is not None:
        population = population.rename({"area": "area_code"})
        households = households.rename({"area": "area_code"})
    return (table.join(population.select("area_code", "period_start", "population"),
                       on=["area_code", "period_start"], how="left")
            .join(households.select("area_code", "period_start", "households"),
                  on=["area_code", "period_start"], how="left")
            .with_columns(pl.lit("bundled ONS estimate (see cp.add_population)").alias("population_source"),
                          pl.lit("bundled ONS estimate (see cp.add_population)").alias("households_source"))
            .drop("period_start"))


def indicators(
    data: Any,
    catalogue: Optional[Catalogue] = None,
    *,
    areas: Any = None,
    periods: Optional[Sequence[Any]] = None,
    period: str = "financial_year",
    confidence: float = 0.95,
) -> pl.DataFrame:
    """Every indicator of a catalogue for many areas in one frame: the value with its interval,
    the change on the previous period with the exact test, and RAG against the target rule.

    From the ONS CSP tables (:func:`ons_csp_tables`, or :func:`read_ons_csp_tables`' frame),
    indicators defined by offence groups are computed for the two years ending of the tables;
    from police.uk records (:func:`read_police_uk`), indicators defined by crime types are
    computed for the last two ``period`` s (financial years by default) by CSP, or by your own
    areas (:func:`define_areas`). Denominators are, for the ONS tables, the unrounded
    estimates ONS computed its rates with (recovered exactly from its printed rates; the tables
    print them rounded to 100), and for police.uk the bundled populations and households.

    Parameters
    ----------
    data : frame, OnsCspTables or PoliceUkData
        The ONS tables or police.uk records.
    catalogue : Catalogue, optional
        The indicators (:func:`indicator_catalogue`); the bundled ones by default.
    areas : list of str or CustomAreas, optional
        The areas to keep (GSS codes or names); with police.uk records, custom areas too.
    periods : (previous, current), optional
        The two periods to compare (years ending as dates for ONS, period labels such as
        ``"2024/25"`` for police.uk); the last two by default.
    period : str, default "financial_year"
        The police.uk periods (as :func:`count_crimes`).
    confidence : float, default 0.95
        The level of the intervals and tests.

    Returns
    -------
    polars.DataFrame
        One row per indicator and area: ``indicator``, ``title``, ``area_code``, ``area_name``,
        ``period``, ``previous_period``, ``count``, ``previous_count``, ``denominator``,
        ``denominator_value``, ``denominator_source``, ``per``, ``value``, ``lower``, ``upper``, ``percent_change``,
        ``p_value``, ``significance``, ``description``, ``target``, ``rag`` and ``note`` (why a
        value is missing, e.g. a suppressed count).

    Raises
    ------
    InvalidInputError
        Fewer than two periods, a period not in the data, or a catalogue with nothing for the
        data given.
    UnknownAreaError
        An area not in the data.

    Examples
    --------
    >>> import polars as pl
    >>> import crimeperf as cp
    >>> out = cp.indicators(cp.ons_csp_tables(), areas=["Rochford"])
    >>> row = out.filter(pl.col("indicator") == "residential_burglary").row(0, named=True)
    >>> row["count"], row["previous_count"], round(row["value"], 2), row["denominator_value"]
    (151, 136, 4.25, 35555.0)
    """
    from crimeperf._data import OnsCspTables, PoliceUkData
    from crimeperf._exchange import to_polars

    catalogue = catalogue or indicator_catalogue()
    if isinstance(data, OnsCspTables):
        data = data.frame
    if isinstance(data, PoliceUkData) or (
        not isinstance(data, PoliceUkData) and "offence_group" not in to_polars(data).columns
    ):
        table = _police_uk_counts(data, catalogue, areas, periods, period)
    else:
        table = _ons_counts(to_polars(data), catalogue, areas, periods)
    specs = catalogue.table.select(
        pl.col("id").alias("indicator"), "title", "denominator", "per", "polarity",
        "target_change_percent", "target_rounding",
    )
    table = table.join(specs, on="indicator", how="left").with_columns(
        pl.when(pl.col("denominator") == "residents").then(pl.col("population").cast(pl.Float64))
        .when(pl.col("denominator") == "households").then(pl.col("households").cast(pl.Float64))
        .otherwise(pl.lit(1.0)).alias("denominator_value"),
        pl.when(pl.col("denominator") == "residents").then(pl.col("population_source"))
        .when(pl.col("denominator") == "households").then(pl.col("households_source"))
        .alias("denominator_source"),
    ).drop("population", "households", "population_source", "households_source")
    order = {k: i for i, k in enumerate(catalogue.ids)}
    table = table.sort(pl.col("indicator").replace_strict(order, return_dtype=pl.Int64),
                       "area_code")
    table = table.with_columns(
        pl.when(pl.col("count").is_null()).then(pl.lit("a count is suppressed or missing"))
        .when(pl.col("denominator_value").is_null())
        .then(pl.lit("no bundled denominator for this area"))
        .otherwise(pl.col("note")).alias("note")
    )
    valued = table.with_row_index("_row")
    # Rates per indicator (each has its own multiplier), bad rows null with the reason above.
    out = []
    for (indicator,), rows in valued.group_by("indicator", maintain_order=True):
        per = float(rows["per"][0])
        rated = rates(rows, count="count", population="denominator_value", per=per,
                      confidence=confidence, errors="null").drop("error", "rate_method")
        changed = changes(rated, current="count", previous="previous_count",
                          confidence=confidence, errors="null").drop("error")
        rule = rows.row(0, named=True)
        if rule["target_change_percent"] is not None:
            changed = targets(changed, baseline="previous_count",
                              change_percent=rule["target_change_percent"],
                              rounding=rule["target_rounding"], actual="count",
                              polarity=rule["polarity"], errors="null").drop("error")
        else:
            changed = changed.with_columns(pl.lit(None, pl.Float64).alias("target"),
                                           pl.lit(None, pl.String).alias("rag"))
        out.append(changed)
    result = pl.concat(out, how="diagonal_relaxed").sort("_row")
    return result.select(
        "indicator", "title", "area_code", "area_name", "period", "previous_period",
        "count", "previous_count", "denominator", "denominator_value", "denominator_source", "per",
        pl.col("rate").alias("value"), pl.col("rate_lower").alias("lower"),
        pl.col("rate_upper").alias("upper"), pl.col("percent").alias("percent_change"),
        "p_value", "significance", "description", "target", "rag", "note",
    )
