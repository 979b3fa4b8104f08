"""Most similar groups: similar areas built from area characteristics, a user's own group lists
placed on the geography, every focal area ranked within its group (for every offence group at
once), and funnel plots with Spiegelhalter's overdispersion adjustment.

Every statistic is the core's (``crates/crimeperf``: ``similar``, ``peers``, ``funnel``); this
module passes frames and options and gives results back in the caller's kind of frame.

The bundled demonstration groups (:func:`demonstration_groups`) are **illustrative**: built by
crimeperf from ONS density, household size and age structure, they are not the Home Office's
most similar groups, which are not published as open data.
"""

from __future__ import annotations

import html
import os
import warnings
from dataclasses import dataclass
from typing import Any, Mapping, Optional, Sequence, Union, cast

import polars as pl

from crimeperf import _crimeperf
from crimeperf._data import _FrameSet, _columns_arg, _frame
from crimeperf._exchange import like, stream, to_polars
from crimeperf._options import (
    FunnelMethod,
    FunnelStatistic,
    GroupAverage,
    MissingPeers,
    Polarity,
    PopulationKind,
)
from crimeperf._peer_counts import (
    check_coverage,
    check_read,
    focal_groups,
    period_counts,
    placed_groups,
)
from crimeperf.exceptions import (
    ArgumentTypeError,
    ColumnNotFoundError,
    ExcludedRowsWarning,
    UnknownAreaError,
    UnknownOptionError,
)

__all__ = [
    "SimilarGroups",
    "Funnel",
    "similar_areas",
    "read_similar_groups",
    "peer_compare",
    "funnel",
    "csp_characteristics",
    "demonstration_groups",
]

PathLike = Union[str, "os.PathLike[str]"]

#: What the demonstration groups are, in every place they are shown.
ILLUSTRATIVE = (
    "illustrative groups built by crimeperf from ONS density, household size and age "
    "structure; not the Home Office most similar groups"
)


def csp_characteristics() -> pl.DataFrame:
    """The characteristics of every Community Safety Partnership in England and Wales (314 CSPs).

    Built from ONS open data by ``scripts/build_csp_characteristics.py`` (the sources and the
    columns are in ``crates/crimeperf-polars/data/peers/README.md``): population and area, density
    (and its natural log, ``log_density``), household size and the shares of the population aged
    0–15, 16–24, 25–64 and 65 and over. The input of :func:`demonstration_groups`, and a start for
    building groups of your own with :func:`similar_areas`.

    Returns
    -------
    polars.DataFrame
        One row per CSP: ``csp_code``, ``csp_name``, ``force_name`` and the characteristics.

    Examples
    --------
    >>> import polars as pl
    >>> import crimeperf as cp
    >>> table = cp.csp_characteristics()
    >>> table.height
    314
    >>> table.filter(pl.col("csp_name") == "Rochford")["csp_code"].to_list()
    ['E22000088']
    """
    return _frame(_crimeperf.csp_characteristics())


def demonstration_groups() -> pl.DataFrame:
    """Illustrative most similar groups for every CSP in England and Wales: each CSP's 15 nearest
    others on the bundled characteristics.

    **These are not the Home Office's most similar groups** (which are not open data); they are
    built by crimeperf, with :func:`similar_areas`, from the log of population density, household
    size and the shares aged 0–15, 16–24 and 65 and over (equal weights), so that the peer
    functions can be shown on real areas. Say so wherever they are used.

    Returns
    -------
    polars.DataFrame
        ``area``, ``area_name``, ``peer``, ``peer_name``, ``peer_rank``, ``distance`` and
        ``similarity`` (codes are CSP GSS codes): 314 × 15 rows.

    Examples
    --------
    >>> import polars as pl
    >>> import crimeperf as cp
    >>> groups = cp.demonstration_groups()
    >>> groups.height
    4710
    >>> rochford = groups.filter(pl.col("area_name") == "Rochford")
    >>> rochford.height, rochford["peer"].is_in(["E22000088"]).any()
    (15, False)
    """
    return _frame(_crimeperf.demonstration_groups())


