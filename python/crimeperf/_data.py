"""The data layer: data.police.uk files and the ONS CSP tables read into clean polars frames, with
a log of everything odd in them; crimes counted by area, type and period; solved rates.

The reading, cleaning and counting are done by the compiled extension (the Rust crate
``crimeperf-polars``); frames cross through the Arrow PyCapsule interface, so any polars works.
"""

from __future__ import annotations

import glob
import html
import inspect
import io
import os
import sys
import threading
import time
import warnings
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, Callable, Literal, Optional, Sequence, TypeVar, Union

import polars as pl

from crimeperf import _crimeperf

# One exchange for frames and data (``_exchange.like`` gives a result back in the caller's kind of
# frame); the names here are those the data functions have always used.
from crimeperf._exchange import like
from crimeperf._exchange import stream as _stream_of
from crimeperf._exchange import to_polars as _to_polars
from crimeperf._frames import changes

if TYPE_CHECKING:
    from crimeperf._areas import CustomAreas
from crimeperf.exceptions import (
    ColumnNotFoundError,
    DataFileNotFoundError,
    ExcludedRowsWarning,
    InvalidInputError,
    UnequalCoverageError,
    UnknownOptionError,
)

__all__ = [
    "PoliceUkData",
    "OnsCspTables",
    "read_police_uk",
    "count_police_uk",
    "PoliceUkCounts",
    "read_ons_csp_tables",
    "count_crimes",
    "compare_periods",
    "solved_rates",
    "outcomes",
    "geography_table",
]

PathLike = Union[str, "os.PathLike[str]"]
# The spellings of the data layer's options.
FileKind = Literal["street", "outcomes"]
DuplicatePolicy = Literal["prefer_located_latest_outcome", "keep_first", "keep_all"]
PeriodUnit = Literal["month", "quarter", "financial_quarter", "financial_year", "calendar_year"]
OutsideForce = Literal["exclude", "include"]
CoverageCheck = Literal["raise", "flag"]
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
    longer than a second.

    The caller's thread waits in short steps, so Ctrl-C reaches it at once: it asks the Rust work
    to stop (``handle.cancel()``), waits for it to return, and raises ``KeyboardInterrupt``,
    leaving nothing running behind (in Jupyter, the kernel is ready for the next cell)."""
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["value"] = call()
        except BaseException as err:  # handed to the caller's thread below
            outcome["error"] = err

    worker = threading.Thread(target=work, name="crimeperf-read", daemon=True)
    started = time.monotonic()
    display: Optional[_ProgressDisplay] = None
    worker.start()
    try:
        if show:
            display = _ProgressDisplay(description)
        while worker.is_alive():
            worker.join(0.1)
            if (
                display is None
                and show is None
                and worker.is_alive()
                and time.monotonic() - started > _PROGRESS_AFTER
            ):
                display = _ProgressDisplay(description)
            if display is not None:
                display.update(handle.files_done, handle.files_total, handle.rows)
    except KeyboardInterrupt:
        handle.cancel()
        # Wait for the Rust work to stop, whatever further Ctrl-Cs arrive meanwhile, so that
        # nothing is left running; in short steps, as a long join may not return on a signal.
        while worker.is_alive():
            try:
                worker.join(0.1)
            except KeyboardInterrupt:
                pass
        if display is not None:
            display.close()
        raise
    if display is not None:
        display.update(handle.files_done, handle.files_total, handle.rows)
        display.close()
    if "error" in outcome:
        # Raised as if from here: the worker thread's frames say nothing the one-line message
        # does not, and Jupyter would print each of them with its source.
        raise outcome["error"].with_traceback(None)
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


def _relative_files(df: pl.DataFrame, root: Optional[str]) -> pl.DataFrame:
    """``df`` with its ``file`` column relative to ``root`` (for display)."""
    if root is None or "file" not in df.columns or df.schema["file"] != pl.String:
        return df
    prefix = root.rstrip("/\\") + os.sep
    return df.with_columns(
        pl.when(pl.col("file").str.starts_with(prefix))
        .then(pl.col("file").str.slice(len(prefix)))
        .otherwise(pl.col("file"))
        .alias("file")
    )


def _common_root(files: list[str]) -> Optional[str]:
    """The folder the files were read from: their common folder (a single file's own folder)."""
    if not files:
        return None
    try:
        root = os.path.commonpath(files)
    except ValueError:  # relative and absolute paths, or different drives
        return None
    if root in files:  # one file, or one zip archive: paths relative to its folder
        root = os.path.dirname(root)
    return root or None


def _html_section(title: str, df: pl.DataFrame, rows: int) -> str:
    shown = df.head(rows)
    more = f" (first {rows} of {df.height:,})" if df.height > rows else ""
    # Whole file names and actions: polars would cut text at 30 characters.
    with pl.Config(fmt_str_lengths=200):
        table = shown._repr_html_()
    return f"<h4>{html.escape(title)}{more}</h4>" + table


class _FrameSet:
    """What the data layer's results share: a one-line summary as their ``repr``, the summary and
    the head of each frame as their Jupyter table, and their frames by name."""

    #: The frames shown in Jupyter, with the number of rows shown of each.
    _shown: tuple[tuple[str, int], ...] = ()

    def _summary(self) -> str:
        raise NotImplementedError

    def _sections(self) -> list[tuple[str, pl.DataFrame, int]]:
        """The tables shown in Jupyter: title, frame and rows shown."""
        return [(name, getattr(self, name), rows) for name, rows in self._shown]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._summary()})"

    def _repr_html_(self) -> str:
        sections = "".join(_html_section(*section) for section in self._sections())
        return f"<div><b>{type(self).__name__}</b>: {html.escape(self._summary())}{sections}</div>"

    def to_dict(self) -> dict[str, pl.DataFrame]:
        """The frames by name."""
        return {field.name: getattr(self, field.name) for field in fields(self)}  # type: ignore[arg-type]


