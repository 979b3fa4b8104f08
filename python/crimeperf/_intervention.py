"""Did it work? An operation's treated area against a control area, before and after, with a
displacement buffer: the Poisson E-test, the weighted displacement difference (WDD) and quotient
(WDQ), and the same built from police.uk records and areas."""

from __future__ import annotations

import datetime as dt
import html
import math
from dataclasses import dataclass
from typing import Any, Mapping, Optional, Sequence, Union

import polars as pl

from crimeperf import _crimeperf
from crimeperf._crimeperf import ETest, Wdd
from crimeperf._options import EStatistic
from crimeperf.exceptions import InvalidInputError, UnknownAreaError

__all__ = ["e_test", "wdd", "evaluate_intervention", "Intervention"]

# An area of an intervention: GSS codes (LSOAs, wards, local authorities or CSPs, mixed freely),
# or a circle {"point": (longitude, latitude), "radius": metres} on the records' coordinates.
AreaSpec = Union[Sequence[str], Mapping[str, Any]]

EARTH_RADIUS_M = 6_371_008.8  # the mean Earth radius (IUGG), for distances of a few km


def e_test(
    current: int,
    previous: int,
    *,
    exposure: float = 1.0,
    previous_exposure: float = 1.0,
    statistic: EStatistic = "score",
    confidence: float = 0.95,
) -> ETest:
    """The Poisson E-test of two rates: ``current`` events over ``exposure`` against
    ``previous`` over ``previous_exposure`` (Krishnamoorthy and Thomson, 2004).

    Under equal rates the two counts are Poisson with means from their pooled rate; the p-value
    is the probability of every pair of counts whose statistic is at least as far from zero as
    the one observed. More powerful than the exact conditional test of :func:`change` for small
    counts. The sum is computed exactly as Poisson tails for each value of the first count, and
    only the first count's far tails are left out: ``truncation_error`` bounds that mass (below
    1e-14), so the test stays exact and fast for counts in the thousands (ptools' ``e_test``
    warns above about 100).

    Parameters
    ----------
    current, previous : int
        The two counts (e.g. the treated area after, and before; or two areas).
    exposure, previous_exposure : float, default 1.0
        Their exposures (period lengths, areas or populations).
    statistic : {"score", "wald"}, default "score"
        ``"score"`` is statsmodels' ``test_poisson_2indep(method="etest")``; with equal
        exposures it gives ptools' ``e_test`` p-value too. ``"wald"`` is Krishnamoorthy and
        Thomson's own statistic (statsmodels' ``"etest-wald"``).
    confidence : float, default 0.95
        The level of the verdict in ``describe()``.

    Returns
    -------
    ETest
        ``p_value``, ``statistic``, ``truncation_error``, ``defined`` and ``describe()``. Two
        zero counts give ``defined=False``, ``p_value=None`` and ``undefined`` saying why: there
        is nothing to test, and no number stands in for it.

    Raises
    ------
    NegativeCountError
        A count is negative.
    InvalidDenominatorError
        An exposure is zero, negative or not finite.

    Examples
    --------
    >>> import crimeperf as cp
    >>> test = cp.e_test(6, 2)  # Krishnamoorthy and Thomson's example; ptools: 0.1749
    >>> round(test.p_value, 4)
    0.1749
    >>> test.describe()
    'not a statistically significant difference (E-test, p = 0.175)'
    >>> cp.e_test(0, 0).defined
    False
    """
    return _crimeperf.e_test(
        current, previous, exposure=exposure, previous_exposure=previous_exposure,
        statistic=statistic, confidence=confidence,
    )


def _pair(name: str, value: Any) -> Optional[tuple[Any, Any]]:
    if value is None:
        return None
    try:
        before, after = value
    except (TypeError, ValueError) as err:
        raise InvalidInputError(
            f"{name} must be a pair of counts (before, after), got {value!r}"
        ) from err
    return before, after