def similar_areas(
    features: Any,
    *,
    area: str,
    k: int = 15,
    variables: Optional[Sequence[str]] = None,
    weights: Union[Mapping[str, float], Sequence[float], None] = None,
) -> Any:
    """Each area's ``k`` most similar other areas, from a frame of area characteristics.

    The variables are z-scored with the sample standard deviation (ddof=1); the distance is the
    Euclidean distance on the z-scores, each squared difference multiplied by its weight. Ties
    are broken by area code, so the groups are the same on every run; they need not be
    symmetric (B can be among A's nearest without A being among B's).

    Parameters
    ----------
    features : polars/pandas DataFrame, pyarrow Table, or any ``__arrow_c_stream__`` object
        One row per area.
    area : str
        The area column (codes or names, text).
    k : int, default 15
        Peers per area (the Home Office's groups have 15 members besides the area).
    variables : list of str, optional
        The characteristics to compare on; by default every numeric column.
    weights : dict or list of float, optional
        A weight per variable (by name, or in the order of ``variables``); 1 for all by default.

    Returns
    -------
    frame
        The caller's kind of frame, one row per (area, peer): ``area``, ``peer``, ``peer_rank``
        (1 = closest), ``distance`` and ``similarity`` (1 for the closest pair in the whole
        table, 0 for the farthest).

    Raises
    ------
    InvalidInputError
        A missing value or a constant variable (naming the variable and the area), a repeated
        area, fewer than ``k + 1`` areas, or a weight that is negative.
    ColumnTypeError
        A variable that is not numeric, or an area column that is not text.

    Examples
    --------
    >>> import polars as pl
    >>> import crimeperf as cp
    >>> features = pl.DataFrame({
    ...     "csp": ["A", "B", "C", "D"],
    ...     "density": [1_200.0, 1_150.0, 480.0, 3_900.0],
    ...     "household_size": [2.45, 2.40, 2.38, 2.31],
    ... })
    >>> groups = cp.similar_areas(features, area="csp", k=2)
    >>> groups.filter(pl.col("area") == "A")["peer"].to_list()
    ['B', 'C']
    """
    df = to_polars(features)
    if area not in df.columns:
        error = ColumnNotFoundError(f"no column {area!r}; the frame has {df.columns}")
        error.columns = [area]
        raise error
    if variables is None:
        names = [n for n, dtype in df.schema.items() if n != area and dtype.is_numeric()]
    else:
        names = _columns_arg(variables)
    if isinstance(weights, Mapping):
        unknown = sorted(set(weights) - set(names))
        if unknown:
            raise ArgumentTypeError(f"weights name variables that are not compared: {unknown}")
        weight_list: Optional[list[float]] = [float(weights.get(n, 1.0)) for n in names]
    elif weights is None:
        weight_list = None
    else:
        weight_list = [float(w) for w in weights]
    result = _crimeperf.similar_areas_frame(
        stream(df, [area, *names]),
        area=area,
        variables=names,
        k=k,
        weights=weight_list,
        frame_columns=df.columns,
    )
    return like(_frame(result), features)


@dataclass(frozen=True, repr=False)
class SimilarGroups(_FrameSet):
    """A user's most similar groups read by :func:`read_similar_groups`, placed on the bundled
    geography. Pass it (or its ``groups``) to :func:`peer_compare` as ``groups``.

    Attributes
    ----------
    groups : polars.DataFrame
        One row per placed pair: ``area``, ``area_name``, ``peer``, ``peer_name`` (GSS codes and
        names), ``peer_rank`` (the order given) and ``level`` (``"csp"``, ``"local_authority"``
        or ``"force"``).
    unplaced : polars.DataFrame
        The entries that could not be placed and are left out: ``row`` (data row, from 0),
        ``column``, ``value`` and ``reason``.
    without_group : list of str
        Areas named only as peers, with no group of their own (codes).
    """

    groups: pl.DataFrame
    unplaced: pl.DataFrame
    without_group: list[str]
    _shown = (("unplaced", 10), ("groups", 5))

    def _sections(self) -> list[tuple[str, pl.DataFrame, int]]:
        sections = [("groups", self.groups, 5)]
        if self.unplaced.height:
            sections.insert(0, ("unplaced", self.unplaced, 10))
        return sections

    def _summary(self) -> str:
        groups = self.groups["area"].n_unique()
        level = self.groups["level"][0].replace("_", " ") if self.groups.height else "area"
        parts = [f"{groups:,} groups of {level}s, {self.groups.height:,} pairs"]
        if self.unplaced.height:
            parts.append(f"{self.unplaced.height:,} entries not placed")
        if self.without_group:
            parts.append(f"{len(self.without_group):,} peers without a group of their own")
        return "; ".join(parts)


