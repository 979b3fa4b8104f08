"""The data layer: data.police.uk files and the ONS CSP tables read into clean polars frames, with
a log of everything odd in them; crimes counted by area, type and period; solved rates.

The reading, cleaning and counting are done by the compiled extension (the Rust crate
``crimeperf-polars``); frames cross through the Arrow PyCapsule interface, so any polars works.
"""

from __future__ import annotations

import html
import io
import os
import sys
import threading
import time
from dataclasses import dataclass, fields
from typing import Any, Callable, Optional, Sequence, TypeVar, Union

import polars as pl

from crimeperf import _crimeperf
from crimeperf._frames import _to_polars

__all__ = [
    "PoliceUkData",
    "OnsCspTables",
    "read_police_uk",
    "read_ons_csp_tables",
    "count_crimes",
    "solved_rates",
    "outcomes",
    "geography_table",
]

PathLike = Union[str, "os.PathLike[str]"]
T = TypeVar("T")

# A read that has not finished after this many seconds shows its progress (progress=None).
_PROGRESS_AFTER = 1.0


class _ProgressDisplay:
    """Files and rows read so far: a tqdm bar when tqdm is installed (in Jupyter too), else a
    line on standard error rewritten in place."""

    def __init__(self, description: str) -> None:
        self.description = description
        self.shown: Optional[tuple[int, int, int]] = None
        self.bar: Any = None
        try:
            from tqdm.auto import tqdm
        except ImportError:
            tqdm = None
        if tqdm is not None:
            self.bar = tqdm(desc=description, unit="file")

    def update(self, done: int, total: int, rows: int) -> None:
        if self.shown == (done, total, rows):
            return  # the last files are being put together: nothing new to say
        self.shown = (done, total, rows)
        if self.bar is not None:
            if total and self.bar.total != total:
                self.bar.total = total
            self.bar.n = done
            self.bar.set_postfix_str(f"{rows:,} rows", refresh=False)
            self.bar.refresh()
        else:
            of = f"/{total:,}" if total else ""
            sys.stderr.write(f"\r{self.description}: {done:,}{of} files, {rows:,} rows")
            sys.stderr.flush()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
        else:
            sys.stderr.write("\n")
            sys.stderr.flush()


def _with_progress(
    call: Callable[[], T], handle: Any, show: Optional[bool], description: str
) -> T:
    """Runs ``call`` (which releases the GIL) on a worker thread, showing ``handle``'s progress:
    always with ``show=True``, never with ``False``, and with ``None`` once the call has taken
    longer than a second."""
    if show is False:
        return call()
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["value"] = call()
        except BaseException as err:  # handed to the caller's thread below
            outcome["error"] = err

    worker = threading.Thread(target=work, name="crimeperf-read", daemon=True)
    started = time.monotonic()
    worker.start()
    display = _ProgressDisplay(description) if show else None
    while worker.is_alive():
        worker.join(0.1)
        if display is None and worker.is_alive() and time.monotonic() - started > _PROGRESS_AFTER:
            display = _ProgressDisplay(description)
        if display is not None:
            display.update(handle.files_done, handle.files_total, handle.rows)
    if display is not None:
        display.update(handle.files_done, handle.files_total, handle.rows)
        display.close()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _frame(stream: _crimeperf.ArrowStream) -> pl.DataFrame:
    """The stream as a polars frame, keeping its record batches (one per file) as chunks."""
    frame = pl.DataFrame(stream)
    if frame.height != len(stream):
        # Older polars (1.3) read only the first batch of a stream.
        frame = pl.DataFrame(stream.single_batch())
    return frame


def _columns_arg(by: Union[str, Sequence[str]]) -> list[str]:
    if isinstance(by, str):
        return [by]
    return list(by)


def _as_exchanged(name: str, dtype: Any) -> pl.Expr:
    """Column ``name`` in a type the extension reads: categoricals as text, datetimes (pandas
    turns dates into them) as dates."""
    column = pl.col(name)
    if dtype == pl.Categorical or isinstance(dtype, pl.Enum):
        return column.cast(pl.String)
    if isinstance(dtype, pl.Datetime):
        return column.dt.date()
    return column


