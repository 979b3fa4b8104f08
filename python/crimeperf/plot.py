"""Charts of crimeperf results (needs matplotlib: ``pip install crimeperf[report]``).

matplotlib is imported only when a chart is drawn, so ``import crimeperf`` never needs it.
"""

from __future__ import annotations

from typing import Any, Optional, Sequence, Union

import polars as pl

from crimeperf._exchange import to_polars
from crimeperf.exceptions import CrimeperfError

__all__ = ["spc", "funnel", "peers", "year_to_date"]

# Special causes are marked by shape as well as colour, so the chart reads in black and white.
_MARKERS = {
    "improvement": ("^", "#1f5fa8", "Special cause: improvement"),
    "concern": ("s", "#c25400", "Special cause: concern"),
}


def _pyplot() -> Any:
    try:
        from matplotlib import pyplot
    except ImportError as err:
        raise CrimeperfError(
            "crimeperf.plot needs matplotlib: pip install 'crimeperf[report]'"
        ) from err
    return pyplot


def _ticker() -> Any:
    from matplotlib import ticker

    return ticker


def spc(
    result: Any,
    *,
    title: Optional[str] = None,
    value_label: str = "Crimes recorded",
) -> Any:
    """Draw an SPC chart from :func:`crimeperf.spc` output (one group) as a matplotlib Figure.

    The values are a line of dots; the centre a solid line; the process limits dashed lines;
    special causes are triangles (improvement) or squares (concern), in colour and shape, so
    the chart reads in black and white. A rebase starts a new run of centre and limit lines and
    is labelled with its reason.

    Examples
    --------
    >>> import crimeperf as cp
    >>> import crimeperf.plot
    >>> chart = cp.spc([10, 11, 9, 10, 12, 10, 9, 11, 10, 10, 11, 30])
    >>> figure = crimeperf.plot.spc(chart, title="Burglary each month")
    >>> figure.axes[0].get_title()
    'Burglary each month'
    """
    result = to_polars(result)  # any kind of frame cp.spc gave back
    pyplot = _pyplot()
    x_column = next(
        (name for name, dtype in result.schema.items() if dtype == pl.Date), "point"
    )
    x = result[x_column].to_list()
    figure, axes = pyplot.subplots(figsize=(9, 4.5), dpi=100)
    axes.plot(x, result["value"].to_list(), color="black", marker="o", markersize=3.5,
              linewidth=1, label="Monthly value" if x_column != "point" else "Value")
    for segment in result["segment"].unique(maintain_order=True).to_list():
        part = result.filter(pl.col("segment") == segment)
        px = part[x_column].to_list()
        axes.plot(px, part["centre"].to_list(), color="black", linewidth=1.2,
                  label="Average" if segment == 0 else None)
        for limit in ("lower_limit", "upper_limit"):
            axes.plot(px, part[limit].to_list(), color="dimgray", linestyle="--", linewidth=1,
                      label="Process limits" if segment == 0 and limit == "upper_limit" else None)
        reason = part["rebase_reason"][0]
        if reason:
            axes.axvline(px[0], color="gray", linestyle=":", linewidth=1)
            axes.annotate(f"Rebased: {reason}", (px[0], part["upper_limit"][0]),
                          textcoords="offset points", xytext=(3, 4), fontsize=8)
    for variation, (marker, colour, label) in _MARKERS.items():
        special = result.filter(pl.col("special_cause") & (pl.col("variation") == variation))
        if special.height:
            axes.scatter(special[x_column].to_list(), special["value"].to_list(), marker=marker,
                         s=60, facecolor=colour, edgecolor="black", zorder=3, label=label)
    axes.set_title(title or "Monthly values with their process limits")
    axes.set_xlabel("Month" if x_column != "point" else "Point")
    axes.set_ylabel(value_label)
    axes.legend(loc="best", fontsize=8, frameon=False)
    figure.tight_layout()
    return figure


# Limit lines by level: the inner pair dashed, the outer dotted, so they read in black and white.
_LIMIT_STYLES = ("--", ":", "-.")