def read_similar_groups(source: Any) -> SimilarGroups:
    """Read your own most similar groups (a CSV file, an Excel workbook's first sheet, or a frame)
    and place every area on the bundled geography.

    Groups are **long**, one row per pair with columns ``area`` and ``peer``, or **wide**, one row
    per group with ``area`` and ``peer_1``, ``peer_2``, … (blank cells are fine); headers match
    ignoring case and punctuation ("Area", "Peer 1"). Areas are GSS codes or names of CSPs, local
    authorities or police forces, matched ignoring case and punctuation ("Bristol, City of"); the
    level most focal areas match decides between a CSP and a local authority of the same name.

    Nothing is dropped silently: an entry that matches nothing (or a row with no peer) is in
    ``unplaced`` with the reason, and an :class:`~crimeperf.ExcludedRowsWarning` says how many.

    Parameters
    ----------
    source : str, path, or frame
        A ``.csv``, ``.xlsx``, ``.xlsm``, ``.xls`` or ``.ods`` file, or a polars/pandas/pyarrow
        frame with the columns above (text).

    Returns
    -------
    SimilarGroups
        ``groups`` (codes and names), ``unplaced`` and ``without_group``.

    Raises
    ------
    ColumnNotFoundError
        No ``area`` column, or neither ``peer`` nor ``peer_1``….
    DataFileNotFoundError, DataFormatError
        The file cannot be found, or is not a workbook that can be read.

    Examples
    --------
    >>> import polars as pl
    >>> import crimeperf as cp
    >>> wide = pl.DataFrame({"Area": ["Rochford"], "Peer 1": ["Castle Point"],
    ...                      "Peer 2": ["E22000079"], "Peer 3": ["Maldon"]})
    >>> groups = cp.read_similar_groups(wide)
    >>> groups.groups["peer_name"].to_list()
    ['Castle Point', 'Basildon', 'Maldon']
    """
    if isinstance(source, (str, os.PathLike)):
        placed, unplaced, without = _crimeperf.read_similar_groups_file(os.fspath(source))
    else:
        df = to_polars(source)
        placed, unplaced, without = _crimeperf.similar_groups_frame(
            stream(df, df.columns), columns=df.columns, frame_columns=df.columns
        )
    result = SimilarGroups(_frame(placed), _frame(unplaced), list(without))
    if result.unplaced.height:
        n = result.unplaced.height
        reasons = "; ".join(result.unplaced["reason"].head(3).to_list())
        more = f" (and {n - 3:,} more)" if n > 3 else ""
        warnings.warn(
            f"read_similar_groups left out {n:,} entr{'y' if n == 1 else 'ies'} it could not "
            f"place: {reasons}{more}; see .unplaced",
            ExcludedRowsWarning,
            stacklevel=2,
        )
    return result


def _groups_frame(groups: Any) -> pl.DataFrame:
    """The ``groups`` argument of :func:`peer_compare` as a long polars frame of area and peer."""
    if isinstance(groups, SimilarGroups):
        return groups.groups.select("area", "peer")
    if isinstance(groups, Mapping):
        pairs = [(str(a), str(p)) for a, peers in groups.items() for p in peers]
        return pl.DataFrame(pairs, schema=["area", "peer"], orient="row")
    df = to_polars(groups)
    missing = [name for name in ("area", "peer") if name not in df.columns]
    if missing:
        error = ColumnNotFoundError(
            f"groups need columns 'area' and 'peer' (one row per pair, as similar_areas and "
            f"read_similar_groups give); missing {missing}, the frame has {df.columns}"
        )
        error.columns = missing
        raise error
    return df


def _check_areas_overlap(df: pl.DataFrame, area: str, pairs: pl.DataFrame) -> None:
    """Codes in one and names in the other is the usual slip: say so rather than name the first
    missing member."""
    if area not in df.columns or df.schema[area] != pl.String or pairs.height == 0:
        return  # the extension names the missing column or its type
    if pairs.schema["area"] != pl.String:
        return
    ours = set(df[area].drop_nulls().unique().to_list())
    theirs = set(pairs["area"].drop_nulls().unique().to_list())
    if ours and theirs and not ours & theirs:
        error = UnknownAreaError(
            f"none of the groups' focal areas is in column {area!r} (the groups have e.g. "
            f"{sorted(theirs)[0]!r}, the frame e.g. {sorted(ours)[0]!r}): write areas the same "
            "way in both (GSS codes in both, as demonstration_groups and read_similar_groups "
            "give, or names in both)"
        )
        error.areas = sorted(theirs)[:20]
        raise error


def _merge_custom_areas(df: pl.DataFrame, areas: Any, *, area: str, count: str, population: str,
                        by: list[str], name: Optional[str]) -> pl.DataFrame:
    """The frame with each custom area's parts summed into one row named by the area."""
    parts = areas.parts.rename({"area": "_custom", "code": area})
    present = set(df[area].cast(pl.String).to_list())
    absent = [c for c in parts[area].to_list() if c not in present]
    if absent:
        raise UnknownAreaError(
            f"custom area parts not in the frame's {area!r} column: {', '.join(absent[:5])}"
        )
    inside = df.join(parts, on=area, how="inner")
    # A part with a null count or population leaves the area's sum unknown, not smaller.
    summed = inside.group_by(["_custom", *by], maintain_order=True).agg(
        pl.when(pl.col(count).null_count() == 0).then(pl.col(count).sum()).alias(count),
        pl.when(pl.col(population).null_count() == 0).then(pl.col(population).sum())
        .alias(population),
    ).with_columns(pl.col("_custom").alias(area))
    if name is not None and name != area:
        summed = summed.with_columns(pl.col("_custom").alias(name))
    outside = df.join(parts.select(area), on=area, how="anti")
    kept = [*by, area, count, population, *([name] if name is not None and name != area else [])]
    return pl.concat([outside.select(kept), summed.select(kept)], how="vertical_relaxed")