#: Whether polars' Series streams can be trusted: polars 1.3 streams a Date Series as Int32 under
#: a Date32 schema, which the stream reader rejects. Checked on 1.3 and 2.x; 1.x falls back to the
#: frame's stream.
_SERIES_STREAMS = int(pl.__version__.split(".")[0]) >= 2


def _stream_of(df: pl.DataFrame, names: list[str]) -> Any:
    """The columns ``names`` of ``df`` that exist, for the extension.

    Only needed columns cross; the extension names any that are missing. They cross as
    ``(name, Series)`` pairs, each Series through its own Arrow stream: a DataFrame's stream
    joins its chunks into one first, a copy of every column (a record frame from
    :func:`read_police_uk` has a chunk per file), while a Series' stream passes them as they are.
    """
    present = [name for name in dict.fromkeys(names) if name in df.columns]
    selected = df.select(_as_exchanged(name, df.schema[name]) for name in present)
    if _SERIES_STREAMS:
        return [(name, selected[name]) for name in present]
    if hasattr(selected, "__arrow_c_stream__"):
        return selected
    return selected.to_arrow()  # polars without the PyCapsule interface export; needs pyarrow


def _html_section(title: str, df: pl.DataFrame, rows: int) -> str:
    shown = df.head(rows)
    more = f" (first {rows} of {df.height:,})" if df.height > rows else ""
    return f"<h4>{html.escape(title)}{more}</h4>" + shown._repr_html_()


class _FrameSet:
    """What the data layer's results share: a one-line summary as their ``repr``, the summary and
    the head of each frame as their Jupyter table, and their frames by name."""

    #: The frames shown in Jupyter, with the number of rows shown of each.
    _shown: tuple[tuple[str, int], ...] = ()

    def _summary(self) -> str:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._summary()})"

    def _repr_html_(self) -> str:
        sections = "".join(
            _html_section(name, getattr(self, name), rows) for name, rows in self._shown
        )
        return f"<div><b>{type(self).__name__}</b>: {html.escape(self._summary())}{sections}</div>"

    def to_dict(self) -> dict[str, pl.DataFrame]:
        """The frames by name."""
        return {field.name: getattr(self, field.name) for field in fields(self)}  # type: ignore[arg-type]


@dataclass(frozen=True, repr=False)
class PoliceUkData(_FrameSet):
    """data.police.uk records read by :func:`read_police_uk`, with their data-quality log.

    Attributes
    ----------
    records : polars.DataFrame
        One row per crime (or ASB incident, or outcome): ``crime_id``, ``month`` (a date, the
        1st of the month), ``reported_by``, ``falls_within``, ``longitude``, ``latitude``,
        ``location``, ``lsoa_code``, ``lsoa_name``, ``local_authority_code``,
        ``local_authority_name``, ``csp_code``, ``csp_name``, then for street files
        ``crime_type``, ``crime_type_known``, ``last_outcome``, ``outcome_group``,
        ``outcome_known``, ``is_asb`` (for outcome files ``outcome``, ``outcome_group``,
        ``outcome_known``), and ``outside_force``, ``file``, ``line``.
    log : polars.DataFrame
        One row per data-quality finding: ``file``, ``line`` (where it applies), ``kind``,
        ``detail``, ``count`` and ``action`` (what was done: kept and flagged, collapsed,
        dropped...). Rows are never dropped without a log row.
    coverage : polars.DataFrame
        Records by force and month (``falls_within``, ``month``, ``rows``, ``crimes``,
        ``asb_incidents``, ``no_location``), so a missing or thin month is visible.

    Examples
    --------
    >>> import crimeperf as cp
    >>> data = cp.read_police_uk("data/police_uk")               # doctest: +SKIP
    >>> data.records.filter(pl.col("csp_name") == "Rochford")    # doctest: +SKIP
    """

    records: pl.DataFrame
    log: pl.DataFrame
    coverage: pl.DataFrame
    _shown = (("log", 10), ("coverage", 10), ("records", 5))

    def findings(self) -> dict[str, int]:
        """The number of rows (or cells) behind each kind of finding in the log.

        Examples
        --------
        >>> data.findings()                                    # doctest: +SKIP
        {'no_location': 4310, 'outside_force_area': 155, ...}
        """
        totals = self.log.group_by("kind", maintain_order=True).agg(pl.col("count").sum())
        return dict(zip(totals["kind"].to_list(), totals["count"].to_list()))

    def _summary(self) -> str:
        records = self.records
        parts = [f"{records.height:,} records"]
        if records.height and "falls_within" in records.columns:
            forces = records["falls_within"].drop_nulls().unique().sort().to_list()
            parts.append(", ".join(forces))
        if records.height and "month" in records.columns:
            months = records["month"].drop_nulls()
            if len(months):
                parts.append(f"{months.min():%Y-%m} to {months.max():%Y-%m}")
        if "is_asb" in records.columns:
            asb = int(records["is_asb"].sum())
            parts.append(f"{records.height - asb:,} crimes and {asb:,} ASB incidents")
        parts.append(f"{self.log.height:,} log rows")
        return "; ".join(parts)