def funnel(
    result: Any,
    *,
    label: Union[str, Sequence[str], None] = None,
    title: Optional[str] = None,
    value_label: Optional[str] = None,
    denominator_label: Optional[str] = None,
) -> Any:
    """Draw a funnel plot from :func:`crimeperf.funnel` as a matplotlib Figure.

    Areas are hollow circles, filled when outside the outermost limits; the benchmark is a solid
    line and each pair of limits its own line style (dashed for 95%, dotted for 99.8%), so the
    chart reads in black and white. The ``label`` areas are drawn as black diamonds with their
    names beside them.

    Parameters
    ----------
    result : Funnel
        What :func:`crimeperf.funnel` gave back.
    label : str or list of str, optional
        The area or areas to mark and name (the focal area).
    title, value_label, denominator_label : str, optional
        The chart's title and axis labels (by default they say the statistic and its units).

    Examples
    --------
    >>> import crimeperf as cp
    >>> import crimeperf.plot
    >>> plot = cp.funnel({"area": ["A", "B", "C", "D"], "crimes": [30, 95, 210, 70],
    ...                   "population": [2_000, 5_000, 10_000, 4_000]},
    ...                  area="area", count="crimes", population="population")
    >>> figure = crimeperf.plot.funnel(plot, label="B", title="Crimes per 1,000 residents")
    >>> figure.axes[0].get_title()
    'Crimes per 1,000 residents'
    """
    from crimeperf._peers import Funnel, _level_suffix

    if not isinstance(result, Funnel):
        raise CrimeperfError(
            f"plot.funnel draws what crimeperf.funnel gives back; got {type(result).__name__}"
        )
    pyplot = _pyplot()
    table = to_polars(result.table)
    labels = [label] if isinstance(label, str) else list(label or [])
    unknown = [name for name in labels if name not in set(table["area"].to_list())]
    if unknown:
        raise CrimeperfError(f"plot.funnel: no area {unknown} in the funnel plot")
    low = float(table["denominator"].min())  # type: ignore[arg-type]
    high = float(table["denominator"].max())  # type: ignore[arg-type]
    low, high = max(low * 0.8, 1e-9), high * 1.1
    steps = 200
    grid = [low * (high / low) ** (i / (steps - 1)) for i in range(steps)]
    curves = result.limits(grid)
    figure, axes = pyplot.subplots(figsize=(8, 5), dpi=100)
    axes.axhline(result.benchmark, color="black", linewidth=1.2,
                 label=f"Benchmark {result.benchmark:,.1f}")
    widened = " (widened for overdispersion)" if result.adjustment == "additive" else ""
    for i, level in enumerate(result.levels):
        suffix = _level_suffix(level)
        style = _LIMIT_STYLES[min(i, len(_LIMIT_STYLES) - 1)]
        for side in ("lower", "upper"):
            axes.plot(grid, curves[f"{side}_{suffix}"].to_list(), color="dimgray",
                      linestyle=style, linewidth=1,
                      label=f"{level * 100:g}% limits{widened}" if side == "upper" else None)
    outer = _level_suffix(result.levels[-1]) if result.levels else None
    others = table.filter(~pl.col("area").is_in(labels))
    outside = (
        others.filter(pl.col(f"flag_{outer}") != "within") if outer else others.clear()
    )
    inside = others.filter(~pl.col("area").is_in(outside["area"].to_list()))
    axes.scatter(inside["denominator"].to_list(), inside["value"].to_list(), s=22,
                 facecolor="white", edgecolor="black", linewidth=0.8, zorder=3, label="Areas")
    if outside.height:
        axes.scatter(outside["denominator"].to_list(), outside["value"].to_list(), s=22,
                     facecolor="black", edgecolor="black", zorder=3,
                     label=f"Outside the {result.levels[-1] * 100:g}% limits")
    focal = table.filter(pl.col("area").is_in(labels))
    if focal.height:
        axes.scatter(focal["denominator"].to_list(), focal["value"].to_list(), s=70,
                     marker="D", facecolor="black", edgecolor="black", zorder=4)
        highest = float(table["value"].max())  # type: ignore[arg-type]
        for name, x, y in focal.select("area", "denominator", "value").iter_rows():
            # Boxed and pointed to, so the name stays readable over a crowd of areas; below
            # the point when it is near the top, so that the box stays under the title.
            offset = (28, -26) if y >= 0.85 * highest else (28, 22)
            axes.annotate(str(name), (x, y), textcoords="offset points", xytext=offset,
                          fontsize=9, fontweight="bold", zorder=5,
                          bbox={"boxstyle": "round,pad=0.25", "fc": "white", "ec": "black",
                                "lw": 0.8},
                          arrowprops={"arrowstyle": "-", "color": "black", "lw": 0.8})
    per = f"{result.per:,.0f}"
    default_value = {
        "rate": f"Rate per {per}",
        "proportion": "Percentage" if result.per == 100 else f"Proportion (per {per})",
        "ratio": "Ratio of observed to expected",
    }.get(result.statistic, "Value")
    default_denominator = {
        "rate": "Population", "proportion": "Denominator", "ratio": "Expected count",
    }.get(result.statistic, "Denominator")
    axes.set_xlabel(denominator_label or default_denominator)
    axes.set_ylabel(value_label or default_value)
    axes.set_title(title or "Funnel plot")
    axes.set_ylim(bottom=0)
    axes.xaxis.set_major_formatter(
        _ticker().FuncFormatter(lambda value, _: f"{value:,.0f}")
    )
    axes.legend(loc="best", fontsize=8, frameon=False)
    figure.tight_layout()
    return figure