def peer_compare(
    frame: Any,
    *,
    groups: Any,
    area: Optional[str] = None,
    count: Optional[str] = None,
    population: Optional[str] = None,
    by: Union[str, Sequence[str], None] = None,
    name: Optional[str] = None,
    period: Optional[str] = None,
    population_kind: Optional[PopulationKind] = None,
    per: float = 1000,
    polarity: Polarity = "lower_is_better",
    average: GroupAverage = "mean",
    confidence: float = 0.95,
    rank_interval: bool = True,
    replicates: int = 1000,
    seed: int = 0,
    missing: MissingPeers = "raise",
    unit: str = "crimes",
    population_unit: Optional[str] = None,
    areas: Any = None,
) -> Any:
    """Rank every focal area within its most similar group on a rate, with the group average, a
    verdict against it and how certain the rank is; for every ``by`` value (offence group) at once.

    * ``rank``: competition ranking (1 = best by ``polarity``; ties share the better rank, and
      ``joint`` says so), among ``group_size`` members (the focal area included).
    * ``group_mean`` is the unweighted mean of the members' rates (the HMIC comparator's and
      iQuanta's "group average"); ``group_pooled`` the group's crimes over its population;
      ``average_used`` says which the verdicts and the description use.
    * ``verdict_95`` / ``verdict_998``: the area's count against exact Poisson limits around the
      count the group average would give it (``expected``), Fingertips style:
      ``significantly_lower``, ``similar`` or ``significantly_higher``.
    * ``rank_lower`` / ``rank_upper``: the ``confidence`` interval of the rank from a seeded
      parametric bootstrap (each member's count drawn from Poisson at its own count), because
      the ranks of small counts are unstable. The same seed gives the same interval.

    Given the :class:`PoliceUkData` of a read (``period=`` required), it ranks the CSPs of the
    forces read: each CSP's crimes in the period are counted from the read's compact form (no
    records frame is built), crimes a force recorded outside its own area are left out (so a
    CSP's count is its own force's), crimes with no location are in no CSP, and the bundled ONS
    population (or households) for the period's middle is the denominator
    (:func:`add_population`). A group member whose force was not read, or not for every month
    of the period, is named in an :class:`~crimeperf.UnknownAreaError` (with
    ``missing="drop"``, a warning, and the area is ranked among the members read); only groups
    whose focal CSP was read are ranked, so national groups such as
    :func:`demonstration_groups` rank the CSPs of the forces read. With ``by="crime_type"``,
    ASB is ranked on its incidents ("ASB incidents per 1,000 residents").

    Parameters
    ----------
    frame : polars/pandas DataFrame, pyarrow Table, any ``__arrow_c_stream__`` object, or PoliceUkData
        One row per area (and ``by`` value) with a count and a population; or a police.uk read.
    groups : frame, dict or SimilarGroups
        A long frame with ``area`` and ``peer`` columns, a dict of ``{area: [peers]}``, or a
        :class:`SimilarGroups`. Each ``area`` is a focal area; it is a member of its own group.
    area, count, population : str
        The frame's columns (required for a frame). Areas must be written as the groups write
        them (GSS codes in both, as :func:`demonstration_groups` and
        :func:`read_similar_groups` give, or names in both). Not given for a ``PoliceUkData``:
        it is ranked by CSP, ``area`` holding codes and ``area_name`` names, and its groups may
        name CSPs by code or by name in any case.
    by : str or list of str, optional
        Columns to compare within separately (``offence_group``; for a ``PoliceUkData`` a
        column of its records, such as ``crime_type`` or ``outcome_group``: a CSP with none of
        a value has a 0, and rows with no value, such as ASB's outcome group, are not ranked).
    name : str, optional
        A column naming each area for the description ("Rochford" rather than its code); it is
        also given back as ``area_name`` (not given for a ``PoliceUkData``).
    period : str, optional
        For a ``PoliceUkData``: the months to count, as a period label: a financial year
        (``"2024/25"``), a calendar year (``"2025"``), a quarter (``"2025 Q1"``, ``"2025/26
        Q1"``), a month (``"2025-03"``) or a range (``"2025-01..2025-06"``).
    population_kind : {"residents", "households"}, optional
        For a ``PoliceUkData``: rates per residents (the default) or per households (burglary).
    per : float, default 1000
        Rates per this many of the population.
    polarity : {"lower_is_better", "higher_is_better"}
        Which way rank 1 is.
    average : {"mean", "pooled"}
        The group average the verdicts and the description use (both are always given).
    confidence : float, default 0.95
        The level of the rate's interval and of the rank interval.
    rank_interval : bool, default True
        Compute the bootstrap rank interval (``rank_lower``/``rank_upper`` null when False).
    replicates, seed : int
        The bootstrap's size and seed.
    missing : {"raise", "drop"}
        A member with no row (or a null count or population) is an error naming it, the group
        and the ``by`` value; with ``"drop"`` the area is ranked among the members there are,
        ``group_size`` counts only those, ``peers_missing`` lists the others, and an
        :class:`~crimeperf.ExcludedRowsWarning` says how many were left out.
    unit, population_unit : str
        The words of the description ("crimes per 1,000 residents"; ``"households"`` for
        burglary per 1,000 households). ``population_unit`` is ``"residents"`` by default (for
        a ``PoliceUkData``, ``population_kind``).
    areas : CustomAreas, optional
        Custom areas (:func:`define_areas`) whose parts are rows of the frame (e.g. CSPs of the
        ONS tables, with ``level="csp"``): their rows are summed into one row per custom area,
        named by it, before ranking, so that a joint partnership is ranked among the CSPs left
        (the ``groups`` then name it). With ``name``, the custom area's name fills that column.

    Returns
    -------
    frame
        The caller's kind of frame, one row per focal area (and ``by`` value): the ``by``
        columns, ``area`` (and ``area_name`` with ``name``), ``count``, ``population``, ``rate``, ``lower``, ``upper``, ``rank``,
        ``joint``, ``group_size``, ``rank_text`` ("2nd out of 15"), ``group_mean``,
        ``group_pooled``, ``average_used``, ``expected``, ``verdict_95``, ``verdict_998``,
        ``rank_lower``, ``rank_upper``, ``peers_missing`` and ``description``.

    Raises
    ------
    UnknownAreaError
        A group member (or focal area) missing from the frame, with ``missing="raise"``; for a
        ``PoliceUkData``, a member not read for every month of the period (named, with its
        force), no focal area read, or no month of the period read.
    ArgumentTypeError
        ``area``, ``count`` or ``population`` missing for a frame (or given for a
        ``PoliceUkData``); ``period`` missing for a ``PoliceUkData`` (or given with a frame).
    InvalidInputError
        An area with two rows for one ``by`` value; a negative or fractional count or a
        population that is not above zero (naming the area); ``period`` is not a period label;
        a ``PoliceUkData`` of outcome files, or ``by`` naming its CSP columns.

    Examples
    --------
    >>> import polars as pl
    >>> import crimeperf as cp
    >>> counts = pl.DataFrame({
    ...     "area": ["Rochford", "Castle Point", "Basildon", "Brentwood", "Maldon"],
    ...     "crimes": [4208, 5100, 9800, 4400, 3900],
    ...     "population": [87_200, 90_100, 187_600, 77_000, 65_700],
    ... })
    >>> groups = {"Rochford": ["Castle Point", "Basildon", "Brentwood", "Maldon"]}
    >>> result = cp.peer_compare(counts, area="area", count="crimes",
    ...                          population="population", groups=groups)
    >>> print(result["description"][0])
    Rochford: 48.3 crimes per 1,000 residents, 1st out of 5 in its group (firmly 1st); significantly lower than the group average of 54.7
    """
    from crimeperf._data import PoliceUkData

    columns = [] if by is None else _columns_arg(by)
    pairs = _groups_frame(groups)
    options: dict[str, Any] = dict(
        per=per, polarity=polarity, average=average, confidence=confidence,
        rank_interval=rank_interval, replicates=replicates, seed=seed, missing=missing,
        unit=unit, areas=areas,
    )
    if isinstance(frame, PoliceUkData):
        given = [arg for arg, value in (("area", area), ("count", count),
                                         ("population", population), ("name", name))
                 if value is not None]
        if given:
            raise ArgumentTypeError(
                f"{', '.join(f'{arg}=' for arg in given)} name a frame's columns; a "
                "PoliceUkData is ranked by CSP (csp_code, named by csp_name), counted (crimes, "
                "and ASB incidents on ASB rows) with the bundled populations (population_kind= "
                "chooses residents or households)"
            )
        if period is None:
            raise ArgumentTypeError(
                "peer_compare needs period= for a PoliceUkData: the months to count, e.g. "
                '"2024/25", "2025", "2025 Q1", "2025/26 Q1", "2025-03" or "2025-01..2025-06"'
            )
        kind = cast(PopulationKind, (population_kind or "residents").lower())
        if kind not in ("residents", "households"):
            raise UnknownOptionError(
                f'unknown population_kind "{population_kind}"; expected one of: residents, '
                "households"
            )
        return _compare_read(frame, pairs, period=period, by=columns, kind=kind,
                             population_unit=population_unit, **options)
    if period is not None or population_kind is not None:
        raise ArgumentTypeError(
            "period= and population_kind= are for a PoliceUkData; a frame's rows are its periods "
            "and its population column (population=) its denominators"
        )
    if area is None or count is None or population is None:
        raise ArgumentTypeError(
            "peer_compare needs area=, count= and population= naming the frame's columns "
            "(or a PoliceUkData with period=)"
        )
    result, said = _compare(to_polars(frame), pairs, area=area, count=count,
                            population=population, name=name, by=columns,
                            population_unit=population_unit or "residents", **options)
    if said:
        warnings.warn("peer_compare left out " + "; and ".join(said), ExcludedRowsWarning,
                      stacklevel=2)
    return like(result, frame)