@dataclass(frozen=True, repr=False)
class OnsCspTables(_FrameSet):
    """The ONS CSP tables read by :func:`read_ons_csp_tables`.

    Attributes
    ----------
    frame : polars.DataFrame
        One row per area, offence group and year ending: ``area_code``, ``area_name``,
        ``level`` (``"csp"``, ``"force"``, ``"unassigned"``, ``"other"``, ``"country"``),
        ``force_name``, ``local_authority_code``, ``offence_group``, ``year_ending`` (a date),
        ``count`` and ``count_marker``, ``population``, ``households`` and their markers (on
        the later year's rows), and ONS's printed ``ons_percent_change``,
        ``ons_rate_per_1000_population`` and ``ons_rate_per_1000_households``, each with its
        ``_marker`` column. Suppression markers (``[x]``, ``[u]``, ``[u1]``, any case) are
        nulls, the marker kept (lower case) in the ``_marker`` column.
    log : polars.DataFrame
        What was odd in the workbook and what was done about it (``file`` is
        ``<path>!<sheet>``, ``line`` the spreadsheet row).
    """

    frame: pl.DataFrame
    log: pl.DataFrame
    _shown = (("log", 10), ("frame", 5))

    def _summary(self) -> str:
        frame = self.frame
        levels = frame.group_by("level").agg(pl.col("area_name").n_unique()).sort("level")
        areas = ", ".join(f"{n:,} {level}" for level, n in levels.iter_rows())
        years = frame["year_ending"].unique().sort().to_list()
        span = " and ".join(f"{y:%Y-%m-%d}" for y in years)
        return f"{frame.height:,} rows ({areas}); years ending {span}; {self.log.height:,} log rows"



