"""The package itself: public names, version, typing marker, the acceptance sentence."""

from __future__ import annotations

import importlib.resources
import subprocess
import sys

import crimeperf as cp


def test_acceptance_sentence_from_a_fresh_interpreter() -> None:
    out = subprocess.run(
        [sys.executable, "-c", "import crimeperf as cp; print(cp.change(206, 168).describe())"],
        check=True,
        capture_output=True,
        text=True,
    )
    assert out.stdout == "22.6% increase (38 crimes)\n"


def test_all_names_exist_and_are_unique() -> None:
    assert len(cp.__all__) == len(set(cp.__all__))
    for name in cp.__all__:
        assert hasattr(cp, name), name


def test_contract_names_are_public() -> None:
    for name in [
        "rate", "proportion", "proportion_change", "change", "target", "rag", "rag_proportion",
        "rates", "proportions", "changes", "targets",
        "Rate", "Proportion", "ProportionChange", "Change", "Target", "Rag", "CrimeperfError",
        "ArgumentTypeError", "ColumnExistsError",
    ]:
        assert name in cp.__all__, name


def test_version_is_the_crate_version() -> None:
    assert isinstance(cp.__version__, str)
    assert cp.__version__.count(".") == 2


def test_py_typed_and_stubs_ship_in_the_package() -> None:
    files = importlib.resources.files("crimeperf")
    assert files.joinpath("py.typed").is_file()
    assert files.joinpath("_crimeperf.pyi").is_file()


def test_extension_is_the_compiled_module() -> None:
    from crimeperf import _crimeperf

    assert _crimeperf.__file__ is not None
    assert _crimeperf.__file__.endswith((".so", ".pyd"))
