"""Areas no police table uses: a joint partnership of two districts, neighbourhood policing areas
made of wards. Defined once by name and GSS codes at one level, then passed as ``areas=`` to
:func:`count_crimes` and :func:`add_population`, whose results then have an ``area`` column of
their names, ready for the rate, change and peer functions."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Mapping, Sequence, Union

import polars as pl

from crimeperf.exceptions import InvalidInputError, UnknownAreaError

__all__ = ["define_areas", "CustomAreas"]

#: The levels custom areas can be built from.
AreaLevel = Literal["lsoa", "ward", "local_authority", "csp"]

_COLUMN = {"lsoa": "lsoa_code", "ward": "ward_code", "local_authority": "local_authority_code",
           "csp": "csp_code"}
_WORDS = {"lsoa": "LSOA", "ward": "ward", "local_authority": "local authority", "csp": "CSP"}
_PLURALS = {"lsoa": "LSOAs", "ward": "wards", "local_authority": "local authorities",
            "csp": "CSPs"}


@dataclass(frozen=True)
class CustomAreas:
    """Named areas made of GSS codes at one level (see :func:`define_areas`).

    Attributes
    ----------
    level : str
        ``"lsoa"``, ``"ward"``, ``"local_authority"`` or ``"csp"``.
    parts : polars.DataFrame
        ``area`` and ``code``: each area's codes at its level.
    lsoas : polars.DataFrame
        ``area`` and ``lsoa_code``: the LSOAs (2011 and 2021 boundaries) each area covers, by
        which police.uk records are placed.
    """

    level: str
    parts: pl.DataFrame
    lsoas: pl.DataFrame

    @property
    def names(self) -> list[str]:
        """The areas' names, in the order defined."""
        return self.parts["area"].unique(maintain_order=True).to_list()

    def __repr__(self) -> str:
        sizes = self.parts.group_by("area", maintain_order=True).len()
        listed = ", ".join(
            f"{a} ({n} {_WORDS[self.level] if n == 1 else _PLURALS[self.level]})"
            for a, n in sizes.iter_rows()
        )
        return f"CustomAreas({listed})"

    def _repr_html_(self) -> str:
        from crimeperf._evidence import _table_html

        return _table_html(self.parts)


def _read(source: Union[str, os.PathLike[str]]) -> dict[str, list[str]]:
    path = Path(source)
    if not path.is_file():
        from crimeperf.exceptions import DataFileNotFoundError

        raise DataFileNotFoundError(f"{path}: no such file")
    table = pl.read_csv(path, infer_schema=False)
    if table.width < 2:
        raise InvalidInputError(f"{path}: expected two columns, area name and GSS code")
    name, code = table.columns[:2]
    out: dict[str, list[str]] = {}
    # Line numbers count the header as line 1.
    for line, (area, part) in enumerate(table.select(name, code).iter_rows(), start=2):
        if area is None or part is None or not area.strip() or not part.strip():
            raise InvalidInputError(f"{path}: line {line} has a blank area name or code")
        out.setdefault(area.strip(), []).append(part)
    return out