def _compare(df: pl.DataFrame, pairs: pl.DataFrame, *, area: str, count: str, population: str,
             name: Optional[str], by: list[str], areas: Any, unit: str, population_unit: str,
             **options: Any) -> tuple[pl.DataFrame, list[str]]:
    """:func:`peer_compare` of a polars frame, and what it left out (for the caller to say)."""
    if areas is not None:
        df = _merge_custom_areas(df, areas, area=area, count=count, population=population,
                                 by=by, name=name)
    _check_areas_overlap(df, area, pairs)
    table, excluded = _crimeperf.peer_compare_frame(
        stream(df, by + [area, count, population] + ([name] if name else [])),
        stream(pairs, ["area", "peer"]),
        area=area,
        count=count,
        population=population,
        name=name,
        by=by,
        unit=unit,
        population_unit=population_unit,
        frame_columns=df.columns,
        groups_columns=pairs.columns,
        **options,
    )
    result = _frame(table)
    left_out = _frame(excluded)
    short = result.filter(pl.col("peers_missing").list.len() > 0)
    said = []
    if left_out.height:
        first = left_out.row(0, named=True)
        said.append(
            f"{left_out.height:,} focal area(s) with no count or population (first: "
            f"{first['area']} in {first['group']}: {first['reason']}), which have no row in the result"
        )
    if short.height:
        members = short["peers_missing"].list.len().sum()
        said.append(
            f"{members:,} group member(s) from {short.height:,} comparison(s), ranked among the "
            "members there are (their group_size and peers_missing say which)"
        )
    return result, said


