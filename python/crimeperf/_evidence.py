"""The evidence pack: a strategic assessment's evidence for one Community Safety Partnership, in
one call — the headline table, the sentences, the peer comparison and funnel plots, the monthly
trend when police.uk files are given, the priority matrix, caveats and sources — written as a
self-contained HTML report, a Word document, an Excel workbook and PNG charts, with small counts
suppressed before anything is written.

Every number comes from the library's own functions (``changes``, ``rates``, ``targets``,
``peer_compare``, ``funnel``, ``spc``, ``solved_rates``, ``priority_matrix``, ``suppress``); this
module chooses the rows, applies disclosure control and lays the results out.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Optional, Sequence, Union

import polars as pl

from crimeperf import _crimeperf
from crimeperf._disclosure import suppress
from crimeperf._exchange import to_polars
from crimeperf._frames import changes, rates, targets as _targets
from crimeperf._peers import ILLUSTRATIVE, demonstration_groups, funnel, peer_compare, read_similar_groups
from crimeperf._peers import SimilarGroups
from crimeperf._priority import priority_matrix
from crimeperf.exceptions import (
    ColumnNotFoundError,
    CrimeperfError,
    DataFileError,
    InvalidInputError,
    UnknownAreaError,
)

__all__ = ["EvidencePack", "evidence_pack"]

PathLike = Union[str, "os.PathLike[str]"]

#: The categories with a peer comparison and a funnel plot, and the population each is per.
HEADLINE: tuple[tuple[str, str], ...] = (
    ("Total recorded crime (excluding fraud)", "population"),
    ("Violence with injury", "population"),
    ("Residential burglary", "households"),
)

SOURCES = [
    ("Police recorded crime by Community Safety Partnership, years ending December 2023 and 2024",
     "Office for National Statistics / Home Office", "Open Government Licence v3.0"),
    ("Population estimates (mid-2022) and households (mid-2021)", "Office for National Statistics",
     "Open Government Licence v3.0"),
    ("CSP, local authority and police force geography", "Office for National Statistics",
     "Open Government Licence v3.0"),
]


@dataclass
class EvidencePack:
    """What :func:`evidence_pack` wrote, and the tables it wrote (after disclosure control).

    Attributes
    ----------
    area, area_code : str
        The CSP.
    folder : pathlib.Path
        Where the pack is: ``report.html``, ``evidence.docx``, ``evidence.xlsx``,
        ``sentences.txt`` and ``charts/*.png``.
    files : list of pathlib.Path
        Every file written.
    headline, peers, priority : polars.DataFrame
        The published tables.
    sentences, caveats : list of str
        The plain-English sentences and the caveats.
    suppressed : dict
        How many cells were suppressed, ``{"primary": n, "secondary": m}``, and the threshold.
    """

    area: str
    area_code: str
    folder: Path
    files: list[Path]
    headline: pl.DataFrame
    peers: pl.DataFrame
    priority: pl.DataFrame
    sentences: list[str]
    caveats: list[str]
    suppressed: dict[str, int] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"EvidencePack({self.area}: {len(self.files)} files in {self.folder})"

    def _repr_html_(self) -> str:
        items = "".join(f"<li>{html.escape(s)}</li>" for s in self.sentences[:8])
        return (
            f"<div><b>Evidence pack for {html.escape(self.area)}</b> in "
            f"<code>{html.escape(str(self.folder))}</code> ({len(self.files)} files)"
            f"<ul>{items}</ul>{_table_html(self.headline)}</div>"
        )


# ---------------------------------------------------------------------------------------------
# Reading the inputs


def _ons_frame(ons: Any) -> pl.DataFrame:
    from crimeperf._data import OnsCspTables, read_ons_csp_tables
    from crimeperf._population import ons_csp_tables

    if ons is None:
        return ons_csp_tables()
    if isinstance(ons, OnsCspTables):
        return ons.frame
    if isinstance(ons, (str, os.PathLike)):
        return read_ons_csp_tables(ons).frame
    return to_polars(ons)


def _resolve_area(ons: pl.DataFrame, area: str) -> tuple[str, str]:
    csps = ons.filter(pl.col("level") == "csp").select("area_code", "area_name").unique()
    wanted = area.strip().lower()
    for code, name in csps.iter_rows():
        if wanted in (str(code).lower(), str(name).lower()):
            return str(code), str(name)
    names = sorted(csps["area_name"].to_list())
    hint = _crimeperf.did_you_mean(area, names)
    error = UnknownAreaError(
        f"no CSP called {area!r} in the ONS tables"
        + (f"; {hint}" if hint else "; give a CSP name or its GSS code (E22…/W22…)")
    )
    error.areas = [area]
    raise error


def _check_out(out: PathLike, overwrite: bool) -> Path:
    folder = Path(out).expanduser().resolve()
    if folder.exists() and not folder.is_dir():
        raise DataFileError(f"{folder} is a file, not a folder")
    if folder.exists() and any(folder.iterdir()) and not overwrite:
        raise DataFileError(
            f"{folder} is not empty: choose an empty folder, or pass overwrite=True "
            "(--overwrite) to replace what is there"
        )
    # Missing parent folders are made once the inputs have been checked (so that a bad area
    # writes nothing); here the nearest one that exists must be a writable folder.
    ancestor = folder.parent
    while not ancestor.exists():
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise DataFileError(f"cannot write the pack under {ancestor}: it is a file, not a folder")
    if not os.access(ancestor, os.W_OK) or (folder.exists() and not os.access(folder, os.W_OK)):
        raise DataFileError(f"cannot write the pack: {folder} is not writable")
    return folder


def _groups_frame(groups: Any) -> tuple[pl.DataFrame, bool]:
    """The long groups frame and whether they are the illustrative demonstration groups."""
    if groups is None:
        return demonstration_groups().select("area", "peer"), True
    if isinstance(groups, SimilarGroups):
        return groups.groups.select("area", "peer"), False
    if isinstance(groups, (str, os.PathLike)):
        return read_similar_groups(groups).groups.select("area", "peer"), False
    return to_polars(groups).select("area", "peer"), False


# ---------------------------------------------------------------------------------------------
# The tables


def _headline(ons: pl.DataFrame, code: str) -> tuple[pl.DataFrame, dt.date, dt.date]:
    rows = ons.filter(pl.col("area_code") == code)
    years = sorted(rows["year_ending"].unique().to_list())
    if len(years) < 2:
        raise InvalidInputError(f"{code}: the ONS tables need two years for the headline table")
    previous_year, latest_year = years[-2], years[-1]
    order = [(label, parent, leaf) for label, parent, leaf in _crimeperf.offence_groups()]
    latest = rows.filter(pl.col("year_ending") == latest_year)
    previous = rows.filter(pl.col("year_ending") == previous_year)
    table = pl.DataFrame(
        {
            "category": [label for label, _, _ in order],
            "parent": [parent for _, parent, _ in order],
            "leaf": [leaf for _, _, leaf in order],
        },
        schema={"category": pl.String, "parent": pl.String, "leaf": pl.Boolean},
    )
    table = (
        table.join(
            previous.select(pl.col("offence_group").alias("category"),
                            pl.col("count").alias("previous")),
            on="category", how="left",
        )
        .join(
            latest.select(pl.col("offence_group").alias("category"),
                          pl.col("count").alias("current"), "population", "households"),
            on="category", how="left",
        )
    )
    missing = table.filter(pl.col("previous").is_null() | pl.col("current").is_null())
    if missing.height:
        raise InvalidInputError(
            f"{code}: the ONS tables have no count (suppressed or absent) for "
            f"{missing['category'].to_list()}; the headline table needs both years"
        )
    return table, previous_year, latest_year


def _suppress_hierarchy(table: pl.DataFrame, threshold: int) -> tuple[pl.DataFrame, dict[str, int]]:
    """Suppresses ``previous`` and ``current`` family by family down the ONS hierarchy: each
    group's parts are a table whose column totals are the group itself (published), so no part
    can be recovered from its siblings and its parent. A group suppressed in its own family has
    every part below it suppressed in that column too, so its parts cannot add up to it."""
    reasons: dict[tuple[str, str], str] = {}
    children: dict[Optional[str], list[str]] = {}
    for category, parent in table.select("category", "parent").iter_rows():
        children.setdefault(parent, []).append(category)
    values = {(c, col): v for c, p, cur in table.select("category", "previous", "current")
              .iter_rows() for col, v in (("previous", p), ("current", cur))}

    def hide_below(group: str, column: str) -> None:
        for part in children.get(group, []):
            reasons.setdefault((part, column), "secondary")
            hide_below(part, column)

    def walk(group: str) -> None:
        parts = children.get(group, [])
        if not parts:
            return
        family = pl.DataFrame({
            "category": parts,
            "previous": [values[(p, "previous")] for p in parts],
            "current": [values[(p, "current")] for p in parts],
        })
        safe = suppress(family, columns=["previous", "current"], threshold=threshold,
                        label="category")
        for row in safe.iter_rows(named=True):
            for column in ("previous", "current"):
                why = row[f"{column}_suppressed"]
                if why is not None and (row["category"], column) not in reasons:
                    reasons[(row["category"], column)] = why
                    hide_below(row["category"], column)
        for part in parts:
            walk(part)

    for top in children.get(None, []):
        walk(top)
    out = table.with_columns(
        pl.Series("previous_suppressed",
                  [reasons.get((c, "previous")) for c in table["category"]], dtype=pl.String),
        pl.Series("current_suppressed",
                  [reasons.get((c, "current")) for c in table["category"]], dtype=pl.String),
    )
    counts = {"primary": sum(1 for r in reasons.values() if r == "primary"),
              "secondary": sum(1 for r in reasons.values() if r == "secondary"),
              "threshold": threshold}
    return out, counts


#: Below this many crimes in either year a percentage change is flagged (as ONS does).
MIN_BASE = 50


def _with_statistics(table: pl.DataFrame, target_table: Optional[pl.DataFrame]) -> pl.DataFrame:
    stats = changes(table, current="current", previous="previous", min_base=MIN_BASE)
    stats = rates(stats, count="current", population="population")
    if target_table is not None:
        stats = _join_targets(stats, target_table)
    return stats


def _join_targets(stats: pl.DataFrame, target_table: pl.DataFrame) -> pl.DataFrame:
    needed = ["category", "baseline", "change_percent"]
    missing = [c for c in needed if c not in target_table.columns]
    if missing:
        error = ColumnNotFoundError(
            f"the targets table needs columns {needed} (and optionally polarity); "
            f"missing {missing}"
        )
        error.columns = missing
        raise error
    unknown = sorted(set(target_table["category"].to_list()) - set(stats["category"].to_list()))
    if unknown:
        raise InvalidInputError(f"targets for categories the ONS tables do not have: {unknown}")
    if "polarity" not in target_table.columns:
        target_table = target_table.with_columns(pl.lit("lower_is_better").alias("polarity"))
    joined = stats.join(target_table.select("category", "baseline", "change_percent", "polarity"),
                        on="category", how="left")
    parts = []
    for polarity in ("lower_is_better", "higher_is_better"):
        part = joined.filter(pl.col("polarity") == polarity)
        if part.height:
            parts.append(_targets(part, baseline="baseline", change_percent="change_percent",
                                  actual="current", polarity=polarity))  # type: ignore[arg-type]
    rest = joined.filter(pl.col("polarity").is_null()).with_columns(
        pl.lit(None, pl.Float64).alias("target"), pl.lit(None, pl.String).alias("rag"),
        pl.lit(None, pl.String).alias("rag_reason"),
    )
    out = pl.concat(parts + [rest], how="diagonal_relaxed")
    order = {c: i for i, c in enumerate(stats["category"].to_list())}
    return out.sort(pl.col("category").replace_strict(order, return_dtype=pl.Int64))


def _significance_words(significance: str, p_value: float) -> str:
    """What a change's test says, so that no change is called a rise or a fall without it."""
    if significance == "no_significant_change":
        return "not a statistically significant change"
    p = f"exact test, p = {p_value:.3f}" if p_value >= 0.001 else "exact test, p < 0.001"
    return f"a statistically significant {significance} ({p})"


def _sentence(row: dict[str, Any]) -> str:
    category = row["category"]
    if row["previous_suppressed"] or row["current_suppressed"]:
        return f"{category}: fewer than {row['_threshold']} crimes in a year; not published."
    change = row["description"]
    qualifier = _significance_words(row["significance"], row["p_value"])
    caution = (
        f" Fewer than {row['_min_base']} crimes in one of the years: treat the percentage with "
        "caution." if row["small_base"] else ""
    )
    return f"{category}: {change}, {qualifier}.{caution}"


def _published_headline(stats: pl.DataFrame, threshold: int) -> pl.DataFrame:
    """The committee's layout, with every value a suppressed count would give away blanked."""
    hidden = pl.col("previous_suppressed").is_not_null() | pl.col("current_suppressed").is_not_null()
    blank = lambda name: pl.when(hidden).then(None).otherwise(pl.col(name)).alias(name)  # noqa: E731
    table = stats.with_columns(
        pl.when(pl.col("previous_suppressed").is_not_null()).then(None)
        .otherwise(pl.col("previous")).alias("previous"),
        pl.when(pl.col("current_suppressed").is_not_null()).then(None)
        .otherwise(pl.col("current")).alias("current"),
        blank("absolute"), blank("percent"), blank("significance"), blank("p_value"),
        blank("rate"), blank("rate_lower"), blank("rate_upper"),
    )
    columns = ["category", "previous", "current", "absolute", "percent", "significance",
               "p_value", "rate", "rate_lower", "rate_upper"]
    for extra in ("target", "rag"):
        if extra in table.columns:
            columns.append(extra)
    columns += ["previous_suppressed", "current_suppressed"]
    return table.select(columns).rename({"absolute": "change", "percent": "percent_change"})


# ---------------------------------------------------------------------------------------------
# Writing


_CSS = """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 62rem; margin: 2rem auto;
       padding: 0 1rem; color: #111; line-height: 1.45; }
h1 { font-size: 1.7rem; margin-bottom: 0.2rem; } h2 { border-bottom: 1px solid #999;
       padding-bottom: 0.2rem; margin-top: 2.2rem; }
table { border-collapse: collapse; margin: 0.8rem 0; font-size: 0.88rem; }
th, td { border: 1px solid #bbb; padding: 0.25rem 0.5rem; text-align: right; }
th { background: #eee; } td:first-child, th:first-child { text-align: left; }
.note { color: #444; font-size: 0.9rem; } img { max-width: 100%; border: 1px solid #ddd; }
.rag-green { background: #d9efd9; } .rag-amber { background: #fbe9c8; } .rag-red { background: #f6d2d2; }
"""


def _format(value: Any, column: str = "") -> str:
    if value is None:
        return "–"
    if column == "p_value" and isinstance(value, float):
        return "<0.001" if value < 0.001 else f"{value:.3f}"
    if column == "percent_change" and isinstance(value, float):
        return f"{value:+.1f}%"
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 1 and value != 0 else f"{value:,.1f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value).replace("_", " ")


def _table_html(frame: pl.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(c.replace('_', ' '))}</th>" for c in frame.columns)
    body = []
    for row in frame.iter_rows(named=True):
        cells = []
        for name, value in row.items():
            css = f' class="rag-{value}"' if name == "rag" and value else ""
            cells.append(f"<td{css}>{html.escape(_format(value, name))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _write_html(path: Path, title: str, sections: list[tuple[str, list[Any]]]) -> None:
    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
             f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>"
             f"<h1>{html.escape(title)}</h1>"]
    for heading, blocks in sections:
        parts.append(f"<h2>{html.escape(heading)}</h2>")
        for block in blocks:
            if isinstance(block, pl.DataFrame):
                parts.append(_table_html(block))
            elif isinstance(block, Path):
                data = base64.b64encode(block.read_bytes()).decode("ascii")
                parts.append(f"<p><img alt='{html.escape(block.stem.replace('_', ' '))}' "
                             f"src='data:image/png;base64,{data}'></p>")
            elif isinstance(block, list):
                parts.append("<ul>" + "".join(f"<li>{html.escape(s)}</li>" for s in block)
                             + "</ul>")
            else:
                parts.append(f"<p class='note'>{html.escape(str(block))}</p>")
    parts.append("</body></html>")
    path.write_text("".join(parts), encoding="utf-8")


def _write_xlsx(path: Path, sheets: list[tuple[str, pl.DataFrame]]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for name, frame in sheets:
        sheet = book.create_sheet(name[:31])
        sheet.append(frame.columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in frame.iter_rows():
            sheet.append(list(row))  # numbers stay numbers; None is an empty cell
        for column in sheet.columns:
            width = max(len(str(c.value)) if c.value is not None else 0 for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(max(10, width + 2), 70)
    book.save(path)


def _write_docx(path: Path, title: str, sections: list[tuple[str, list[Any]]]) -> None:
    from docx import Document
    from docx.shared import Inches

    document = Document()
    document.add_heading(title, level=0)
    for heading, blocks in sections:
        document.add_heading(heading, level=1)
        for block in blocks:
            if isinstance(block, pl.DataFrame):
                table = document.add_table(rows=1, cols=len(block.columns))
                table.style = "Table Grid"
                for cell, name in zip(table.rows[0].cells, block.columns):
                    cell.text = name.replace("_", " ")
                for row in block.iter_rows():
                    cells = table.add_row().cells
                    for cell, value, name in zip(cells, row, block.columns):
                        cell.text = _format(value, name)
            elif isinstance(block, Path):
                document.add_picture(str(block), width=Inches(6.2))
            elif isinstance(block, list):
                for item in block:
                    document.add_paragraph(str(item), style="List Bullet")
            else:
                document.add_paragraph(str(block))
    document.save(str(path))


# ---------------------------------------------------------------------------------------------
# The pack


def evidence_pack(
    area: str,
    *,
    out: PathLike,
    ons: Any = None,
    police_uk: Optional[PathLike] = None,
    groups: Any = None,
    targets: Any = None,
    harm: Optional[Mapping[str, float]] = None,
    concern: Optional[Mapping[str, int]] = None,
    weights: Optional[Mapping[str, float]] = None,
    threshold: int = 5,
    year_start: int = 4,
    overwrite: bool = False,
) -> EvidencePack:
    """Write a strategic assessment's evidence for one CSP: an HTML report (self-contained),
    a Word document, an Excel workbook (one sheet per table, numbers as numbers), the charts as
    PNG files and the sentences as text, with small counts suppressed.

    Contents: the headline table (every ONS offence group: previous and current year, change,
    percent change, the exact test's verdict, the rate per 1,000 with its interval, and RAG
    against targets when given); the sentences; the peer comparison of every offence group and,
    for total crime, violence with injury and residential burglary (per 1,000 households), a
    peer chart and a funnel plot of every CSP; with ``police_uk``, all crime each month on an SPC
    chart, the year to date against last year with the year-end projection (each when the months
    allow, and a caveat saying why when they do not), the solved rate and the read log; the
    priority matrix of the offence groups; caveats, suppression and sources.

    Parameters
    ----------
    area : str
        The CSP, by name or GSS code (any case).
    out : str or path
        The folder to write (created, with any missing parent folders; must be empty unless
        ``overwrite``).
    ons : path, OnsCspTables or frame, optional
        ONS's CSP workbook or its frame; the bundled tables (every CSP in England and Wales, years
        ending December 2023 and 2024) by default.
    police_uk : str or path, optional
        data.police.uk street files (a folder, zip or glob) covering the area, for the monthly
        evidence.
    groups : path, SimilarGroups or frame, optional
        Most similar groups (see :func:`read_similar_groups`); crimeperf's illustrative
        demonstration groups by default (and the pack says so).
    targets : frame, optional
        ``category``, ``baseline``, ``change_percent`` and optionally ``polarity`` per category,
        for RAG status.
    harm, concern, weights : dict, optional
        The priority matrix's harm weights, residents' concern ranks and factor weights (see
        :func:`priority_matrix`).
    threshold : int, default 5
        Counts below this are suppressed, with secondary suppression (see :func:`suppress`).
    year_start : int, default 4
        The first month of the reporting year for the police.uk year to date and projection
        (4: financial years, April to March; 1: calendar years).
    overwrite : bool, default False
        Replace a folder that is not empty.

    Returns
    -------
    EvidencePack
        The folder, the files and the published tables.

    Raises
    ------
    UnknownAreaError
        No CSP of that name or code (the message suggests the closest names).
    DataFileError
        The folder is not empty (without ``overwrite``) or cannot be written. Nothing is written
        then, and a pack that fails half-way leaves nothing behind.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import crimeperf as cp
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "rochford"
    >>> pack = cp.evidence_pack("Rochford", out=folder)  # doctest: +SKIP
    >>> sorted(p.name for p in folder.iterdir())  # doctest: +SKIP
    ['charts', 'evidence.docx', 'evidence.xlsx', 'report.html', 'sentences.txt']
    """
    folder = _check_out(out, overwrite)
    ons_frame = _ons_frame(ons)
    code, name = _resolve_area(ons_frame, area)
    group_frame, illustrative = _groups_frame(groups)
    target_table = None if targets is None else to_polars(targets)

    table, previous_year, latest_year = _headline(ons_frame, code)
    table, suppressed = _suppress_hierarchy(table, threshold)
    stats = _with_statistics(table, target_table)
    headline = _published_headline(stats, threshold)
    sentences = [
        _sentence({**row, "_threshold": threshold, "_min_base": MIN_BASE})
        for row in stats.iter_rows(named=True)
    ]
    span = f"year ending {latest_year:%B %Y} against the year ending {previous_year:%B %Y}"

    latest = ons_frame.filter(
        (pl.col("level") == "csp") & (pl.col("year_ending") == latest_year)
    )
    caveats = [
        f"Police recorded crime, {span} (ONS). Recorded crime depends on reporting and "
        "recording practice as well as on crime; a change can reflect either.",
        "Rates per 1,000 residents use ONS mid-2022 population estimates; residential burglary "
        "is also compared per 1,000 households (mid-2021).",
        "Significance: the exact conditional test of two Poisson counts at 95%; a change that "
        "is not significant is never called a rise or a fall without saying so.",
        f"Disclosure control: counts below {threshold} are suppressed, and further counts "
        "(secondary suppression) so that none can be worked out from totals; "
        f"{suppressed['primary']} cells primary, {suppressed['secondary']} secondary. Rates, "
        "changes and tests of a suppressed count are not published.",
    ]
    if illustrative:
        caveats.append(
            "Most similar groups: " + ILLUSTRATIVE + ". Replace them with your own "
            "(groups=…) before publishing rankings."
        )

    folder.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".crimeperf-pack-", dir=folder.parent) as work:
        staging = Path(work) / "pack"
        charts = staging / "charts"
        charts.mkdir(parents=True)
        files: list[Path] = []

        # Peers: every offence group, and charts for the headline categories.
        peer_rows = []
        peer_sections: list[Any] = []
        for category, per_whom in HEADLINE:
            rows = latest.filter(pl.col("offence_group") == category)
            words = "households" if per_whom == "households" else "residents"
            comparison = peer_compare(
                rows, area="area_code", count="count", population=per_whom, groups=group_frame,
                name="area_name", missing="drop", population_unit=words,
            )
            mine = comparison.filter(pl.col("area") == code)
            if mine.height:
                peer_rows.append(mine.with_columns(pl.lit(category).alias("category"),
                                                   pl.lit(words).alias("per_1000")))
                members = [code, *group_frame.filter(pl.col("area") == code)["peer"].to_list()]
                group_rates = rates(
                    rows.filter(pl.col("area_code").is_in(members) & pl.col("count").is_not_null()),
                    count="count", population=per_whom,
                )
                import crimeperf.plot as plot

                figure = plot.peers(group_rates, focal=name, area="area_name",
                                    average=mine["group_mean"][0],
                                    title=f"{category}: {name} and its most similar group",
                                    value_label=f"Per 1,000 {words}")
                path = charts / f"peers_{_slug(category)}.png"
                figure.savefig(path, dpi=100)
                _close(figure)
                files.append(path)
                complete = rows.filter(pl.col("count").is_not_null() & pl.col(per_whom).is_not_null())
                plotted = funnel(complete, area="area_name", count="count", population=per_whom,
                                 overdispersion=True)
                figure = plot.funnel(plotted, label=name,
                                     title=f"{category} per 1,000 {words}: every CSP",
                                     denominator_label=words.capitalize())
                funnel_path = charts / f"funnel_{_slug(category)}.png"
                figure.savefig(funnel_path, dpi=100)
                _close(figure)
                files.append(funnel_path)
                peer_sections += [mine["description"][0], path, plotted.summary(), funnel_path]
        peers_table = (
            pl.concat(peer_rows).select("category", "per_1000", "rate", "rank_text", "group_mean",
                                        "group_pooled", "verdict_95", "verdict_998",
                                        "rank_lower", "rank_upper", "description")
            if peer_rows else pl.DataFrame()
        )

        # The priority matrix of the leaf categories whose counts are published.
        leaves = stats.filter(
            pl.col("leaf") & pl.col("previous_suppressed").is_null()
            & pl.col("current_suppressed").is_null()
        )
        all_peers = peer_compare(
            latest.filter(pl.col("offence_group").is_in(leaves["category"].to_list())),
            area="area_code", count="count", population="population", groups=group_frame,
            by="offence_group", missing="drop", rank_interval=False,
        ).filter(pl.col("area") == code)
        matrix_input = leaves.select("category", "rate", "significance").join(
            all_peers.select(pl.col("offence_group").alias("category"), "verdict_95"),
            on="category", how="left",
        )
        priority = priority_matrix(
            matrix_input, peers="verdict_95",
            harm={k: v for k, v in (harm or {}).items() if k in set(leaves["category"])} or None,
            concern={k: v for k, v in (concern or {}).items() if k in set(leaves["category"])}
            or None,
            weights=weights,
        )

        monthly = _Monthly()
        if police_uk is not None:
            monthly = _monthly(police_uk, name, charts, files, caveats, threshold, year_start)
            sentences += monthly.sentences
        else:
            caveats.append(
                "Monthly evidence (SPC charts, the year-end projection, solved rates) is not "
                "included: it needs data.police.uk street files for the area (police_uk=…)."
            )

        title = f"{name} Community Safety Partnership: strategic assessment evidence"
        sections: list[tuple[str, list[Any]]] = [
            ("Headline: police recorded crime", [
                f"{name} ({code}), {span}. Rates per 1,000 residents with 95% intervals.",
                headline.drop("previous_suppressed", "current_suppressed"),
            ]),
            ("In plain English", [sentences]),
            ("Against similar areas", [peers_table.drop("description")
                                       if peers_table.height else "No peer comparison.",
                                       *peer_sections]),
            ("Priority matrix", [
                "Each category scored 0 to 1 on volume, direction and position against similar "
                "areas (and harm and residents' concern when given); the score is the weighted "
                "mean and each contribution is shown.",
                priority.drop("reasons"), [f"{r['category']}: {r['reasons']}"
                                           for r in priority.iter_rows(named=True)],
            ]),
        ]
        if monthly.blocks:
            sections.append(("Monthly trend (data.police.uk)", monthly.blocks))
        sections += [
            ("Caveats", [caveats]),
            ("Sources and licences",
             [[f"{what}: {who}, {licence}" for what, who, licence in SOURCES]
              + (["data.police.uk street-level crime and outcomes: Open Government Licence v3.0"]
                 if police_uk is not None else [])]),
        ]
        report = staging / "report.html"
        _write_html(report, title, sections)
        workbook = staging / "evidence.xlsx"
        _write_xlsx(workbook, [
            ("Headline", headline), ("Sentences", pl.DataFrame({"sentence": sentences})),
            ("Peers", peers_table), ("Priority", priority),
            *monthly.sheets,
            ("Caveats", pl.DataFrame({"caveat": caveats})),
        ])
        document = staging / "evidence.docx"
        _write_docx(document, title, sections)
        text = staging / "sentences.txt"
        text.write_text("\n".join(sentences) + "\n", encoding="utf-8")

        if folder.exists():
            shutil.rmtree(folder)
        shutil.move(str(staging), str(folder))
    written = sorted(p for p in folder.rglob("*") if p.is_file())
    return EvidencePack(
        area=name, area_code=code, folder=folder, files=written, headline=headline,
        peers=peers_table, priority=priority, sentences=sentences, caveats=caveats,
        suppressed=suppressed,
    )


def _close(figure: Any) -> None:
    """Free a saved chart: pyplot keeps every figure it made until it is closed."""
    from matplotlib import pyplot

    pyplot.close(figure)


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in text.lower()).strip("_")[:40]


@dataclass
class _Monthly:
    """The police.uk part of a pack: report blocks, workbook sheets and sentences."""

    blocks: list[Any] = field(default_factory=list)
    sheets: list[tuple[str, pl.DataFrame]] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)


def _month_name(day: dt.date) -> str:
    return f"{day:%B %Y}"


def _read_log_caveat(findings: Mapping[str, int]) -> Optional[str]:
    words = {
        "no_location": "rows without a location (counted by force only, not in any CSP)",
        "lsoa_outside_force": "rows in an LSOA outside the force that recorded them",
        "duplicate_crime_id_identical": "repeated rows of one crime (counted once)",
        "duplicate_crime_id_conflicting": "repeated Crime IDs whose rows differ (the latest "
        "month's row kept)",
        "skipped_file": "files in the folder that are not police.uk street files (skipped)",
    }
    parts = [f"{n:,} {words.get(kind, kind.replace('_', ' '))}"
             for kind, n in findings.items() if n]
    if not parts:
        return None
    return ("data.police.uk read log (all the files given, before choosing the CSP): "
            + "; ".join(parts) + ". The full log is the workbook's \"Read log\" sheet.")


def _spc_sentence(chart: pl.DataFrame, first: dt.date, last: dt.date) -> str:
    """The SPC chart in words: the average, the latest month, and the months of special cause."""
    latest = chart.row(chart.height - 1, named=True)
    special = chart.filter(pl.col("special_cause"))
    words = {"concern": "concern", "improvement": "improvement"}
    parts = []
    for variation in ("concern", "improvement"):
        months = special.filter(pl.col("variation") == variation)["period_start"].to_list()
        if months:
            parts.append(f"{words[variation]} in " + ", ".join(f"{m:%b %Y}" for m in months))
    specials = ("special cause variation: " + "; ".join(parts)) if parts else \
        "no month shows special cause variation"
    state = latest["description"].split(": ", 1)[-1]
    return (
        f"All crime each month (police.uk), {_month_name(first)} to {_month_name(last)}: "
        f"{latest['centre']:,.0f} a month on average; {_month_name(last)} "
        f"({latest['value']:,.0f}) shows {state}; {specials}."
    )


def _monthly(source: PathLike, name: str, charts: Path, files: list[Path],
             caveats: list[str], threshold: int, year_start: int) -> _Monthly:
    """The police.uk evidence for one CSP: all crime each month on an SPC chart, the year to
    date against last year with the year-end projection, and the solved rate.

    Everything is computed by the library's own functions; this only chooses what a strategic
    assessment shows and says what could not be shown and why.
    """
    import crimeperf.plot as plot
    from crimeperf._data import count_crimes, read_police_uk, solved_rates
    from crimeperf._trends import project_year_end, spc, year_to_date

    out = _Monthly()
    data = read_police_uk(source, progress=False)
    log_caveat = _read_log_caveat(data.findings())
    if log_caveat:
        caveats.append(log_caveat)
        out.sheets.append(("Read log", data.log))
    records = data.records.filter(pl.col("csp_name") == name)
    if records.height == 0:
        caveats.append(f"The police.uk files given hold no crimes in {name}: no monthly evidence.")
        return out
    counts = count_crimes(records, by=[], period="month").select("period_start", "crimes")
    missing = counts.filter(pl.col("crimes").is_null())["period_start"].to_list()
    if missing:
        caveats.append(
            "Months missing from the police.uk files given: "
            + ", ".join(_month_name(m) for m in missing)
            + ". Trends use only the months after the last gap."
        )
        counts = counts.filter(pl.col("period_start") > max(missing))
    first, last = counts["period_start"].min(), counts["period_start"].max()
    published = suppress(counts, columns="crimes", threshold=threshold, label="period_start")
    out.sheets.append(("Monthly", published))
    out.blocks.append(
        f"{name}: crimes recorded each month, {_month_name(first)} to {_month_name(last)} "
        f"(data.police.uk street files, {counts['crimes'].sum():,} crimes; anti-social "
        "behaviour not included)."
    )

    if counts.height >= 12:
        chart = spc(counts)
        figure = plot.spc(chart, title=f"{name}: crimes recorded each month (data.police.uk)")
        path = charts / "spc_all_crime.png"
        figure.savefig(path, dpi=100)
        _close(figure)
        files.append(path)
        sentence = _spc_sentence(chart, first, last)
        out.blocks += [path, sentence]
        out.sentences.append(sentence)
    else:
        caveats.append(f"Only {counts.height} months of police.uk data for {name}: an SPC chart "
                       "needs at least 12.")

    through = f"{last:%Y-%m}"
    start_of_year = dt.date(last.year if last.month >= year_start else last.year - 1,
                            year_start, 1)
    a_year_before = dt.date(start_of_year.year - 1, start_of_year.month, 1)
    if first <= a_year_before:
        ytd = year_to_date(counts, through=through, year_start=year_start)
        out.sheets.append(("Year to date", ytd))
        change = ytd.row(0, named=True)
        out.sentences.append(
            f"All crime (police.uk), year to date: {change['description']}, "
            f"{_significance_words(change['significance'], change['p_value'])}."
        )
        # Complete reporting years before this one (at least last year, which the comparison
        # needed); the projection's seasonal shape uses up to three.
        complete_years = min(3, (start_of_year.year - first.year
                                 - (1 if first.month > year_start else 0)))
        projection = None
        if complete_years >= 1:
            projection = project_year_end(counts, through=through, year_start=year_start,
                                          history_years=complete_years)
            out.sheets.append(("Projection", projection))
            row = projection.row(0, named=True)
            out.sentences.append(
                f"All crime (police.uk), {row['year']}: on the seasonal pattern of "
                + ("last year" if complete_years == 1 else f"the last {complete_years} years")
                + f", {row['to_date']:,} "
                f"crimes by {_month_name(last)} point to about {row['expected']:,.0f} by the year "
                f"end (95% interval {row['lower']:,.0f} to {row['upper']:,.0f})."
            )
            if complete_years < 3:
                caveats.append(
                    f"The year-end projection rests on {complete_years} complete past year"
                    f"{'s' if complete_years > 1 else ''} of police.uk data (three are better): "
                    "one unusual year moves it."
                )
        else:
            caveats.append("No year-end projection: it needs a complete past year of police.uk "
                           "months before this one.")
        figure = plot.year_to_date(counts, through=through, year_start=year_start,
                                   projection=projection,
                                   title=f"{name}: crimes so far this year against last year")
        path = charts / "year_to_date_all_crime.png"
        figure.savefig(path, dpi=100)
        _close(figure)
        files.append(path)
        out.blocks += [path, out.sentences[-2 if projection is not None else -1]]
        if projection is not None:
            out.blocks.append(out.sentences[-1])
    else:
        caveats.append(
            f"No year-to-date comparison or projection: the police.uk files start in "
            f"{_month_name(first)}, and comparing the year to date with last year needs "
            f"{_month_name(a_year_before)} onwards."
        )

    solved = solved_rates(records, by=[]).row(0, named=True)
    if not solved["crimes"]:
        return out
    sentence = (
        f"Solved rate (police.uk outcomes in the street files): {solved['solved']:,} of "
        f"{solved['crimes']:,} crimes recorded {_month_name(first)} to {_month_name(last)} had a "
        f"solved outcome ({100 * solved['solved_rate']:.1f}%, 95% interval "
        f"{100 * solved['lower']:.1f}% to {100 * solved['upper']:.1f}%); "
        f"{solved['awaiting_outcome']:,} were still awaiting an outcome."
    )
    out.blocks.append(sentence)
    out.sentences.append(sentence)
    caveats.append(
        "Solved rates: outcomes arrive months after the crime (outcome lag), so crimes of the "
        "latest months look less solved than they will be; see cp.outcome_maturity."
    )
    return out