def wdd(
    *,
    treated: tuple[int, int],
    control: tuple[int, int],
    displacement: Optional[tuple[int, int]] = None,
    control_displacement: Optional[tuple[int, int]] = None,
    time_weights: tuple[float, float] = (1.0, 1.0),
    area_weights: Optional[Mapping[str, float]] = None,
    confidence: float = 0.95,
    unit: str = "crimes",
) -> Wdd:
    """The weighted displacement difference test of a place-based intervention (Wheeler and
    Ratcliffe, 2018), with the weighted displacement quotient of the buffer (Bowers and
    Johnson, 2003).

    ``WDD = (ΔT − ΔC) + (ΔD − ΔCD)``, each ``Δ`` an area's count after minus before (divided by
    the weights), for the treated area ``T``, the control ``C``, the displacement buffer ``D``
    and the buffer's control ``CD``. The counts are taken as Poisson, so the variance is the sum
    of the eight counts (over the squared weights); the z-score, two-sided normal p-value and
    interval follow. A negative estimate is fewer crimes than the control's trend predicts.

    Parameters
    ----------
    treated, control : (int, int)
        Counts before and after in the treated and control areas.
    displacement, control_displacement : (int, int), optional
        Counts before and after in the displacement buffer and its control area.
    time_weights : (float, float), default (1, 1)
        The lengths of the periods before and after (e.g. ``(2, 1)`` for two years against one):
        the difference is then per unit of time.
    area_weights : dict, optional
        Sizes of the areas, keys ``"treated"``, ``"control"``, ``"displacement"``,
        ``"control_displacement"`` (1 for any not given): the difference is then per unit area.
    confidence : float, default 0.95
        The level of the interval and the verdict (ptools' ``wdd`` defaults to 90%).
    unit : str, default "crimes"
        The plural word for what is counted, used by ``describe()``.

    Returns
    -------
    Wdd
        ``estimate``, ``se``, ``z``, ``p_value``, ``lower``, ``upper``, the ``local`` and
        ``displacement`` parts with their standard errors, with a buffer ``wdq`` and
        ``wdq_reading``, and ``describe()``. When every count is zero, ``z``, ``p_value`` and
        the interval are None and ``undefined`` says why.

    Raises
    ------
    NegativeCountError
        A negative count (the message names the area).
    InvalidDenominatorError
        A weight that is not a finite number above zero.

    Examples
    --------
    >>> import crimeperf as cp
    >>> result = cp.wdd(treated=(20, 10), control=(20, 20))  # ptools' example
    >>> result.estimate, round(result.se, 4), round(result.p_value, 4)
    (-10.0, 8.3666, 0.232)
    >>> print(result.describe())
    10.0 fewer crimes in the treated area than the control area's trend predicts (95% interval 26.4 fewer to 6.4 more; z = -1.20, p = 0.232): not a statistically significant difference
    """
    weights = dict(area_weights or {})
    unknown = set(weights) - {"treated", "control", "displacement", "control_displacement"}
    if unknown:
        raise InvalidInputError(
            f"area_weights: unknown area {sorted(unknown)[0]!r}; expected treated, control, "
            "displacement, control_displacement"
        )
    times = _pair("time_weights", time_weights)
    assert times is not None
    return _crimeperf.wdd(
        _pair("treated", treated), _pair("control", control),
        _pair("displacement", displacement), _pair("control_displacement", control_displacement),
        time_weights=(float(times[0]), float(times[1])),
        area_weights=tuple(float(weights.get(k, 1.0)) for k in
                           ("treated", "control", "displacement", "control_displacement")),
        confidence=confidence, unit=unit,
    )


# ---------------------------------------------------------------------------------------------
# From police.uk records


def _month(name: str, text: str) -> dt.date:
    try:
        year, month = (int(part) for part in str(text).split("-"))
        return dt.date(year, month, 1)
    except ValueError as err:
        raise InvalidInputError(f"{name}={text!r} is not a month like '2025-04'") from err


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _span(first: dt.date, last: dt.date) -> str:
    return f"{first:%B %Y}" if first == last else f"{first:%B %Y} to {last:%B %Y}"


def _within(spec: Mapping[str, Any], name: str) -> pl.Expr:
    """Records within a circle: haversine distance from the point on the record coordinates."""
    try:
        longitude, latitude = (float(v) for v in spec["point"])
        radius = float(spec["radius"])
    except (KeyError, TypeError, ValueError) as err:
        raise InvalidInputError(
            f"{name}: a circle is {{'point': (longitude, latitude), 'radius': metres}}, got {spec!r}"
        ) from err
    if not (-180 <= longitude <= 180 and -90 <= latitude <= 90) or not radius > 0:
        raise InvalidInputError(
            f"{name}: point {longitude, latitude} must be (longitude, latitude) in degrees and "
            f"radius {radius} metres above zero"
        )
    lat0, lon0 = math.radians(latitude), math.radians(longitude)
    lat = pl.col("latitude").radians()
    lon = pl.col("longitude").radians()
    a = ((lat - lat0) / 2).sin() ** 2 + math.cos(lat0) * lat.cos() * ((lon - lon0) / 2).sin() ** 2
    distance = 2 * EARTH_RADIUS_M * a.sqrt().arcsin()
    return pl.col("latitude").is_not_null() & (distance <= radius)