def _compare_read(data: Any, pairs: pl.DataFrame, *, period: str, by: list[str],
                  kind: PopulationKind, population_unit: Optional[str], missing: MissingPeers,
                  areas: Any, unit: str, **options: Any) -> pl.DataFrame:
    """:func:`peer_compare` of a police.uk read: the groups placed on CSP codes, every CSP's
    count in ``period`` from the compact form with its zeros and population, ASB incidents
    ranked apart from crimes. Its warnings are said at ``peer_compare``'s caller."""
    check_read(data, by)
    custom = [] if areas is None else list(areas.names)
    pairs = placed_groups(pairs, custom)
    counts = period_counts(data, period=period, by=by, kind=kind,
                           parts=[] if areas is None else areas.parts["code"].to_list())
    if counts.rows.height == 0 or counts.rows["months_covered"].max() == 0:
        months = data.coverage["month"]
        held = (f"it holds {months.min():%Y-%m} to {months.max():%Y-%m}" if len(months)
                else "it holds no month")
        raise UnknownAreaError(f"the read covers no month of {counts.label} ({held})")
    kept = focal_groups(pairs, counts, custom)
    shortfall = check_coverage(kept, counts, missing=missing,
                               parts=None if areas is None else areas.parts)
    if shortfall is not None:
        warnings.warn(f"peer_compare: {shortfall}; each area is ranked among the members read",
                      ExcludedRowsWarning, stacklevel=3)
    results: list[pl.DataFrame] = []
    left_out: list[str] = []
    for is_asb in (False, True):
        rows = counts.rows.filter(pl.col("is_asb") == is_asb)
        if rows.height:
            result, said = _compare(rows, kept, area="csp_code", count="count",
                                    population=counts.population, name="csp_name", by=by,
                                    areas=areas, unit="ASB incidents" if is_asb else unit,
                                    population_unit=population_unit or kind, missing=missing,
                                    **options)
            results.append(result)
            left_out += [f"{'ASB: ' if is_asb else ''}{s}" for s in said]
    if left_out:
        warnings.warn("peer_compare left out " + "; and ".join(left_out), ExcludedRowsWarning,
                      stacklevel=3)
    result = pl.concat(results, how="vertical_relaxed")
    return result.sort(by, maintain_order=True) if by and len(results) > 1 else result


def _level_suffix(level: float) -> str:
    """The column suffix of a level, as the extension names it: 0.95 → "95", 0.998 → "998"."""
    return f"{level * 100:.6f}".rstrip("0").rstrip(".").replace(".", "")