def peers(
    rates: Any,
    *,
    focal: str,
    area: str = "area",
    rate: str = "rate",
    lower: Optional[str] = "rate_lower",
    upper: Optional[str] = "rate_upper",
    average: Optional[float] = None,
    title: Optional[str] = None,
    value_label: str = "Rate per 1,000",
) -> Any:
    """Draw a most similar group as a bar chart: one bar per member, lowest rate at the top, each
    with its confidence interval, the focal area dark grey and the others white (readable in black and
    white), and the group average as a dashed line.

    Parameters
    ----------
    rates : frame
        One row per member of the group with its rate and interval, e.g. :func:`crimeperf.rates`
        on the group's rows.
    focal : str
        The area to pick out.
    area, rate, lower, upper : str
        The columns (``lower``/``upper`` None to draw no intervals).
    average : float, optional
        The group average to draw (``group_mean`` of :func:`crimeperf.peer_compare`).
    title, value_label : str, optional
        The chart's title and value axis label.

    Examples
    --------
    >>> import polars as pl
    >>> import crimeperf as cp
    >>> import crimeperf.plot
    >>> group = cp.rates(pl.DataFrame({"area": ["A", "B", "C"], "crimes": [40, 60, 90],
    ...                                "population": [1_000, 1_000, 1_200]}),
    ...                  count="crimes", population="population")
    >>> figure = crimeperf.plot.peers(group, focal="B", average=53.3)
    >>> [t.get_text() for t in figure.axes[0].get_yticklabels()]  # from the bottom up
    ['C', 'B', 'A']
    """
    table = to_polars(rates)
    if focal not in set(table[area].to_list()):
        raise CrimeperfError(f"plot.peers: no area {focal!r} in the group")
    pyplot = _pyplot()
    table = table.sort(rate, descending=True)  # barh draws bottom-up: lowest rate at the top
    names = [str(n) for n in table[area].to_list()]
    values = table[rate].to_list()
    # Dark grey, not black, so that the focal area's interval (black) shows on its bar.
    colours = ["0.35" if n == focal else "white" for n in names]
    height = max(2.5, 0.32 * len(names) + 1.2)
    figure, axes = pyplot.subplots(figsize=(8, height), dpi=100)
    errors = None
    if lower is not None and upper is not None:
        errors = [
            [v - lo for v, lo in zip(values, table[lower].to_list())],
            [hi - v for v, hi in zip(values, table[upper].to_list())],
        ]
    axes.barh(names, values, color=colours, edgecolor="black", linewidth=0.8,
              xerr=errors, error_kw={"ecolor": "black", "capsize": 2, "lw": 0.8})
    if average is not None:
        axes.axvline(average, color="black", linestyle="--", linewidth=1,
                     label=f"Group average {average:,.1f}")
        # The lowest rates are at the top, so the top right is where the bars are short.
        axes.legend(loc="upper right", fontsize=8, frameon=False)
    for tick in axes.get_yticklabels():
        if tick.get_text() == focal:
            tick.set_fontweight("bold")
    axes.set_xlabel(value_label)
    axes.set_title(title or "Rates in the group, with 95% intervals")
    figure.tight_layout()
    return figure


