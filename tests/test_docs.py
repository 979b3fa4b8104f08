"""Docstrings: every public function documents itself in numpy style, and its examples run."""

from __future__ import annotations

import doctest
import inspect
from pathlib import Path
from types import ModuleType

import pytest

import crimeperf as cp
from crimeperf import (
    _areas,
    _data,
    _disclosure,
    _evidence,
    _frames,
    _indicators,
    _outcome_lag,
    _peers,
    _intervention,
    _population,
    _priority,
    _reconcile,
    _scalars,
    _survey,
    _trends,
    exceptions,
    plot,
)

MODULES: list[ModuleType] = [
    cp, _areas, _scalars, _frames, _data, _disclosure, _evidence, _indicators, _intervention, _population, _priority, _reconcile, _survey, _trends, _outcome_lag, _peers, plot, exceptions,
]

FUNCTIONS = [
    name for name in cp.__all__ if inspect.isfunction(getattr(cp, name))
]


def test_the_contract_functions_are_all_here() -> None:
    assert sorted(FUNCTIONS) == sorted([
        "rate", "proportion", "proportion_change", "change", "target", "rag", "rag_proportion",
        "rates", "proportions", "changes", "targets",
        "read_police_uk", "count_police_uk", "read_ons_csp_tables", "count_crimes", "compare_periods", "solved_rates",
        "outcomes", "geography_table", "add_population", "ons_csp_tables",
        "year_to_date", "rolling", "spc", "project_year_end", "outcome_maturity",
        "solved_within",
        "similar_areas", "read_similar_groups", "peer_compare", "funnel", "demonstration_groups",
        "csp_characteristics", "suppress", "priority_matrix", "evidence_pack",
        "e_test", "wdd", "evaluate_intervention",
        "survey_proportion", "survey_change", "standardised_ratio", "standardised_ratios",
        "reconcile", "define_areas", "indicator_catalogue", "indicators",
    ])


@pytest.mark.parametrize("name", FUNCTIONS)
def test_numpy_style_docstring(name: str) -> None:
    doc = inspect.getdoc(getattr(cp, name))
    assert doc is not None
    signature = inspect.signature(getattr(cp, name))
    sections = ["Returns", "Examples"]
    if signature.parameters:
        sections += ["Parameters", "Raises"]
    for section in sections:
        assert f"\n{section}\n{'-' * len(section)}\n" in doc, (name, section)
    assert ">>> " in doc
    for parameter in signature.parameters:
        assert parameter in doc.split("Returns")[0], (name, parameter)


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_docstring_examples_run(module: ModuleType) -> None:
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert result.failed == 0
    if module is not cp:
        assert result.attempted > 0


@pytest.mark.parametrize(
    "name", ["Rate", "Proportion", "ProportionChange", "Change", "Target", "Rag", "ArrowStream",
             "Funnel", "SimilarGroups"]
)
def test_result_classes_are_documented(name: str) -> None:
    cls = getattr(cp, name)
    for attribute, value in vars(cls).items():
        if attribute.startswith("_") or not (callable(value) or isinstance(value, property)
                                             or type(value).__name__ == "getset_descriptor"):
            continue
        assert getattr(value, "__doc__", None), f"{name}.{attribute}"


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_docstring_examples_run_from_an_installed_wheel(
    module: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Away from the repository, as for a user who installed the wheel: no relative path resolves.
    monkeypatch.chdir(tmp_path)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    # Every example makes what it reads or uses what the wheel bundles.
    for test in doctest.DocTestFinder().find(module):
        runner.run(test)
    assert runner.failures == 0