@dataclass(frozen=True, repr=False)
class Funnel:
    """A funnel plot from :func:`funnel`: each area's value with its control limits, the
    benchmark, and the overdispersion test. Draw it with :func:`crimeperf.plot.funnel`.

    Attributes
    ----------
    table : frame
        The caller's kind of frame: ``area``, ``numerator``, ``denominator``, ``value``,
        ``expected``, ``z`` and per level ``lower_95``, ``upper_95``, ``flag_95`` (``"low"``,
        ``"within"``, ``"high"``), ``lower_998``, ….
    statistic, method : str
        ``"rate"``, ``"proportion"`` or ``"ratio"``; ``"exact"`` or ``"wilson"``.
    per : float
        Values are per this many.
    benchmark : float
        The centre line; ``benchmark_given`` is False when it is the pooled value.
    levels : list of float
        The levels of the limits.
    adjustment : str
        ``"not_requested"``, ``"no_evidence"`` (tested; no overdispersion at 5%, limits left
        as they are) or ``"additive"`` (limits widened by the random effect ``tau2``).
    phi, chi_square, degrees_of_freedom, p_value, winsorised : optional
        The overdispersion test, when asked for: the dispersion ratio of the winsorised
        z-scores, the chi-square statistic, its degrees of freedom and p-value, and the share
        winsorised in each tail.
    tau2 : float
        The between-area variance added to the limits (per head; 0 when not adjusted).
    """

    table: Any
    statistic: str
    method: str
    per: float
    benchmark: float
    benchmark_given: bool
    levels: list[float]
    adjustment: str
    tau2: float
    phi: Optional[float] = None
    chi_square: Optional[float] = None
    degrees_of_freedom: Optional[int] = None
    p_value: Optional[float] = None
    winsorised: Optional[float] = None

    def limits(self, denominators: Sequence[float]) -> pl.DataFrame:
        """The limit curves at any denominators (for drawing): ``denominator`` and
        ``lower_<level>``/``upper_<level>`` per level, widened by ``tau2`` as the table's are.

        Examples
        --------
        >>> import crimeperf as cp
        >>> plot = cp.funnel({"area": ["A", "B"], "crimes": [30, 70],
        ...                   "population": [2_000, 4_000]}, area="area", count="crimes",
        ...                  population="population")
        >>> curves = plot.limits([1_000, 10_000])
        >>> curves.columns
        ['denominator', 'lower_95', 'upper_95', 'lower_998', 'upper_998']
        """
        values = [float(d) for d in denominators]
        curves = _crimeperf.funnel_limits(
            statistic=self.statistic,  # type: ignore[arg-type]
            method=self.method,  # type: ignore[arg-type]
            benchmark=self.benchmark,
            per=self.per,
            tau2=self.tau2,
            levels=list(self.levels),
            denominators=values,
        )
        columns: dict[str, list[float]] = {"denominator": values}
        for level, pairs in zip(self.levels, curves):
            suffix = _level_suffix(level)
            columns[f"lower_{suffix}"] = [p[0] for p in pairs]
            columns[f"upper_{suffix}"] = [p[1] for p in pairs]
        return pl.DataFrame(columns)

    def summary(self) -> str:
        """One sentence on the benchmark and the overdispersion adjustment.

        Examples
        --------
        >>> import crimeperf as cp
        >>> plot = cp.funnel({"area": ["A", "B"], "crimes": [30, 70],
        ...                   "population": [2_000, 4_000]}, area="area", count="crimes",
        ...                  population="population")
        >>> plot.summary()
        '2 areas; benchmark 16.7 per 1,000 (the pooled value); overdispersion not tested'
        """
        n = to_polars(self.table).height
        source = "given" if self.benchmark_given else "the pooled value"
        text = f"{n:,} areas; benchmark {self.benchmark:,.1f} per {self.per:,.0f} ({source})"
        if self.adjustment == "not_requested":
            return text + "; overdispersion not tested"
        p = "p < 0.001" if (self.p_value or 0.0) < 0.001 else f"p = {self.p_value:.3f}"
        test = (
            f"phi {self.phi:.2f}, chi-square {self.chi_square:,.1f} on "
            f"{self.degrees_of_freedom} df, {p}"
        )
        if self.adjustment == "no_evidence":
            return text + f"; no evidence of overdispersion ({test}): limits not adjusted"
        return text + f"; overdispersed ({test}): limits widened by tau² = {self.tau2:.3g}"

    def __repr__(self) -> str:
        return f"Funnel({self.summary()})"

    def _repr_html_(self) -> str:
        with pl.Config(fmt_str_lengths=80):
            table = to_polars(self.table).head(20)._repr_html_()
        return f"<div><b>Funnel</b>: {html.escape(self.summary())}{table}</div>"