def read_police_uk(
    source: PathLike,
    *,
    kind: str = "street",
    duplicates: str = "prefer-located-latest-outcome",
    geography: Optional[PathLike] = None,
    threads: int = 0,
    progress: Optional[bool] = None,
) -> PoliceUkData:
    """Reads data.police.uk monthly downloads into clean records, a log and a coverage table.

    Parameters
    ----------
    source : str or path
        A folder (searched recursively: the unzipped download with its ``YYYY-MM`` folders), a
        single CSV, or a zip archive (or a folder holding archives). Any forces, any months.
    kind : {"street", "outcomes"}, default "street"
        Street files (crimes and ASB incidents with their last outcome) or outcome files.
    duplicates : {"prefer-located-latest-outcome", "keep-first", "keep-all"}
        What to do with copies of a Crime ID that differ (street files; identical copies are
        always collapsed to one and logged). The default keeps the copy with a location, then
        the one with the most advanced outcome, then the later month, then the first read.
    geography : str or path, optional
        A folder laid out like the bundled ``data/geography`` (``lsoa_lookup.csv`` and
        ``csp_lookup.csv``) to place LSOAs with instead of the bundled lookup.
    threads : int, default 0
        Files are parsed in parallel on this many threads; 0 means one per core.
    progress : bool, optional
        Show the files and rows read so far (a tqdm bar if tqdm is installed, else a line on
        standard error): ``True`` always, ``False`` never, ``None`` (the default) once the read
        has taken more than a second.

    Returns
    -------
    PoliceUkData
        ``records``, ``log`` and ``coverage`` frames.

    Raises
    ------
    DataFileNotFoundError
        ``source`` does not exist or holds no files of the kind.
    DataFileError
        A file or archive cannot be read.
    DataFormatError
        A CSV whose header is not a data.police.uk header of the kind.
    UnknownOptionError
        ``kind`` or ``duplicates`` is not one of those accepted.

    Examples
    --------
    The sample of real Essex files bundled in the repository's ``data/police_uk``:

    >>> import crimeperf as cp
    >>> data = cp.read_police_uk("data/police_uk")
    >>> data
    PoliceUkData(2,278 records; Essex Police; 2025-01 to 2025-06; 2,088 crimes and 190 ASB incidents; 49 log rows)
    >>> findings = data.findings()
    >>> findings["no_location"], findings["lsoa_outside_force"], findings["duplicate_crime_id_conflicting"]
    (105, 71, 2)
    >>> data.coverage.select("month", "rows", "crimes").head(2).rows()
    [(datetime.date(2025, 1, 1), 344, 314), (datetime.date(2025, 2, 1), 351, 326)]
    """
    handle = _crimeperf.ReadProgress()
    records, log, coverage = _with_progress(
        lambda: _crimeperf.read_police_uk_files(
            os.fspath(source),
            kind=kind,
            duplicates=duplicates,
            geography=None if geography is None else os.fspath(geography),
            threads=threads,
            progress=handle,
        ),
        handle,
        progress,
        "reading police.uk files",
    )
    return PoliceUkData(records=_frame(records), log=_frame(log), coverage=_frame(coverage))


def read_ons_csp_tables(path: PathLike) -> OnsCspTables:
    """Reads the ONS "Police force area data tables" workbook (Tables C2–C5) into a tidy frame.

    Parameters
    ----------
    path : str or path
        ``policeforceareatablesyedecember2024.xlsx`` or another edition laid out the same way.

    Returns
    -------
    OnsCspTables
        ``frame`` (one row per area, offence group and year ending) and ``log``.

    Raises
    ------
    DataFileNotFoundError
        The file does not exist.
    DataFormatError
        The file is not an xlsx workbook, or lacks the tables or columns expected (named).

    Examples
    --------
    >>> import polars as pl
    >>> import crimeperf as cp
    >>> ons = cp.read_ons_csp_tables("policeforceareatablesyedecember2024.xlsx")  # doctest: +SKIP
    >>> ons.frame.filter(                                                          # doctest: +SKIP
    ...     pl.col("area_name") == "Rochford",
    ...     pl.col("offence_group") == "Total recorded crime (excluding fraud)",
    ... )["count"].to_list()
    [4445, 4208]
    """
    frame, log = _crimeperf.read_ons_tables(os.fspath(path))
    return OnsCspTables(frame=_frame(frame), log=_frame(log))