class PoliceUkData(_FrameSet):
    """data.police.uk records read by :func:`read_police_uk`, with their data-quality log.

    Attributes
    ----------
    records : polars.DataFrame
        Built on first use (then kept) from the compact form the read holds (about 60 bytes
        a row, against some 350 for the frame): :func:`count_crimes`, :func:`solved_rates` and
        :func:`outcome_maturity` take the ``PoliceUkData`` itself and count from the codes, so a
        national read need never build it. One row per crime (or ASB incident, or outcome): ``crime_id``, ``month`` (a date, the
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

    In Jupyter it shows the findings by kind first (kind, rows, what was done), then the
    detailed log, the coverage and the first records, with file paths relative to what was read.

    Examples
    --------
    A month of street crimes written here (a download unzips to the same layout):

    >>> import pathlib, tempfile
    >>> import polars as pl
    >>> import crimeperf as cp
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "2025-01"
    >>> folder.mkdir()
    >>> header = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,"
    ...           "LSOA code,LSOA name,Crime type,Last outcome category,Context")
    >>> crime = ("{id},2025-01,Essex Police,Essex Police,0.70,51.58,On or near High Street,"
    ...          "E01021914,Rochford 011A,Burglary,Under investigation,")
    >>> asb = ",2025-01,Essex Police,Essex Police,,,No Location,,,Anti-social behaviour,,"
    >>> lines = [header, crime.format(id="a1"), crime.format(id="a1"), asb]
    >>> _ = (folder / "2025-01-essex-street.csv").write_text("\\n".join(lines) + "\\n")
    >>> data = cp.read_police_uk(folder.parent)
    >>> data
    PoliceUkData(2 records; Essex Police; 2025-01 to 2025-01; 1 crimes and 1 ASB incidents; 2 log rows)
    >>> data.records.filter(pl.col("csp_name") == "Rochford").height
    1
    >>> data.records_for(csp="Rochford").equals(data.records.filter(pl.col("csp_name") == "Rochford"))
    True
    >>> data.findings()
    {'no_location': 1, 'duplicate_crime_id_identical': 1}
    """

    def __init__(
        self,
        records: Optional[pl.DataFrame] = None,
        log: Optional[pl.DataFrame] = None,
        coverage: Optional[pl.DataFrame] = None,
        *,
        compact: Optional[_crimeperf.CompactRecords] = None,
    ) -> None:
        if records is None and compact is None:
            raise TypeError("PoliceUkData needs its records (a frame) or their compact form")
        self._records = records
        self._compact = compact
        self._lock = threading.Lock()
        self.log = log if log is not None else pl.DataFrame()
        self.coverage = coverage if coverage is not None else pl.DataFrame()

    @property
    def records(self) -> pl.DataFrame:
        """One row per record, built from the compact form on first use and kept."""
        with self._lock:
            if self._records is None:
                assert self._compact is not None
                self._records = _frame(self._compact.frame())
            return self._records

    @property
    def compact(self) -> Optional[_crimeperf.CompactRecords]:
        """The records in compact form (``None`` for data made from a frame): what the counting
        functions read when given this ``PoliceUkData``."""
        return self._compact

    @property
    def memory_bytes(self) -> int:
        """The bytes the records take: the compact form's, plus the frame's once built."""
        built = int(self._records.estimated_size()) if self._records is not None else 0
        return built + (self._compact.heap_bytes if self._compact is not None else 0)

    def records_for(
        self,
        *,
        csp: Union[str, Sequence[str], None] = None,
        force: Union[str, Sequence[str], None] = None,
        months: Union[str, tuple[Optional[str], Optional[str]], None] = None,
    ) -> pl.DataFrame:
        """The records of some CSPs, forces or months, building only those.

        Parameters
        ----------
        csp : str or list of str, optional
            Community Safety Partnerships by name or code (any case).
        force : str or list of str, optional
            Forces as ``falls_within`` names them, or by key (``"essex"``).
        months : str or (first, last), optional
            One month ``"2025-03"``, or the first and last (inclusive; either may be None).

        Returns
        -------
        polars.DataFrame
            The rows of :attr:`records` that match every argument given, in the same order:
            equal to filtering the whole frame, without building it.

        Raises
        ------
        UnknownAreaError
            A CSP or force no record has (the message names the closest there is).

        Examples
        --------
        >>> data.records_for(csp="Rochford", months=("2025-01", "2025-03"))   # doctest: +SKIP
        shape: (1_312, 22)
        """
        def names(value: Union[str, Sequence[str], None]) -> list[str]:
            if value is None:
                return []
            return [value] if isinstance(value, str) else list(value)

        first: Optional[str]
        last: Optional[str]
        if months is None:
            first = last = None
        elif isinstance(months, str):
            first = last = months
        else:
            first, last = months
        if self._compact is None:
            df = self.records
            if csp is not None:
                wanted = [c.lower() for c in names(csp)]
                df = df.filter(
                    pl.col("csp_name").str.to_lowercase().is_in(wanted)
                    | pl.col("csp_code").str.to_lowercase().is_in(wanted)
                )
            if force is not None:
                df = df.filter(pl.col("falls_within").is_in(names(force)))
            if first is not None:
                df = df.filter(pl.col("month").dt.strftime("%Y-%m") >= first)
            if last is not None:
                df = df.filter(pl.col("month").dt.strftime("%Y-%m") <= last)
            return df
        return _frame(
            self._compact.frame_where(
                csps=names(csp), forces=names(force), first_month=first, last_month=last
            )
        )

    def to_dict(self) -> dict[str, pl.DataFrame]:
        """The frames by name (building the records)."""
        return {"records": self.records, "log": self.log, "coverage": self.coverage}

    def findings(self) -> dict[str, int]:
        """The number of rows (or cells) behind each kind of finding in the log.

        Examples
        --------
        >>> data.findings()                                    # doctest: +SKIP
        {'no_location': 4310, 'outside_force_area': 155, ...}
        """
        totals = self.log.group_by("kind", maintain_order=True).agg(pl.col("count").sum())
        return dict(zip(totals["kind"].to_list(), totals["count"].to_list()))

    def _findings_table(self) -> pl.DataFrame:
        """The log summed by kind of finding: ``kind``, ``rows`` (the rows or cells behind it)
        and ``action`` (what was done), largest first."""
        return (
            self.log.group_by("kind", maintain_order=True)
            .agg(
                pl.col("count").sum().alias("rows"),
                pl.col("action").drop_nulls().unique(maintain_order=True).str.join("; "),
            )
            .sort("rows", descending=True, maintain_order=True)
        )

    def _sections(self) -> list[tuple[str, pl.DataFrame, int]]:
        # What was found and done first, then the detail, with paths relative to what was read.
        files: list[str] = self._compact.files() if self._compact is not None else []
        for frame in (self.log, self._records if self._records is not None else self.log):
            if "file" in frame.columns and frame.schema["file"] == pl.String:
                files += frame["file"].drop_nulls().unique().to_list()
        root = _common_root(sorted(set(files)))
        findings = self._findings_table()
        return [
            ("findings by kind", findings, findings.height),
            ("log", _relative_files(self.log, root), 10),
            ("coverage", self.coverage, 10),
            ("records", _relative_files(self._preview(5), root), 5),
        ]

    def _preview(self, rows: int) -> pl.DataFrame:
        """The first ``rows`` records, without building the rest."""
        if self._records is not None or self._compact is None:
            return self.records.head(rows)
        return _frame(self._compact.head(rows))

    def _summary(self) -> str:
        # From what the read holds without building the records: a national read's summary
        # costs nothing.
        if self._compact is None:
            records = self.records
            height = records.height
            forces = records["falls_within"].drop_nulls().unique().sort().to_list() if height else []
            months = records["month"].drop_nulls() if height else records["month"]
            span = (f"{months.min():%Y-%m}", f"{months.max():%Y-%m}") if len(months) else None
            asb = int(records["is_asb"].sum()) if "is_asb" in records.columns else None
        else:
            height = len(self._compact)
            forces = sorted(set(self.coverage["falls_within"].drop_nulls().to_list()))
            span = self._compact.month_range()
            asb = (
                int(self.coverage["asb_incidents"].sum())
                if self._compact.kind == "street"
                else None
            )
        parts = [f"{height:,} records"]
        if forces:
            parts.append(", ".join(forces))
        if span is not None:
            parts.append(f"{span[0]} to {span[1]}")
        if asb is not None:
            parts.append(f"{height - asb:,} crimes and {asb:,} ASB incidents")
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



