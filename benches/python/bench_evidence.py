"""The evidence pack for one CSP (Rochford, with the bundled police.uk sample), cold and warm.

Run by `make bench` (through `benches/suite.py`); not part of `make test`. Cold is the first pack
in a fresh process (imports, the bundled ONS tables and geography read once); warm is the median
of the next `BENCH_REPEAT` packs in the same process, what an analyst waits for each time they
write a pack again in a notebook. Nothing to compare it with: no other tool writes this pack.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))


def main() -> None:
    start = time.perf_counter()
    import crimeperf as cp

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "rochford"
        cp.evidence_pack("Rochford", out=out, police_uk=ROOT / "data" / "police_uk", overwrite=True)
        cold = time.perf_counter() - start
        warm = []
        for _ in range(REPEAT):
            start = time.perf_counter()
            cp.evidence_pack("Rochford", out=out, police_uk=ROOT / "data" / "police_uk",
                             overwrite=True)
            warm.append(time.perf_counter() - start)
        files = sorted(p.name for p in out.iterdir())
    print("| job | first, with imports (s) | again, same process (median s) | files written |")
    print("|---|---:|---:|---:|")
    print(f"| evidence pack, Rochford, with the police.uk sample | {cold:.2f} | "
          f"{statistics.median(warm):.2f} | {len(files)} |")


if __name__ == "__main__":
    main()