def count_crimes(
    records: Any,
    *,
    by: Union[str, Sequence[str]],
    period: str = "month",
) -> pl.DataFrame:
    """Counts crimes and ASB incidents by the ``by`` columns and period, zeros included.

    Every combination of the values seen in each ``by`` column with every period from the first
    to the last record appears, with 0 where nothing was recorded: a zero is data. Rows with a
    null in a ``by`` column (e.g. "No Location" crimes have no CSP) form their own group rather
    than vanishing. ASB incidents are counted apart, so they never enter a crime total.

    Parameters
    ----------
    records : polars/pandas DataFrame, pyarrow Table, or any ``__arrow_c_stream__`` object
        Street records as :func:`read_police_uk` gives them (filtered as you like); they need
        ``month`` (a date), ``is_asb`` and the ``by`` columns.
    by : str or list of str
        Text, boolean or date columns to count by, e.g. ``["csp_name", "crime_type"]``.
    period : {"month", "quarter", "financial_quarter", "financial_year", "calendar_year"}, default "month"
        The periods to count in: calendar quarters (``"2025 Q1"`` is January to March),
        financial quarters (``"2025/26 Q1"`` is April to June) or financial years (April to
        March, labelled ``"2024/25"``).

    Returns
    -------
    polars.DataFrame
        The ``by`` columns, ``period`` (its label), ``period_start`` (a date), ``crimes`` and
        ``asb_incidents``, ordered by the ``by`` values then by period.

    Raises
    ------
    ColumnNotFoundError
        A column is missing (named, with the columns the frame has).
    ColumnTypeError
        A ``by`` column is not text, boolean or a date.
    TooManyGroupsError
        The combinations would exceed 200 million rows.
    UnknownOptionError
        ``period`` is not one of those accepted.

    Examples
    --------
    >>> import polars as pl
    >>> import crimeperf as cp
    >>> from datetime import date
    >>> records = pl.DataFrame({
    ...     "month": [date(2025, 1, 1), date(2025, 1, 1), date(2025, 3, 1)],
    ...     "csp_name": ["Rochford", "Rochford", "Basildon"],
    ...     "is_asb": [False, True, False],
    ... })
    >>> counts = cp.count_crimes(records, by="csp_name", period="month")
    >>> counts.select("csp_name", "period", "crimes", "asb_incidents").rows()
    [('Basildon', '2025-01', 0, 0), ('Basildon', '2025-02', 0, 0), ('Basildon', '2025-03', 1, 0), ('Rochford', '2025-01', 1, 1), ('Rochford', '2025-02', 0, 0), ('Rochford', '2025-03', 0, 0)]
    """
    df = _to_polars(records)
    columns = _columns_arg(by)
    result = _crimeperf.count_crimes_frame(
        _stream_of(df, columns + ["month", "is_asb"]),
        by=columns,
        period=period,
        frame_columns=df.columns,
    )
    return _frame(result)


def solved_rates(
    records: Any,
    *,
    by: Union[str, Sequence[str]],
    solved: Optional[Sequence[str]] = None,
    confidence: float = 0.95,
    mature_only: bool = False,
) -> pl.DataFrame:
    """Solved rates (the share of crimes with a positive outcome) with Wilson intervals.

    ASB incidents are left out. The default definition of solved is a charge or summons
    (including the court stages police.uk shows in place of the charge, and "Awaiting court
    outcome") plus out-of-court disposals (cautions, penalty notices, drugs warnings, community
    resolutions); :func:`outcomes` lists every category with its group and whether it counts.

    Parameters
    ----------
    records : polars/pandas DataFrame, pyarrow Table, or any ``__arrow_c_stream__`` object
        Street records as :func:`read_police_uk` gives them; they need ``last_outcome``,
        ``is_asb`` and the ``by`` columns.
    by : str or list of str
        Text, boolean or date columns to group by.
    solved : list of str, optional
        Your own definition: police.uk outcome categories and/or outcome groups (e.g.
        ``["charged or summonsed", "court result"]`` for charges only).
    confidence : float, default 0.95
        The confidence level of the Wilson intervals.
    mature_only : bool, default False
        Leave out the crime months whose outcomes are still immature (the rule of
        :func:`outcome_maturity`, over all the records) and name them in an
        ``immature_months_left_out`` column (needs the ``month`` column).

    Returns
    -------
    polars.DataFrame
        The ``by`` columns, ``crimes``, ``solved``, ``awaiting_outcome`` (still under
        investigation or awaiting court: recent months lag, so their solved rates will rise),
        ``outcome_unknown``, ``solved_rate``, ``lower`` and ``upper`` (fractions; null for a
        group with no crimes).

    Raises
    ------
    ColumnNotFoundError, ColumnTypeError
        As in :func:`count_crimes`.
    InvalidInputError
        A label in ``solved`` is neither an outcome category nor a group.
    InvalidConfidenceError
        ``confidence`` is not strictly between 0 and 1.

    Examples
    --------
    >>> import polars as pl
    >>> import crimeperf as cp
    >>> records = pl.DataFrame({
    ...     "csp_name": ["Rochford"] * 4,
    ...     "last_outcome": ["Local resolution", "Under investigation",
    ...                      "Investigation complete; no suspect identified", "Suspect charged"],
    ...     "is_asb": [False] * 4,
    ... })
    >>> out = cp.solved_rates(records, by="csp_name")
    >>> out.select("crimes", "solved", "awaiting_outcome", "solved_rate").row(0)
    (4, 2, 1, 0.5)
    >>> cp.solved_rates(records, by="csp_name", solved=["charged or summonsed"])["solved"][0]
    1
    """
    df = _to_polars(records)
    columns = _columns_arg(by)
    left_out: Optional[list[str]] = None
    if mature_only:
        from crimeperf._outcome_lag import _mature_records

        df, left_out = _mature_records(df)
    result = _crimeperf.solved_rates_frame(
        _stream_of(df, columns + ["last_outcome", "is_asb"]),
        by=columns,
        solved=None if solved is None else list(solved),
        confidence=confidence,
        frame_columns=df.columns,
    )
    if left_out is None:
        return _frame(result)
    return _frame(result).with_columns(immature_months_left_out=pl.lit(", ".join(left_out)))