def funnel(
    frame: Any,
    *,
    area: str,
    count: Optional[str] = None,
    population: Optional[str] = None,
    numerator: Optional[str] = None,
    denominator: Optional[str] = None,
    statistic: Optional[FunnelStatistic] = None,
    benchmark: Optional[float] = None,
    per: Optional[float] = None,
    overdispersion: bool = False,
    levels: Sequence[float] = (0.95, 0.998),
    method: FunnelMethod = "exact",
) -> Funnel:
    """A funnel plot of every row: each area's value with control limits around a benchmark that
    narrow as areas grow, so that a high rate on a few crimes is not flagged.

    Rates (``count=``, ``population=``) get exact Poisson limits; proportions (``numerator=``,
    ``denominator=``) exact binomial limits (or PHE's Wilson limits with ``method="wilson"``);
    ratios of observed to expected (``statistic="ratio"``) exact Poisson limits. The limits at
    whole counts are those of the PHE technical guide (PHEindicatormethods).

    With ``overdispersion=True``, Spiegelhalter's test and adjustment: z-scores winsorised at 10%
    in each tail, ``phi`` and a chi-square test; when it finds overdispersion at 5%, the
    limits are widened by a DerSimonian–Laird random effect ``tau2``; otherwise they are left as
    they are and ``adjustment`` says ``"no_evidence"``.

    Parameters
    ----------
    frame : polars/pandas DataFrame, pyarrow Table, or any ``__arrow_c_stream__`` object
        One row per area.
    area : str
        The area column (text), for labels.
    count, population : str
        A rate's columns.
    numerator, denominator : str
        A proportion's (or, with ``statistic="ratio"``, observed and expected) columns.
    statistic : {"rate", "proportion", "ratio"}, optional
        By default ``"rate"`` with ``count``/``population`` and ``"proportion"`` with
        ``numerator``/``denominator``.
    benchmark : float, optional
        The centre line, in the units of the values; the pooled value by default.
    per : float, optional
        Values per this many: 1,000 for rates, 100 (percentages) for proportions and 1 for
        ratios by default.
    overdispersion : bool, default False
        Test for overdispersion and widen the limits when it is found.
    levels : sequence of float, default (0.95, 0.998)
        The levels of the limits ("two and three sigma").
    method : {"exact", "wilson"}
        ``"wilson"`` only for proportions.

    Returns
    -------
    Funnel
        ``table`` (the caller's kind of frame), the benchmark and the overdispersion test.

    Raises
    ------
    InvalidInputError
        A null, negative or non-finite value or a denominator not above zero (naming the area),
        a numerator above its denominator for a proportion, or a bad level or benchmark.

    Examples
    --------
    >>> import polars as pl
    >>> import crimeperf as cp
    >>> frame = pl.DataFrame({"area": ["A", "B", "C", "D"], "crimes": [30, 95, 210, 70],
    ...                       "population": [2_000, 5_000, 10_000, 4_000]})
    >>> plot = cp.funnel(frame, area="area", count="crimes", population="population")
    >>> round(plot.benchmark, 2)
    19.29
    >>> plot.table["flag_95"].to_list()
    ['within', 'within', 'within', 'within']
    """
    if (count is None) != (population is None) or (numerator is None) != (denominator is None):
        raise ArgumentTypeError("give count= and population=, or numerator= and denominator=")
    if (count is None) == (numerator is None):
        raise ArgumentTypeError(
            "give either count= and population= (a rate) or numerator= and denominator= "
            "(a proportion or ratio), not both"
        )
    top = count if count is not None else numerator
    bottom = population if population is not None else denominator
    assert top is not None and bottom is not None
    kind = statistic or ("rate" if count is not None else "proportion")
    if per is None:
        per = {"rate": 1000.0, "proportion": 100.0}.get(kind, 1.0)
    df = to_polars(frame)
    table, summary = _crimeperf.funnel_frame(
        stream(df, [area, top, bottom]),
        area=area,
        numerator=top,
        denominator=bottom,
        statistic=kind,  # type: ignore[arg-type]
        method=method,
        per=per,
        levels=[float(level) for level in levels],
        benchmark=benchmark,
        overdispersion=overdispersion,
        frame_columns=df.columns,
    )
    return Funnel(
        table=like(_frame(table), frame),
        statistic=summary["statistic"],
        method=summary["method"],
        per=summary["per"],
        benchmark=summary["benchmark"],
        benchmark_given=summary["benchmark_given"],
        levels=list(summary["levels"]),
        adjustment=summary["adjustment"],
        tau2=summary["tau2"],
        phi=summary.get("phi"),
        chi_square=summary.get("chi_square"),
        degrees_of_freedom=summary.get("degrees_of_freedom"),
        p_value=summary.get("p_value"),
        winsorised=summary.get("winsorised"),
    )