_LEVELS = {  # GSS prefix → the records' column (wards go through the LSOA lookup)
    "E01": "lsoa_code", "W01": "lsoa_code",
    "E05": "ward_code", "W05": "ward_code",
    "E06": "local_authority_code", "E07": "local_authority_code",
    "E08": "local_authority_code", "E09": "local_authority_code", "W06": "local_authority_code",
    "E22": "csp_code", "W22": "csp_code",
}


def _in_codes(codes: Sequence[str], name: str, wards: pl.DataFrame) -> pl.Expr:
    """Records in any of the GSS codes, each checked against the bundled geography."""
    from crimeperf._data import geography_table

    codes = [str(c).strip().upper() for c in codes]
    if not codes:
        raise InvalidInputError(f"{name}: no areas given")
    lookup = geography_table("lsoa_lookup")
    known = {
        "lsoa_code": set(lookup["lsoa_code"]),
        "ward_code": set(lookup["ward_code"].drop_nulls()),
        "local_authority_code": set(lookup["local_authority_code"]),
        "csp_code": set(lookup["csp_code"].drop_nulls()),
    }
    by_column: dict[str, list[str]] = {}
    for code in codes:
        column = _LEVELS.get(code[:3])
        if column is None or code not in known[column]:
            level = "" if column is None else f" ({column.removesuffix('_code').replace('_', ' ')})"
            raise UnknownAreaError(
                f"{name}: {code!r}{level} is not a GSS code of an LSOA, ward, local authority "
                "or CSP in England and Wales in the bundled geography"
            )
        by_column.setdefault(column, []).append(code)
    terms = []
    for column, members in by_column.items():
        if column == "ward_code":
            lsoas = wards.filter(pl.col("ward_code").is_in(members))["lsoa_code"].unique()
            terms.append(pl.col("lsoa_code").is_in(lsoas.to_list()))
        else:
            terms.append(pl.col(column).is_in(members))
    expression = terms[0]
    for term in terms[1:]:
        expression = expression | term
    return expression


def _area(spec: AreaSpec, name: str, wards: pl.DataFrame) -> pl.Expr:
    if isinstance(spec, Mapping):
        return _within(spec, name)
    if isinstance(spec, str):
        spec = [spec]
    return _in_codes(list(spec), name, wards)


@dataclass
class Intervention:
    """What :func:`evaluate_intervention` found.

    Attributes
    ----------
    counts : polars.DataFrame
        One row per area (``treated``, ``control`` and, if given, ``buffer`` and
        ``buffer_control``): ``before``, ``after`` and the months of each period.
    local : Wdd
        The treated area against the control alone.
    wdd : Wdd
        The weighted displacement difference with the buffer and its control, when given (then
        with the buffer's displacement quotient); the same as ``local`` without a buffer.
    e_test : ETest
        The treated area after against before (exposures: the periods' lengths in months).
    control_e_test : ETest
        The same for the control area.
    before, after : tuple of datetime.date
        The first and last months of each period.
    excluded : dict
        Records left out and why (``"no_location"``, ``"in_treated"`` for buffer records that
        fall in the treated area, ``"outside_periods"``, ``"not_selected_type"``).
    """

    counts: pl.DataFrame
    local: Wdd
    wdd: Wdd
    e_test: ETest
    control_e_test: ETest
    before: tuple[dt.date, dt.date]
    after: tuple[dt.date, dt.date]
    excluded: dict[str, int]
    unit: str = "crimes"

    def describe(self) -> str:
        """The committee paragraph: the counts, each area's change, the treated area against
        the control and, with a buffer, the total with the buffer and its displacement quotient."""
        rows = {r["area"]: r for r in self.counts.iter_rows(named=True)}
        before, after = _span(*self.before), _span(*self.after)
        treated, control = rows["treated"], rows["control"]
        lines = [
            f"Treated area: {treated['before']:,} {self.unit} in {before} and "
            f"{treated['after']:,} in {after}, {self.e_test.describe()}. Control area: "
            f"{control['before']:,} and {control['after']:,}, {self.control_e_test.describe()}.",
            f"Against the control: {self.local.describe(self.unit)}.",
        ]
        if "buffer" in rows:
            buffer = rows["buffer"]
            lines.append(
                f"Buffer: {buffer['before']:,} before and {buffer['after']:,} after. With the "
                f"buffer: {self.wdd.describe(self.unit)}."
            )
        return " ".join(lines)

    def __repr__(self) -> str:
        return f"Intervention({self.describe()})"

    def _repr_html_(self) -> str:
        from crimeperf._evidence import _table_html

        return f"<div><p>{html.escape(self.describe())}</p>{_table_html(self.counts)}</div>"


