"""Charts of crimeperf results (needs matplotlib: ``pip install crimeperf[report]``).

matplotlib is imported only when a chart is drawn, so ``import crimeperf`` never needs it.
"""

from __future__ import annotations

from typing import Any, Optional

import polars as pl

from crimeperf._exchange import to_polars
from crimeperf.exceptions import CrimeperfError

__all__ = ["spc"]

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