def define_areas(
    areas: Union[Mapping[str, Sequence[str]], str, os.PathLike[str]],
    *,
    level: AreaLevel,
) -> CustomAreas:
    """Define named areas made of GSS codes at one level: a joint partnership of two districts,
    neighbourhood areas made of wards.

    Parameters
    ----------
    areas : dict or path
        ``{"Castle Point and Rochford": ["E07000069", "E07000075"]}``, or a CSV file of area
        name and GSS code (the first two columns, one row per part).
    level : {"lsoa", "ward", "local_authority", "csp"}
        The level of every code.

    Returns
    -------
    CustomAreas
        Pass it as ``areas=`` to :func:`count_crimes` and :func:`add_population`.

    Raises
    ------
    UnknownAreaError
        A code that is not a code of that level in the bundled geography (named, with its area).
    InvalidInputError
        An area with no codes, a code in two areas, or parts that overlap (a code given twice),
        each named.

    Examples
    --------
    >>> import crimeperf as cp
    >>> joint = cp.define_areas({"Castle Point and Rochford": ["E07000069", "E07000075"]},
    ...                         level="local_authority")
    >>> joint
    CustomAreas(Castle Point and Rochford (2 local authorities))
    >>> joint.lsoas.height > 100
    True
    """
    from crimeperf._data import geography_table

    if level not in _COLUMN:
        from crimeperf.exceptions import UnknownOptionError

        raise UnknownOptionError(
            f"unknown level {level!r}; expected one of: {', '.join(_COLUMN)}"
        )
    definitions = _read(areas) if isinstance(areas, (str, os.PathLike)) else dict(areas)
    lookup = geography_table("lsoa_lookup")
    column = _COLUMN[level]
    known = set(lookup[column].drop_nulls().to_list())
    rows: list[tuple[str, str]] = []
    owner: dict[str, str] = {}
    for area, codes in definitions.items():
        if isinstance(codes, str):
            codes = [codes]
        codes = [str(c).strip().upper() for c in codes]
        if not codes:
            raise InvalidInputError(f"area {area!r} has no {_WORDS[level]} codes")
        for code in codes:
            if code not in known:
                raise UnknownAreaError(
                    f"area {area!r}: {code!r} is not a {_WORDS[level]} code in the bundled "
                    "geography (England and Wales, 2011 and 2021 boundaries)"
                )
            if code in owner:
                where = "twice in" if owner[code] == area else f"in both {owner[code]!r} and"
                raise InvalidInputError(
                    f"{_WORDS[level]} {code} is {where} {area!r}: the parts of custom areas "
                    "must not overlap"
                )
            owner[code] = area
            rows.append((str(area), code))
    parts = pl.DataFrame(rows, schema={"area": pl.String, "code": pl.String}, orient="row")
    lsoas = (
        lookup.select("lsoa_code", pl.col(column).alias("code"))
        .join(parts, on="code")
        .select("area", "lsoa_code")
        .unique(maintain_order=True)
    )
    return CustomAreas(level=level, parts=parts, lsoas=lsoas)


def place_records(records: pl.DataFrame, areas: CustomAreas) -> tuple[pl.DataFrame, int]:
    """The records with an ``area`` column, only those in one of the areas, and how many were
    left out (outside them, or with no LSOA)."""
    if "lsoa_code" not in records.columns:
        from crimeperf.exceptions import ColumnNotFoundError

        raise ColumnNotFoundError("custom areas place records by their lsoa_code column, which "
                                  "the records do not have")
    placed = records.join(areas.lsoas, on="lsoa_code", how="inner")
    return placed, records.height - placed.height


def add_custom_population(counts: pl.DataFrame, areas: CustomAreas, *, area: str, kind: str,
                          period_start: str, year_ending: Any) -> pl.DataFrame:
    """Each custom area's denominator: the sum of its parts' bundled estimates for the period."""
    from crimeperf._population import add_population

    if areas.level not in ("local_authority", "csp"):
        raise UnknownAreaError(
            f"there are no bundled {kind} for {_PLURALS[areas.level]}: custom areas built from "
            f"{_PLURALS[areas.level]} need their own denominators (join a {kind} column and use "
            "it as the population)"
        )
    if area not in counts.columns:
        from crimeperf.exceptions import ColumnNotFoundError

        raise ColumnNotFoundError(f"no column {area!r}; the frame has {counts.columns}")
    unknown = set(counts[area].drop_nulls().to_list()) - set(areas.names)
    if counts[area].null_count() or unknown:
        missing = sorted(unknown)[0] if unknown else None
        raise UnknownAreaError(f"row area {missing!r} is not one of the custom areas {areas.names}")
    period_columns = [c for c in (period_start, year_ending) if c is not None and c in counts.columns]
    indexed = counts.with_row_index("_row")
    expanded = indexed.select("_row", area, *period_columns).join(
        areas.parts.rename({"area": area}), on=area
    )
    code_column = "local_authority_code" if areas.level == "local_authority" else "csp_code"
    with_parts = add_population(
        expanded.rename({"code": code_column}), area=code_column, kind=kind,  # type: ignore[arg-type]
        period_start=period_start, year_ending=year_ending,
    )
    value = "population" if kind == "residents" else "households"
    summed = with_parts.group_by("_row").agg(
        pl.col(value).sum(),
        pl.col(f"{value}_year").min(),
        pl.col(f"{value}_basis").unique().sort().str.join("; "),
    )
    return indexed.drop([c for c in (value, f"{value}_year", f"{value}_basis")
                         if c in indexed.columns]).join(summed, on="_row").sort("_row").drop("_row")