def evaluate_intervention(
    records: Any,
    *,
    treated: AreaSpec,
    control: AreaSpec,
    start: str,
    end: Optional[str] = None,
    before: Optional[int] = None,
    buffer: Optional[AreaSpec] = None,
    buffer_control: Optional[AreaSpec] = None,
    crime_types: Optional[Sequence[str]] = None,
    confidence: float = 0.95,
) -> Intervention:
    """Evaluate an operation from police.uk records: the treated area against a control area
    before and after, with an optional displacement buffer.

    Builds the before and after counts from the records (anti-social behaviour left out unless
    asked for by ``crime_types``), then gives the weighted displacement difference (with the
    buffer's displacement quotient) and the E-test of each area's change, and a paragraph that
    says whether the change in the treated area differs from the control's beyond chance and
    what the buffer suggests.

    Parameters
    ----------
    records : PoliceUkData or frame
        What :func:`read_police_uk` gave, or its ``records`` (any frame with ``month``,
        ``crime_type``, ``is_asb``, ``lsoa_code``, ``local_authority_code``, ``csp_code``,
        ``longitude`` and ``latitude``).
    treated, control, buffer, buffer_control : list of str or dict
        Each area: GSS codes of LSOAs (E01…), wards (E05…), local authorities or CSPs (E22…),
        mixed freely; or a circle ``{"point": (longitude, latitude), "radius": metres}`` on the
        records' coordinates (records without a location are then left out, and counted in
        ``excluded``). Records of the treated area are never counted in its buffer, so a buffer
        circle larger than the treated circle is a ring. A control that shares records with the
        treated area is an error.
    start : str
        The first month of the intervention, e.g. ``"2025-04"``.
    end : str, optional
        The last month of the period after; the last month in the records by default.
    before : int, optional
        How many months before ``start`` to compare with; as many as the period after by default.
    crime_types : list of str, optional
        Count only these police.uk crime types (e.g. ``["Burglary"]``).
    confidence : float, default 0.95
        The level of the intervals and verdicts.

    Returns
    -------
    Intervention
        ``counts``, ``local`` (treated against control), ``wdd`` (with the buffer),
        ``e_test``, ``control_e_test``, ``excluded`` and ``describe()``.

    Raises
    ------
    InvalidInputError
        A month that does not parse, periods outside the months of the records (named), an
        empty area, or a control that overlaps the treated area.
    UnknownAreaError
        A code that is not an LSOA, ward, local authority or CSP of the bundled geography.

    Examples
    --------
    A made-up operation from March 2025 in one LSOA, with a neighbouring LSOA as control (with
    police.uk files, pass ``cp.read_police_uk(folder)`` instead of this frame):

    >>> import datetime as dt
    >>> import polars as pl
    >>> import crimeperf as cp
    >>> monthly = {"E01021521": [9, 11, 4, 5], "E01021531": [20, 22, 21, 19]}  # Jan to Apr
    >>> records = pl.DataFrame(
    ...     [(lsoa, dt.date(2025, m + 1, 1)) for lsoa, counts in monthly.items()
    ...      for m, n in enumerate(counts) for _ in range(n)],
    ...     schema=["lsoa_code", "month"], orient="row",
    ... ).with_columns(is_asb=False, crime_type=pl.lit("Burglary"), local_authority_code=None,
    ...                csp_code=None, longitude=None, latitude=None)
    >>> result = cp.evaluate_intervention(records, treated=["E01021521"], control=["E01021531"],
    ...                                   start="2025-03")
    >>> result.counts.select("area", "before", "after").rows()
    [('treated', 20, 9), ('control', 42, 40)]
    >>> print(result.wdd.describe())
    9.0 fewer crimes in the treated area than the control area's trend predicts (95% interval 29.6 fewer to 11.6 more; z = -0.85, p = 0.393): not a statistically significant difference
    """
    from crimeperf._data import PoliceUkData, geography_table
    from crimeperf._exchange import to_polars

    frame = records.records if isinstance(records, PoliceUkData) else to_polars(records)
    first_month = _month("start", start)
    months = frame["month"].drop_nulls()
    if months.len() == 0:
        raise InvalidInputError("the records hold no months")
    data_first, data_last = months.min(), months.max()
    last = _month("end", end) if end is not None else data_last
    if last < first_month:
        raise InvalidInputError(f"end={last:%Y-%m} is before start={first_month:%Y-%m}")
    after_months = (last.year - first_month.year) * 12 + last.month - first_month.month + 1
    before_months = after_months if before is None else int(before)
    if before_months < 1:
        raise InvalidInputError(f"before={before} must be at least one month")
    before_first = _add_months(first_month, -before_months)
    before_last = _add_months(first_month, -1)
    if before_first < data_first or last > data_last:
        raise InvalidInputError(
            f"the periods ({_span(before_first, before_last)} before, "
            f"{_span(first_month, last)} after) are not all within the records' months "
            f"({_span(data_first, data_last)})"
        )
    present = set(frame["month"].unique().to_list())
    gaps = [m for m in (_add_months(before_first, i) for i in range(before_months + after_months))
            if m not in present]
    if gaps:
        raise InvalidInputError(
            "months with no records in the periods compared: "
            + ", ".join(f"{m:%B %Y}" for m in gaps)
        )

    excluded: dict[str, int] = {}
    selected = frame
    if crime_types is None:
        selected = frame.filter(~pl.col("is_asb"))
    else:
        wanted = [str(t) for t in crime_types]
        unknown = [t for t in wanted if t not in set(frame["crime_type"].unique().to_list())]
        if unknown:
            raise InvalidInputError(f"crime_types: no records of {unknown[0]!r} in the records")
        selected = frame.filter(pl.col("crime_type").is_in(wanted))
    excluded["not_selected_type"] = frame.height - selected.height
    in_periods = pl.col("month").is_between(before_first, last)
    excluded["outside_periods"] = selected.filter(~in_periods).height
    selected = selected.filter(in_periods)

    wards = geography_table("lsoa_lookup").select("lsoa_code", "ward_code").drop_nulls()
    specs = {"treated": treated, "control": control, "buffer": buffer,
             "buffer_control": buffer_control}
    uses_circle = any(isinstance(s, Mapping) for s in specs.values() if s is not None)
    if uses_circle:
        excluded["no_location"] = selected.filter(pl.col("latitude").is_null()).height
    masks = {name: _area(spec, name, wards) for name, spec in specs.items() if spec is not None}
    flags = selected.select(**{name: mask.fill_null(False) for name, mask in masks.items()})
    overlap = (flags["treated"] & flags["control"]).sum()
    if overlap:
        raise InvalidInputError(
            f"control: {overlap:,} records fall in both the treated and the control area; "
            "a control must be apart from the treated area"
        )
    if "buffer" in flags.columns:
        excluded["in_treated"] = int((flags["buffer"] & flags["treated"]).sum())
        flags = flags.with_columns(pl.col("buffer") & ~pl.col("treated"))
    is_after = selected["month"] >= first_month
    rows = []
    for name in flags.columns:
        inside = flags[name]
        rows.append({
            "area": name,
            "before": int((inside & ~is_after).sum()),
            "after": int((inside & is_after).sum()),
            "before_months": _span(before_first, before_last),
            "after_months": _span(first_month, last),
        })
    counts = pl.DataFrame(rows)
    table = {r["area"]: (r["before"], r["after"]) for r in rows}
    # In crimes over the period after: the period before counts as its length over that.
    time_weights = (before_months / after_months, 1.0)
    local = wdd(treated=table["treated"], control=table["control"], time_weights=time_weights,
                confidence=confidence)
    result = wdd(
        treated=table["treated"], control=table["control"],
        displacement=table.get("buffer"), control_displacement=table.get("buffer_control"),
        time_weights=time_weights, confidence=confidence,
    ) if "buffer" in table or "buffer_control" in table else local
    tests = {
        name: e_test(table[name][1], table[name][0], exposure=after_months,
                     previous_exposure=before_months, confidence=confidence)
        for name in ("treated", "control")
    }
    return Intervention(
        counts=counts, local=local, wdd=result, e_test=tests["treated"], control_e_test=tests["control"],
        before=(before_first, before_last), after=(first_month, last), excluded=excluded,
    )