#: The characters that make a source a glob pattern.
_GLOB_CHARACTERS = frozenset("*?[")


def _source_paths(source: Union[PathLike, Sequence[PathLike]]) -> list[str]:
    """The paths of ``source``: a path, a glob pattern (matching paths, sorted) or a list of
    either. A pattern that matches nothing is an error naming it."""
    if isinstance(source, (str, os.PathLike)):
        sources: list[Any] = [source]
    else:
        sources = list(source)
    paths: list[str] = []
    for item in sources:
        path = os.fspath(item)
        if _GLOB_CHARACTERS.intersection(path) and not os.path.exists(path):
            matches = sorted(glob.glob(path, recursive=True))
            if not matches:
                error = DataFileNotFoundError(f"no files or folders match the pattern {path!r}")
                error.filename = path
                raise error
            paths.extend(matches)
        else:
            paths.append(path)
    return paths


def read_police_uk(
    source: Union[PathLike, Sequence[PathLike]],
    *,
    kind: FileKind = "street",
    duplicates: DuplicatePolicy = "prefer_located_latest_outcome",
    geography: Optional[PathLike] = None,
    threads: int = 0,
    progress: Optional[bool] = None,
) -> PoliceUkData:
    """Reads data.police.uk monthly downloads into clean records, a log and a coverage table.

    Parameters
    ----------
    source : str or path, or a list of them
        A folder (searched recursively: the unzipped download with its ``YYYY-MM`` folders), a
        single CSV, a zip archive (or a folder holding archives), a glob pattern such as
        ``"downloads/2025-0*"``, or a list of any of these. Any forces, any months. Inside
        folders and archives police.uk files are recognised by their header as well as their
        name (a street file saved as ``essex_feb.csv`` is read); every other file is logged as
        ``skipped_file`` with the reason.
    kind : {"street", "outcomes"}, default "street"
        Street files (crimes and ASB incidents with their last outcome) or outcome files.
    duplicates : {"prefer_located_latest_outcome", "keep_first", "keep_all"}
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
        ``records``, ``log`` and ``coverage`` frames. The same force and month found in two
        files (the same month downloaded twice) is read once: from the later download when the
        folder or archive names say which (``2025-06.zip`` against ``2025-09.zip``), otherwise
        from the copy with the more advanced outcomes; a ``duplicate_file`` log row names the
        copy kept and why. A file a spreadsheet program saved (a byte-order mark,
        Windows-1252 text, semicolons with decimal commas, carriage returns alone, months
        rewritten as ``01/03/2025`` or ``Mar-25``) is read as police.uk wrote it, and a
        ``spreadsheet_export`` log row says what was assumed.

    Raises
    ------
    DataFileNotFoundError
        ``source`` does not exist, a pattern matches nothing, or nothing holds files of the
        kind (the message says what was expected and what was found).
    DataFileError
        A file or archive cannot be read; a zip entry that would expand more than 100 times
        (a zip bomb); a zip entry or a folder link that leads outside the source.
    DataFormatError
        A CSV named explicitly whose header is not a data.police.uk header of the kind; a line
        longer than 1 MiB; a Month column of spreadsheet date serial numbers.
    UnknownOptionError
        ``kind`` or ``duplicates`` is not one of those accepted.
    KeyboardInterrupt
        Ctrl-C (or Jupyter's interrupt) during the read: parsing stops within a few thousand
        rows (the last steps, duplicates and coverage, finish first: about a second on ten
        million rows) and nothing is left running.

    Examples
    --------
    Two months of a download, written here so that the example runs anywhere (the repository's
    ``data/police_uk`` holds a real six-month sample to try next):

    >>> import pathlib, tempfile
    >>> import crimeperf as cp
    >>> download = pathlib.Path(tempfile.mkdtemp())
    >>> header = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,"
    ...           "LSOA code,LSOA name,Crime type,Last outcome category,Context")
    >>> row = ("{id},{month},Essex Police,Essex Police,0.70,51.58,On or near High Street,"
    ...        "E01021604,Rochford 001A,Burglary,Under investigation,")
    >>> for month, ids in [("2025-01", ["a1", "a2"]), ("2025-02", ["b1"])]:
    ...     folder = download / month
    ...     folder.mkdir()
    ...     lines = [header] + [row.format(id=i, month=month) for i in ids]
    ...     _ = (folder / f"{month}-essex-street.csv").write_text("\\n".join(lines) + "\\n")
    >>> data = cp.read_police_uk(download)
    >>> data.coverage.select("month", "rows", "crimes").rows()
    [(datetime.date(2025, 1, 1), 2, 2), (datetime.date(2025, 2, 1), 1, 1)]

    A list of paths or a glob pattern reads a part of a download:

    >>> cp.read_police_uk(str(download / "2025-0[2]")).coverage["month"].dt.month().to_list()
    [2]
    >>> cp.read_police_uk([download / "2025-01"]).records.height
    2
    """
    paths = _source_paths(source)
    handle = _crimeperf.ReadProgress()
    records, log, coverage = _with_progress(
        lambda: _crimeperf.read_police_uk_files(
            paths,
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
    return PoliceUkData(compact=records, log=_frame(log), coverage=_frame(coverage))


@dataclass(frozen=True, repr=False)
class PoliceUkCounts(_FrameSet):
    """Counts made by :func:`count_police_uk`, with the read's log and coverage.

    Attributes
    ----------
    counts : polars.DataFrame
        As :func:`count_crimes` gives them for the whole read (with its coverage).
    excluded : polars.DataFrame
        The rows left out of the counts: ``reason``, ``rows`` and ``detail``.
    log : polars.DataFrame
        As :attr:`PoliceUkData.log`.
    coverage : polars.DataFrame
        As :attr:`PoliceUkData.coverage`.
    aggregated_rows : int
        The aggregated rows the counts were made from (each a combination of month, force,
        LSOA, crime type and the ``by`` labels, with how many records it stands for).
    """

    counts: pl.DataFrame
    excluded: pl.DataFrame
    log: pl.DataFrame
    coverage: pl.DataFrame
    aggregated_rows: int

    _shown = (("counts", 10), ("excluded", 5), ("coverage", 10), ("log", 10))

    def _summary(self) -> str:
        records = int(self.coverage["rows"].sum()) if self.coverage.height else 0
        return (f"{self.counts.height:,} count rows from {records:,} records "
                f"({self.aggregated_rows:,} aggregated rows); {self.log.height:,} log rows")

    def to_dict(self) -> dict[str, pl.DataFrame]:
        """The frames by name."""
        return {"counts": self.counts, "excluded": self.excluded, "log": self.log,
                "coverage": self.coverage}


def count_police_uk(
    source: Union[PathLike, Sequence[PathLike]],
    *,
    by: Union[str, Sequence[str]],
    period: PeriodUnit = "month",
    outside_force: OutsideForce = "exclude",
    allow_many_groups: bool = False,
    kind: FileKind = "street",
    duplicates: DuplicatePolicy = "prefer_located_latest_outcome",
    geography: Optional[PathLike] = None,
    threads: int = 0,
    batch_files: int = 500,
    progress: Optional[bool] = None,
) -> PoliceUkCounts:
    """Counts police.uk downloads too large to hold in memory, reading them in batches.

    The files are read ``batch_files`` at a time and each batch's rows are counted into
    aggregated rows as it is read, so memory holds the counts and 8 bytes per Crime ID, not the
    records. The counts, log and coverage are those of :func:`read_police_uk` followed by
    :func:`count_crimes` on the whole read, exactly: the files are read twice, once to choose
    between copies of a month downloaded twice and to find Crime IDs repeated across files, once
    to count.

    Parameters
    ----------
    source : str, path, or list of them
        As :func:`read_police_uk`.
    by : str or list of str
        As :func:`count_crimes`; any column of the records but a row's own values
        (``crime_id``, ``longitude``, ``latitude``, ``line``).
    period : {"month", "quarter", "financial_quarter", "financial_year", "calendar_year"}, default "month"
        As :func:`count_crimes`.
    outside_force : {"exclude", "include"}, default "exclude"
        As :func:`count_crimes`.
    allow_many_groups : bool, default False
        As :func:`count_crimes`.
    kind, duplicates, geography, threads, progress
        As :func:`read_police_uk`.
    batch_files : int, default 500
        Files read at a time (a police.uk month of one force is one file).

    Returns
    -------
    PoliceUkCounts
        ``counts``, ``excluded``, ``log``, ``coverage`` and ``aggregated_rows``.

    Raises
    ------
    DataFileNotFoundError, DataFormatError
        As :func:`read_police_uk`.
    ColumnNotFoundError, ColumnTypeError, TooManyGroupsError
        As :func:`count_crimes`; a ``by`` column of a row's own values is a ColumnTypeError.
    InvalidInputError
        ``batch_files`` is below 1.

    Examples
    --------
    >>> import crimeperf as cp
    >>> counted = cp.count_police_uk("downloads", by="csp_name", period="financial_year",
    ...                              batch_files=200)                    # doctest: +SKIP
    >>> counted.counts.filter(pl.col("csp_name") == "Rochford")         # doctest: +SKIP
    """
    paths = _source_paths(source)
    columns = _columns_arg(by)
    handle = _crimeperf.ReadProgress()
    counts, excluded, log, coverage, aggregated = _with_progress(
        lambda: _crimeperf.count_police_uk_files(
            paths,
            by=columns,
            period=period,
            outside_force=outside_force,
            allow_many_groups=allow_many_groups,
            kind=kind,
            duplicates=duplicates,
            geography=None if geography is None else os.fspath(geography),
            threads=threads,
            batch_files=batch_files,
            progress=handle,
        ),
        handle,
        progress,
        "counting police.uk files",
    )
    result = PoliceUkCounts(counts=_frame(counts), excluded=_frame(excluded), log=_frame(log),
                            coverage=_frame(coverage), aggregated_rows=aggregated)
    if result.excluded.height:
        said = "; ".join(
            f"{rows:,} rows {reason.replace('_', ' ')}: {detail}"
            for reason, rows, detail in result.excluded.select("reason", "rows", "detail").iter_rows()
        )
        warnings.warn(f"count_police_uk left out {said}", ExcludedRowsWarning, stacklevel=2)
    return result


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
    period: PeriodUnit = "month",
    coverage: Any = None,
    outside_force: OutsideForce = "exclude",
    allow_many_groups: bool = False,
    areas: Optional[CustomAreas] = None,
) -> Any:
    """Counts crimes and ASB incidents by the ``by`` columns and period, with zeros only where
    data was read.

    * **Groups** are the combinations of ``by`` values that occur (``["csp_code", "csp_name"]``
      gives each CSP once, not every code with every name), each crossed with every value of
      ``crime_type`` when it is a ``by`` column, so a CSP with no burglaries in a month gets a 0.
      Rows with a null in a ``by`` column (e.g. "No Location" crimes have no CSP) form their own
      group rather than vanishing.
    * **Zeros only where data was read**: a group's months are those its forces
      (``falls_within``) were read for. Each period row says how much of it was read:
      ``months_covered``, ``first_month`` and ``last_month``. A period with none of its months
      read has nulls and ``months_covered`` 0, never zeros (two reads stacked, 2018 and 2025,
      give no zero crimes for 2019 to 2024). A financial year of which three months were read
      is marked so, not passed off as a whole year.
    * **Crimes and ASB apart**: when ``crime_type`` (or ``is_asb``) is a ``by`` column, the ASB
      row's ``crimes`` is null and its count is in ``asb_incidents`` (and a crime type's
      ``asb_incidents`` is null), so a change on ASB can never read as "no change" in crimes.
    * **Rows left out** are said: rows in an LSOA outside their force's area are left out by
      default (``outside_force="exclude"``), and rows with no month cannot be counted. When
      any are, an :class:`~crimeperf.ExcludedRowsWarning` says how many and why (a notebook
      shows it under the cell; ``warnings.catch_warnings`` keeps it as a value).

    Parameters
    ----------
    records : PoliceUkData, polars/pandas DataFrame, pyarrow Table, or any ``__arrow_c_stream__`` object
        The :class:`PoliceUkData` itself (counted from its compact form without building the
        records frame, and with its coverage unless another is given; returns a polars frame),
        or street records as :func:`read_police_uk` gives them (filtered as you like); they need
        ``month`` (a date), ``is_asb`` and the ``by`` columns, and are counted per force when
        they have ``falls_within``.
    by : str or list of str
        Text, boolean or date columns to count by, e.g. ``["csp_name", "crime_type"]``.
    period : {"month", "quarter", "financial_quarter", "financial_year", "calendar_year"}, default "month"
        The periods to count in: calendar quarters (``"2025 Q1"`` is January to March),
        financial quarters (``"2025/26 Q1"`` is April to June) or financial years (April to
        March, labelled ``"2024/25"``).
    coverage : PoliceUkData or frame, optional
        What was read (the :class:`PoliceUkData`, or its ``coverage`` frame with
        ``falls_within`` and ``month``). Records alone show only months in which something was
        recorded; with the coverage a month read in which a group had nothing gets its 0. Only
        months from the first to the last month of the records are taken from it.
    outside_force : {"exclude", "include"}, default "exclude"
        Whether rows in an LSOA outside the area of the force they fall within are counted
        (Essex's records hold crimes in Redbridge and Broxbourne).
    allow_many_groups : bool, default False
        Count by a column with nearly one value per row (such as ``crime_id``) rather than
        raise :class:`~crimeperf.TooManyGroupsError`.
    areas : CustomAreas, optional
        Count in your own areas (:func:`define_areas`): each record is placed by its LSOA, the
        result has an ``area`` column of their names first, and the records outside every area
        are left out with an :class:`~crimeperf.ExcludedRowsWarning` saying how many.

    Returns
    -------
    DataFrame
        The caller's kind of frame (pandas for pandas, pyarrow for pyarrow, polars otherwise)
        with the ``by`` columns, ``period`` (its label), ``period_start`` (a date),
        ``months_covered``, ``first_month``, ``last_month`` (dates), ``crimes`` and
        ``asb_incidents``, ordered by the ``by`` values then by period.

    Raises
    ------
    ColumnNotFoundError
        A column is missing (named, with the columns the frame has).
    ColumnTypeError
        A ``by`` column is not text, boolean or a date.
    TooManyGroupsError
        A ``by`` column has nearly one value per row (more than 1,000 values, more than one for
        every two rows), or the rows would exceed 200 million.
    UnknownOptionError
        ``period`` or ``outside_force`` is not one of those accepted.

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
    >>> counts.filter(pl.col("csp_name") == "Rochford").select("period", "crimes", "asb_incidents").rows()
    [('2025-01', 1, 1), ('2025-02', None, None), ('2025-03', 0, 0)]

    February had no records, so without the coverage it is not known to have been read: its
    counts are null (``months_covered`` 0), not zeros made up. With the coverage it gets its
    zeros, and a financial year says how much of it was read:

    >>> read = pl.DataFrame({"month": [date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1)]})
    >>> counts = cp.count_crimes(records, by="csp_name", period="month", coverage=read)
    >>> counts.filter(pl.col("period") == "2025-02")["crimes"].to_list()
    [0, 0]
    >>> fy = cp.count_crimes(records, by="csp_name", period="financial_year", coverage=read)
    >>> fy.select("csp_name", "period", "months_covered", "crimes").rows()
    [('Basildon', '2024/25', 3, 1), ('Rochford', '2024/25', 3, 1)]
    """
    counts, left_out = _counted(records, by=by, period=period, coverage=coverage,
                                outside_force=outside_force,
                                allow_many_groups=allow_many_groups, areas=areas)
    if left_out.height:
        warnings.warn(f"count_crimes left out {_left_out_text(left_out)}", ExcludedRowsWarning,
                      stacklevel=2)
    return like(counts, pl.DataFrame() if isinstance(records, PoliceUkData) else records)


def _counted(records: Any, *, by: Union[str, Sequence[str]], period: PeriodUnit = "month",
             coverage: Any = None, outside_force: OutsideForce = "exclude",
             allow_many_groups: bool = False, areas: Optional[CustomAreas] = None,
             ) -> tuple[pl.DataFrame, pl.DataFrame]:
    """:func:`count_crimes` without its warning: the counts (polars) and the rows left out
    (``reason``, ``rows``, ``detail``), for the functions that count a read themselves."""
    columns = _columns_arg(by)
    compact = records.compact if isinstance(records, PoliceUkData) and areas is None else None
    df = None if compact is not None else _to_polars(
        records.records if isinstance(records, PoliceUkData) else records
    )
    if areas is not None:
        from crimeperf._areas import place_records

        df, outside = place_records(df, areas)
        columns = ["area", *[c for c in columns if c != "area"]]
        if outside:
            warnings.warn(
                f"count_crimes left out {outside:,} rows outside the custom areas "
                f"({', '.join(areas.names)}) or without an LSOA",
                ExcludedRowsWarning, stacklevel=3,
            )
    if isinstance(coverage, PoliceUkData):
        coverage = coverage.coverage
    elif coverage is None and isinstance(records, PoliceUkData):
        # The read says which months it covered: zeros for a group's months without records.
        coverage = records.coverage
    read = None
    if coverage is not None:
        table = _to_polars(coverage)
        read = _stream_of(table, ["falls_within", "month"])
    counts, excluded = _crimeperf.count_crimes_frame(
        compact
        if compact is not None
        else _stream_of(df, columns + ["month", "is_asb", "falls_within", "outside_force"]),
        by=columns,
        period=period,
        coverage=read,
        outside_force=outside_force,
        allow_many_groups=allow_many_groups,
        frame_columns=None if df is None else df.columns,
    )
    return _frame(counts), _frame(excluded)


def _left_out_text(left_out: pl.DataFrame, *, own_area_only: bool = False) -> str:
    """The rows counting left out (``reason``, ``rows``, ``detail``), said; ``own_area_only``
    for a function that counts the force's own area and has no ``outside_force`` to offer."""
    return "; ".join(
        f"{rows:,} rows in an LSOA outside the area of the force they fall within, so that each "
        "area's count is its force's own"
        if own_area_only and reason == "outside_force"
        else f"{rows:,} rows {reason.replace('_', ' ')}: {detail}"
        for reason, rows, detail in left_out.select("reason", "rows", "detail").iter_rows()
    )


def _count_read(data: PoliceUkData, *, by: list[str], period: PeriodUnit, caller: str,
                stacklevel: int) -> pl.DataFrame:
    """:func:`count_crimes` of a read inside another function (``caller``): the rows left out
    are said in its name, at ``stacklevel`` (counted from here)."""
    counts, left_out = _counted(data, by=by, period=period)
    if left_out.height:
        warnings.warn(f"{caller} left out {_left_out_text(left_out, own_area_only=True)}",
                      ExcludedRowsWarning, stacklevel=stacklevel)
    return counts


#: Join keys match when both are null (a null CSP is a group): ``nulls_equal`` in polars 1.24+,
#: ``join_nulls`` before.
_NULLS_MATCH: dict[str, Any] = (
    {"nulls_equal": True}
    if "nulls_equal" in inspect.signature(pl.DataFrame.join).parameters
    else {"join_nulls": True}
)

#: The columns of :func:`count_crimes` that are not group columns.
_COUNT_COLUMNS = frozenset(
    ["period", "period_start", "months_covered", "first_month", "last_month", "crimes",
     "asb_incidents"]
)


def compare_periods(
    counts: Any,
    *,
    current: str,
    previous: str,
    coverage: CoverageCheck = "raise",
    confidence: float = 0.95,
    min_base: int = 50,
) -> Any:
    """Compares two periods of :func:`count_crimes` output with the exact change test.

    Pivots the two periods side by side for each group (the columns other than the count
    columns) and runs :func:`crimeperf.changes`. Crime rows are compared on ``crimes``; the
    anti-social behaviour row (whose ``crimes`` is null) on ``asb_incidents``, described as
    incidents. Periods must be comparable: two periods of which different numbers of months
    were read (``months_covered``) are refused, or flagged with ``coverage="flag"``.

    Parameters
    ----------
    counts : polars/pandas DataFrame, pyarrow Table, or any ``__arrow_c_stream__`` object
        Counts as :func:`count_crimes` gives them (``period``, ``crimes``, ``asb_incidents``;
        ``months_covered`` when they have it).
    current, previous : str
        Labels of the ``period`` column, e.g. ``"2025 Q4"`` and ``"2024 Q4"``.
    coverage : {"raise", "flag"}, default "raise"
        What to do when the two periods of a group were not read for the same number of months
        (or one of them not at all): raise :class:`~crimeperf.UnequalCoverageError`, or keep
        the rows with ``coverage_differs`` set (their change is null where a count is).
    confidence : float, default 0.95
        The confidence level of the intervals and verdicts.
    min_base : int, default 50
        ``small_base`` is True where the previous count is below this.

    Returns
    -------
    polars.DataFrame (pandas DataFrame or pyarrow Table for those)
        The group columns, ``unit`` (``"crimes"`` or ``"incidents"``), ``current_period``,
        ``previous_period``, ``current``, ``previous``, ``current_months``,
        ``previous_months``, ``coverage_differs``, then the columns of
        :func:`crimeperf.changes` (``absolute``, ``percent``, ..., ``description``), one row
        per group. The caller's kind of frame: pandas in, pandas out; pyarrow in, pyarrow out;
        polars otherwise.

    Raises
    ------
    InvalidInputError
        A label is not in the ``period`` column (the message lists those that are), or a group
        has more than one row for a period.
    UnequalCoverageError
        With ``coverage="raise"``, a group whose periods were read for different numbers of
        months (named, with the months).
    ColumnNotFoundError
        ``period``, ``crimes`` or ``asb_incidents`` is missing.
    UnknownOptionError
        ``coverage`` is not one of those accepted.

    Examples
    --------
    >>> import polars as pl
    >>> import crimeperf as cp
    >>> counts = pl.DataFrame({
    ...     "crime_type": ["Anti-social behaviour"] * 2 + ["Burglary"] * 2,
    ...     "period": ["2024 Q4", "2025 Q4"] * 2,
    ...     "months_covered": [3, 3, 3, 3],
    ...     "crimes": [None, None, 168, 206],
    ...     "asb_incidents": [189, 208, None, None],
    ... })
    >>> out = cp.compare_periods(counts, current="2025 Q4", previous="2024 Q4")
    >>> out.select("crime_type", "unit", "previous", "current", "description").rows()
    [('Anti-social behaviour', 'incidents', 189, 208, '10.1% increase (19 incidents)'), ('Burglary', 'crimes', 168, 206, '22.6% increase (38 crimes)')]
    """
    if coverage not in ("raise", "flag"):
        raise UnknownOptionError(f"unknown coverage {coverage!r}; expected one of: raise, flag")
    df = _to_polars(counts)
    for name in ("period", "crimes", "asb_incidents"):
        if name not in df.columns:
            raise ColumnNotFoundError(
                f"no column {name!r}; compare_periods takes count_crimes output, and the frame "
                f"has: {', '.join(df.columns)}"
            )
    labels = df["period"].unique().to_list()
    for which, label in (("current", current), ("previous", previous)):
        if label not in labels:
            shown = ", ".join(sorted(str(x) for x in labels if x is not None))
            raise InvalidInputError(
                f"{which}={label!r} is not a label of the period column; it has: {shown}"
            )
    groups = [c for c in df.columns if c not in _COUNT_COLUMNS]
    has_months = "months_covered" in df.columns
    months = pl.col("months_covered") if has_months else pl.lit(None, pl.UInt32)
    # An ASB row has no crimes: it is compared on its incidents.
    count = pl.coalesce(pl.col("crimes"), pl.col("asb_incidents"))
    unit = (
        pl.when(pl.col("crimes").is_null() & pl.col("asb_incidents").is_not_null())
        .then(pl.lit("incidents"))
        .otherwise(pl.lit("crimes"))
    )
    sides = []
    for side, label in (("current", current), ("previous", previous)):
        part = df.filter(pl.col("period") == label).select(
            *groups,
            unit.alias(f"{side}_unit"),
            count.alias(side),
            months.alias(f"{side}_months"),
        )
        repeated = part.select(groups).is_duplicated() if groups else pl.Series([part.height > 1])
        if repeated.any():
            raise InvalidInputError(
                f"more than one row for period {label!r} in a group of {groups or 'the frame'}; "
                "compare_periods needs one row per group and period"
            )
        sides.append(part)
    if groups:
        both = sides[0].join(sides[1], on=groups, how="full", coalesce=True, **_NULLS_MATCH)
    else:
        both = pl.concat(sides, how="horizontal")
    both = both.with_columns(
        pl.coalesce("current_unit", "previous_unit").alias("unit"),
        pl.lit(current).alias("current_period"),
        pl.lit(previous).alias("previous_period"),
        pl.col("current").is_null().or_(pl.col("previous").is_null())
        .or_(pl.col("current_months").ne_missing(pl.col("previous_months")))
        .alias("coverage_differs"),
    ).select(
        *groups, "unit", "current_period", "previous_period", "current", "previous",
        "current_months", "previous_months", "coverage_differs",
    )
    differing = both.filter("coverage_differs")
    if differing.height and coverage == "raise":
        row = differing.row(0, named=True)
        group = ", ".join(f"{g}={row[g]!r}" for g in groups) or "the frame"
        raise UnequalCoverageError(
            f"{differing.height} groups were not read for the same months in {current} and "
            f"{previous}, e.g. {group}: {row['current_months']} months read in {current} "
            f"(count {row['current']}), {row['previous_months']} in {previous} (count "
            f"{row['previous']}); compare periods read alike, or pass coverage='flag'"
        )
    parts = []
    for unit_name in ("crimes", "incidents"):
        part = both.filter(pl.col("unit") == unit_name)
        comparable = part.filter(pl.col("current").is_not_null() & pl.col("previous").is_not_null())
        if comparable.height:
            parts.append(
                changes(comparable, current="current", previous="previous",
                        confidence=confidence, min_base=min_base, unit=unit_name)
            )
        rest = part.filter(pl.col("current").is_null() | pl.col("previous").is_null())
        if rest.height:
            parts.append(rest)
    out = pl.concat(parts, how="diagonal_relaxed") if parts else both
    if groups:
        out = out.sort([pl.col(g) for g in groups], nulls_last=True, maintain_order=True)
    return like(out, counts)


def solved_rates(
    records: Any,
    *,
    by: Union[str, Sequence[str]],
    solved: Optional[Sequence[str]] = None,
    confidence: float = 0.95,
    mature_only: bool = False,
) -> Any:
    """Solved rates (the share of crimes with a positive outcome) with Wilson intervals.

    ASB incidents are left out. The default definition of solved is a charge or summons
    (including the court stages police.uk shows in place of the charge, and "Awaiting court
    outcome") plus out-of-court disposals (cautions, penalty notices, drugs warnings, community
    resolutions); :func:`outcomes` lists every category with its group and whether it counts.

    Parameters
    ----------
    records : PoliceUkData, polars/pandas DataFrame, pyarrow Table, or any ``__arrow_c_stream__`` object
        The :class:`PoliceUkData` itself (counted from its compact form; returns a polars
        frame), or street records as :func:`read_police_uk` gives them; they need
        ``last_outcome``, ``is_asb`` and the ``by`` columns.
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
    DataFrame
        The caller's kind of frame (pandas for pandas, pyarrow for pyarrow, polars otherwise)
        with the ``by`` columns, ``crimes``, ``solved``, ``awaiting_outcome`` (still under
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
    columns = _columns_arg(by)
    left_out: Optional[list[str]] = None
    source: Any
    if isinstance(records, PoliceUkData) and records.compact is not None and not mature_only:
        source, frame_columns = records.compact, None
    else:
        df = _to_polars(records.records if isinstance(records, PoliceUkData) else records)
        if mature_only:
            from crimeperf._outcome_lag import _mature_records

            df, left_out = _mature_records(df)
        source = _stream_of(df, columns + ["last_outcome", "is_asb"])
        frame_columns = df.columns
    result = _crimeperf.solved_rates_frame(
        source,
        by=columns,
        solved=None if solved is None else list(solved),
        confidence=confidence,
        frame_columns=frame_columns,
    )
    if isinstance(records, PoliceUkData):
        records = pl.DataFrame()
    if left_out is None:
        return like(_frame(result), records)
    out = _frame(result).with_columns(immature_months_left_out=pl.lit(", ".join(left_out)))
    return like(out, records)


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
