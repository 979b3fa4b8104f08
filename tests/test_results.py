"""Result types: readable repr, HTML for Jupyter, to_dict, equality, immutability."""

from __future__ import annotations

import math
from typing import Any

import pytest

import crimeperf as cp

RESULTS: list[tuple[str, Any]] = [
    ("Rate", cp.rate(4208, 87_200)),
    ("Proportion", cp.proportion(1098, 4208)),
    ("ProportionChange", cp.proportion_change(1098, 4208, 1080, 4445)),
    ("Change", cp.change(206, 168)),
    ("Rag", cp.rag(170, 152, 162, require_significance=True)),
    ("Target", cp.target(170, -5, expected=170)),
]

FIELDS = {
    "Rate": ["value", "lower", "upper", "method", "count", "population", "per", "confidence"],
    "Proportion": ["value", "lower", "upper", "percent", "numerator", "denominator", "confidence"],
    "ProportionChange": [
        "value", "lower", "upper", "significance", "current", "previous", "confidence",
    ],
    "Change": [
        "current", "previous", "absolute", "percent", "ratio", "lower", "upper", "p_value",
        "significance", "small_base", "mid_p_value", "minlike_mid_p_value", "score_lower",
        "score_upper", "exposure",
        "previous_exposure", "confidence", "unit",
    ],
    "Rag": [
        "status", "reason", "baseline", "actual", "target", "polarity", "change",
        "proportion_change",
    ],
    "Target": [
        "value", "unrounded", "rounding", "baseline", "change_percent", "polarity", "expected",
        "probability",
    ],
}


@pytest.mark.parametrize(("name", "result"), RESULTS)
def test_type_name(name: str, result: Any) -> None:
    assert type(result).__name__ == name
    assert isinstance(result, getattr(cp, name))


@pytest.mark.parametrize(("name", "result"), RESULTS)
def test_to_dict_has_every_field_and_matches_attributes(name: str, result: Any) -> None:
    d = result.to_dict()
    assert list(d) == FIELDS[name]
    for key, value in d.items():
        attribute = getattr(result, key)
        if isinstance(value, dict):
            assert attribute is not None and attribute.to_dict() == value
        elif isinstance(value, float) and math.isnan(value):
            assert math.isnan(attribute)
        else:
            assert attribute == value, key


@pytest.mark.parametrize(("name", "result"), RESULTS)
def test_repr_is_readable(name: str, result: Any) -> None:
    text = repr(result)
    assert text.startswith(f"{name}(")
    assert text.endswith(")")
    for field in FIELDS[name]:
        assert f"{field}=" in text
    assert "\n" not in text


@pytest.mark.parametrize(("name", "result"), RESULTS)
def test_repr_html_is_a_table(name: str, result: Any) -> None:
    html = result._repr_html_()
    assert html.startswith("<table") and html.endswith("</table>")
    assert f"<b>{name}</b>" in html
    for field in FIELDS[name]:
        assert f"<th style=\"text-align:left\">{field}</th>" in html


@pytest.mark.parametrize(("name", "result"), RESULTS)
def test_results_are_read_only(name: str, result: Any) -> None:
    with pytest.raises(AttributeError):
        result.value = 1  # type: ignore[misc]


def test_repr_values() -> None:
    assert repr(cp.rate(3, 1200, method="exact")) == (
        "Rate(value=2.5, lower=0.51556, upper=7.30606, method='exact', count=3, "
        "population=1200.0, per=1000.0, confidence=0.95)"
    )
    assert "percent=None, ratio=None" in repr(cp.change(5, 0))
    assert "upper=inf" in repr(cp.change(5, 0))


def test_str_is_the_committee_sentence() -> None:
    assert str(cp.change(206, 168)) == "22.6% increase (38 crimes)"
    assert str(cp.change(206, 168, unit="burglaries")) == "22.6% increase (38 burglaries)"
    assert str(cp.proportion_change(1098, 4208, 1080, 4445)) == (
        "1.8 percentage points higher (26.1% against 24.3%)"
    )
    assert str(cp.rag(170, 152, 162)).startswith("Green: 152 meets the target of 162")
    assert str(cp.rate(4208, 87_200)) == "48.26 per 1,000 (46.81 to 49.74, 95% byar)"
    assert str(cp.proportion(65, 100)) == "65.0% (55.3% to 73.6%)"


def test_html_escapes_text() -> None:
    html = cp.change(206, 168, unit="<b>crimes</b>")._repr_html_()
    assert "<b>crimes</b>" not in html
    assert "&lt;b&gt;crimes&lt;/b&gt;" in html


def test_equality() -> None:
    assert cp.change(206, 168) == cp.change(206, 168)
    assert cp.change(206, 168) != cp.change(206, 169)
    assert cp.change(206, 168) != cp.change(206, 168, unit="incidents")
    assert cp.rate(1, 10) != "a rate"
    assert cp.rag(170, 152, 162) == cp.rag(170, 152, 162)


def test_nested_results() -> None:
    rag = cp.rag(170, 152, 162, require_significance=True)
    assert rag.change is not None
    assert rag.to_dict()["change"]["p_value"] == rag.change.p_value
    change = cp.proportion_change(56, 70, 48, 80)
    assert change.to_dict()["current"] == cp.proportion(56, 70).to_dict()
    assert "current=Proportion(" in repr(change)
