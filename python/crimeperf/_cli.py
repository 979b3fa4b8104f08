"""The ``crimeperf`` command: ``crimeperf evidence --area Rochford --out out/`` writes a
strategic assessment's evidence pack (see :func:`crimeperf.evidence_pack`)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Optional, Sequence

import polars as pl

from crimeperf.exceptions import CrimeperfError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="crimeperf",
        description="Crime performance evidence for Community Safety Partnerships.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    evidence = commands.add_parser(
        "evidence",
        help="write a strategic assessment's evidence pack for one CSP",
        description=(
            "Write a strategic assessment's evidence pack for one Community Safety Partnership: "
            "report.html (self-contained), evidence.docx, evidence.xlsx, sentences.txt and "
            "charts/*.png, with counts below the threshold suppressed. With no data options it "
            "uses the bundled ONS tables (every CSP in England and Wales, years ending December "
            "2023 and 2024) and crimeperf's illustrative most similar groups."
        ),
    )
    evidence.add_argument("--area", required=True,
                          help='the CSP, by name or GSS code, e.g. "Rochford" or E22000088')
    evidence.add_argument("--out", required=True, type=Path,
                          help="the folder to write (created; must be empty unless --overwrite)")
    evidence.add_argument("--ons", type=Path,
                          help="ONS's CSP workbook (policeforceareatables….xlsx) instead of the "
                               "bundled tables")
    evidence.add_argument("--police-uk", type=Path, dest="police_uk",
                          help="data.police.uk street files for the area (folder or zip): adds "
                               "all crime each month on an SPC chart, the year to date against "
                               "last year, the year-end projection and the solved rate")
    evidence.add_argument("--groups", type=Path,
                          help="your most similar groups (CSV or Excel; long area,peer or wide "
                               "area,peer_1,…) instead of the illustrative ones")
    evidence.add_argument("--targets", type=Path,
                          help="a CSV of category,baseline,change_percent[,polarity] for RAG "
                               "status")
    evidence.add_argument("--harm", type=Path,
                          help="a CSV of category,weight: harm weights for the priority matrix "
                               "(a crime severity score)")
    evidence.add_argument("--concern", type=Path,
                          help="a CSV of category,rank: residents' concern, 1 = most, for the "
                               "priority matrix")
    evidence.add_argument("--weights", type=json.loads,
                          help='the priority factors\' weights as JSON, e.g. '
                               '\'{"volume": 2, "harm": 1}\'')
    evidence.add_argument("--threshold", type=int, default=5,
                          help="counts below this are suppressed (default 5)")
    evidence.add_argument("--year-start", type=int, default=4, dest="year_start",
                          help="the first month of the reporting year for the police.uk year "
                               "to date (default 4: April, financial years; 1: calendar years)")
    evidence.add_argument("--overwrite", action="store_true",
                          help="replace the contents of a folder that is not empty")
    return parser


def _pairs(path: Optional[Path], value: str) -> Optional[dict[str, float]]:
    if path is None:
        return None
    table = pl.read_csv(path)
    if table.width < 2:
        raise CrimeperfError(f"{path}: expected two columns, category and {value}")
    return {str(k): float(v) for k, v in table.select(table.columns[:2]).iter_rows()}


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command line; returns the exit status (0 on success, 1 on an error, said plainly)."""
    arguments = _parser().parse_args(argv)
    from crimeperf._evidence import evidence_pack

    try:
        concern = _pairs(arguments.concern, "rank")
        pack = evidence_pack(
            arguments.area,
            out=arguments.out,
            ons=arguments.ons,
            police_uk=arguments.police_uk,
            groups=arguments.groups,
            targets=None if arguments.targets is None else pl.read_csv(arguments.targets),
            harm=_pairs(arguments.harm, "weight"),
            concern=None if concern is None else {k: int(v) for k, v in concern.items()},
            weights=arguments.weights,
            threshold=arguments.threshold,
            year_start=arguments.year_start,
            overwrite=arguments.overwrite,
        )
    except (CrimeperfError, OSError) as error:
        print(f"crimeperf evidence: {error}", file=sys.stderr)
        return 1
    print(f"Evidence pack for {pack.area} ({pack.area_code}) written to {pack.folder}:")
    for path in pack.files:
        print(f"  {path.relative_to(pack.folder)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