def outcomes() -> pl.DataFrame:
    """The police.uk outcome categories with their group and whether they count as solved.

    Returns
    -------
    polars.DataFrame
        ``outcome`` (the label police.uk prints), ``outcome_group``, ``pending`` (still under
        investigation or awaiting court) and ``solved_by_default``.

    Examples
    --------
    >>> import crimeperf as cp
    >>> table = cp.outcomes()
    >>> table.height
    28
    >>> table.filter(table["solved_by_default"])["outcome_group"].unique().sort().to_list()
    ['awaiting court or under investigation', 'charged or summonsed', 'court result', 'out-of-court disposal']
    """
    return _frame(_crimeperf.outcome_table())


# The column types of the bundled tables: codes and names are text, counts are integers.
_TABLE_TYPES: dict[str, dict[str, Any]] = {
    "lsoa_lookup": {},
    "csp_lookup": {"lsoa21_count": pl.Int64},
    "wards": {"ward_year": pl.Int64},
    "la_population": {"year": pl.Int64, "population": pl.Int64},
    "la_households": {"year": pl.Int64, "households": pl.Int64},
}


def geography_table(name: str) -> pl.DataFrame:
    """A geography or population table bundled with crimeperf (England and Wales, ONS, OGL v3.0).

    Parameters
    ----------
    name : {"lsoa_lookup", "csp_lookup", "wards", "la_population", "la_households"}
        * ``"lsoa_lookup"``: every LSOA code on 2011 and/or 2021 boundaries with its ward, local
          authority (April 2021 boundaries), CSP and police force area; the lookup
          :func:`read_police_uk` places records with.
        * ``"csp_lookup"``: each CSP with its force and the local authorities it is made of.
        * ``"wards"``: the names, vintages and local authorities of the ward codes.
        * ``"la_population"``: ONS mid-year population estimates by local authority, mid-2001 to
          mid-2021. Mid-2021 is based on Census 2021 and the earlier years on the 2011 Census
          (the ``basis`` column says which): a series that crosses 2020 to 2021 crosses that
          rebasing, so a change across it is partly an artefact of the estimates.
        * ``"la_households"``: households by local authority (Census 2011) and by CSP, force,
          region and country (ONS, mid-2021).

    Returns
    -------
    polars.DataFrame
        The table, codes and names as text and counts as integers.

    Raises
    ------
    UnknownOptionError
        ``name`` is not one of the tables.

    Examples
    --------
    >>> import polars as pl
    >>> import crimeperf as cp
    >>> population = cp.geography_table("la_population")
    >>> rochford = population.filter(pl.col("local_authority_name") == "Rochford")
    >>> rochford.filter(pl.col("year") >= 2020).select("year", "population", "basis").rows()
    [(2020, 87627, 'mid-2020 series (2011 Census based)'), (2021, 86186, 'mid-2021 (Census 2021 based)')]
    >>> lookup = cp.geography_table("lsoa_lookup")
    >>> lookup.filter(pl.col("lsoa_code") == "E01021914")["csp_name"].to_list()
    ['Rochford']
    """
    text = _crimeperf.bundled_table_text(name)
    return pl.read_csv(
        io.StringIO(text), infer_schema_length=0, schema_overrides=_TABLE_TYPES.get(name)
    )
