"""Fuzz target for the binding's frame import: Arrow tables of any types, lengths, nulls, chunks
and values, passed to the frame functions. Every outcome must be a result or one of crimeperf's
own exceptions (a ``CrimeperfError``); anything else (a Rust panic surfacing as
``PanicException``, a ``SystemError``, a crash) is a bug.

Run under atheris (coverage-guided, ``make fuzz``)::

    python fuzz/python/frames.py -max_total_time=300

``check(data)`` is the whole target; ``tests/test_hostile_input.py`` runs it on random inputs in
``make test`` so that it keeps working.
"""

from __future__ import annotations

import math
import struct
import sys
from typing import Any, Callable

import pyarrow as pa

import crimeperf as cp

# Values a column may be built from: the ones that break numeric code.
SPECIAL_FLOATS = [0.0, -0.0, 1.0, -1.0, 0.5, 1e308, -1e308, 5e-324, math.inf, -math.inf, math.nan]
SPECIAL_INTS = [0, 1, -1, 2, 50, 2**31 - 1, 2**53, 2**63 - 1, -(2**63), 10**9, 10**9 + 1]
TYPES = [
    pa.int8(), pa.int16(), pa.int32(), pa.int64(), pa.uint8(), pa.uint32(), pa.uint64(),
    pa.float16(), pa.float32(), pa.float64(), pa.string(), pa.large_string(), pa.bool_(),
    pa.decimal128(10, 2), pa.date32(), pa.null(), pa.dictionary(pa.int8(), pa.string()),
]


class Bytes:
    """Reads choices from the fuzzer's bytes (zeros once they run out)."""

    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def byte(self) -> int:
        value = self.data[self.at] if self.at < len(self.data) else 0
        self.at += 1
        return value

    def pick(self, options: list) -> Any:
        return options[self.byte() % len(options)]

    def number(self) -> float:
        raw = bytes(self.byte() for _ in range(8))
        return struct.unpack("<d", raw)[0]


def column(source: Bytes, length: int) -> pa.Array:
    kind = source.pick(TYPES)
    values: list = []
    for _ in range(length):
        choice = source.byte() % 8
        if choice == 0:
            values.append(None)
        elif choice < 4:
            values.append(source.pick(SPECIAL_INTS))
        elif choice < 6:
            values.append(source.pick(SPECIAL_FLOATS))
        elif choice == 6:
            values.append(source.number())
        else:
            values.append(source.pick(["", "12", "x", "2025-01", "Rochford", "1e3", "\u00e9"]))
    try:
        return pa.array(values, type=kind, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, OverflowError,
            TypeError, ValueError):
        # Values the type cannot hold: that column as plain Python values, typed by Arrow.
        try:
            return pa.array(values)
        except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError, TypeError):
            return pa.array([str(v) for v in values])


def table(source: Bytes) -> pa.Table:
    length = source.byte() % 12
    names = ["a", "b", "c", "d"]
    arrays = [column(source, length) for _ in names]
    built = pa.table(dict(zip(names, arrays)))
    if length > 1 and source.byte() % 2:
        # Several chunks, as a frame read from many files has.
        built = pa.concat_tables([built.slice(0, length // 2), built.slice(length // 2)])
    return built


CALLS: list[Callable[[pa.Table, Bytes], Any]] = [
    lambda t, s: cp.rates(t, count="a", population="b", errors=s.pick(["raise", "null"])),
    lambda t, s: cp.proportions(t, numerator="a", denominator="b", errors=s.pick(["raise", "null"])),
    lambda t, s: cp.changes(t, current="a", previous="b", errors=s.pick(["raise", "null"])),
    lambda t, s: cp.changes(t, current="a", previous="b", exposure="c", previous_exposure="d"),
    lambda t, s: cp.standardised_ratios(t, observed="a", expected="b"),
]


def check(data: bytes) -> None:
    source = Bytes(data)
    frame = table(source)
    call = source.pick(CALLS)
    try:
        call(frame, source)
    except cp.CrimeperfError:
        pass  # a clear error about the input: what the binding promises


def main() -> None:
    import atheris

    atheris.Setup(sys.argv, check)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