def year_to_date(
    counts: Any,
    *,
    through: str,
    year_start: int = 4,
    value: str = "crimes",
    month: str = "period_start",
    projection: Any = None,
    title: Optional[str] = None,
    value_label: str = "Crimes recorded so far this year",
) -> Any:
    """Draw the year to date against last year as running totals by month of the reporting year.

    This year is a solid line with dots up to ``through``; last year a dashed line with squares
    over its whole year, so the chart reads in black and white. With ``projection`` (the output of
    :func:`crimeperf.project_year_end` for the same series) the expected year end is drawn at the
    year's last month with its interval.

    Parameters
    ----------
    counts : frame
        Monthly counts of one series: a month column (a date) and a count column, as
        :func:`crimeperf.count_crimes` gives with ``period="month"``.
    through : str
        The last month of this year to date, e.g. ``"2025-12"``.
    year_start : int, default 4
        The first month of the reporting year (4: financial years).
    value, month : str
        The count and month columns.
    projection : frame, optional
        One row of :func:`crimeperf.project_year_end` (``expected``, ``lower``, ``upper``).
    title, value_label : str, optional
        The chart's title and value axis label.

    Raises
    ------
    CrimeperfError
        A month of this year to date or of last year is missing from ``counts`` (named).

    Examples
    --------
    >>> import polars as pl
    >>> from datetime import date
    >>> import crimeperf.plot
    >>> months = [date(2024 + (3 + i) // 12, (3 + i) % 12 + 1, 1) for i in range(15)]
    >>> counts = pl.DataFrame({"period_start": months, "crimes": [40] * 12 + [30, 35, 32]})
    >>> figure = crimeperf.plot.year_to_date(counts, through="2025-06")
    >>> [line.get_label() for line in figure.axes[0].get_lines()]
    ['April 2025 to March 2026', 'April 2024 to March 2025']
    """
    import datetime as dt

    table = to_polars(counts)
    try:
        year, last = (int(part) for part in through.split("-"))
        dt.date(year, last, 1)
    except ValueError as err:
        raise CrimeperfError(f"plot.year_to_date: through={through!r} is not a month "
                             "like '2025-12'") from err
    if not 1 <= year_start <= 12:
        raise CrimeperfError(f"plot.year_to_date: year_start={year_start} is not a month 1-12")
    first_year = year if last >= year_start else year - 1

    def months_of(start_year: int) -> list[dt.date]:
        return [dt.date(start_year + (year_start - 1 + i) // 12, (year_start - 1 + i) % 12 + 1, 1)
                for i in range(12)]

    by_month = dict(zip(table[month].to_list(), table[value].to_list()))
    this_year = months_of(first_year)
    so_far = this_year[: this_year.index(dt.date(year, last, 1)) + 1]
    last_year = months_of(first_year - 1)
    for needed in so_far + last_year:
        if by_month.get(needed) is None:
            raise CrimeperfError(f"plot.year_to_date: no count for {needed:%B %Y} in {value!r}")

    def running(months: list[dt.date]) -> list[float]:
        total, out = 0.0, []
        for m in months:
            total += by_month[m]
            out.append(total)
        return out

    def span(months: list[dt.date]) -> str:
        return f"{months[0]:%B %Y} to {months[-1]:%B %Y}"

    pyplot = _pyplot()
    figure, axes = pyplot.subplots(figsize=(9, 4.5), dpi=100)
    positions = list(range(1, 13))
    axes.plot(positions[: len(so_far)], running(so_far), color="black", marker="o",
              markersize=4, linewidth=1.5, label=span(this_year))
    axes.plot(positions, running(last_year), color="dimgray", marker="s", markersize=3.5,
              linestyle="--", linewidth=1, label=span(last_year))
    if projection is not None:
        row = to_polars(projection).row(0, named=True)
        expected = row["expected"]
        axes.errorbar([12], [expected], yerr=[[expected - row["lower"]], [row["upper"] - expected]],
                      fmt="D", color="black", markerfacecolor="white", capsize=4,
                      label=f"Projected year end {expected:,.0f} ({row['lower']:,.0f} to "
                            f"{row['upper']:,.0f})")
    axes.set_xticks(positions, [f"{m:%b}" for m in this_year])
    axes.set_xlim(0.5, 12.5)
    axes.set_ylim(bottom=0)
    axes.yaxis.set_major_formatter(_ticker().StrMethodFormatter("{x:,.0f}"))
    axes.set_xlabel("Month of the reporting year")
    axes.set_ylabel(value_label)
    axes.set_title(title or "This year to date against last year")
    axes.legend(loc="upper left", fontsize=8, frameon=False)
    axes.grid(axis="y", color="0.9")
    figure.tight_layout()
    return figure
