"""Every rule's embedded examples: flagged texts are flagged (and fixed as stated),
correct texts produce nothing. A rule without both kinds of example fails."""

from __future__ import annotations

import pytest

from copylint.engine import Settings, all_rules
from tests.helpers import fix_text, lint_text

RULES = all_rules()


def settings_for(rule, example) -> Settings:
    return Settings(options={rule.code: example.options} if example.options else {})


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_has_metadata_and_examples(rule):
    assert rule.name == rule.name.lower() and " " not in rule.name, "names are kebab-case"
    assert rule.description.endswith(".") and "\n" not in rule.description, "one-line description"
    assert rule.examples["incorrect"], f"{rule.code} has no incorrect example"
    assert rule.examples["correct"], f"{rule.code} has no correct example"
    for example in rule.examples["incorrect"]:
        assert example.fixed is not None or example.message is not None, (
            f"{rule.code}: an incorrect example must state its fixed text or its message"
        )


def test_codes_and_names_are_unique():
    assert len({r.code for r in RULES}) == len(RULES)
    assert len({r.name for r in RULES}) == len(RULES)


EXAMPLES = [
    pytest.param(rule, example, id=f"{rule.code}-incorrect-{i}")
    for rule in RULES for i, example in enumerate(rule.examples["incorrect"])
]
CORRECT = [
    pytest.param(rule, example, id=f"{rule.code}-correct-{i}")
    for rule in RULES for i, example in enumerate(rule.examples["correct"])
]


@pytest.mark.parametrize("rule, example", EXAMPLES)
def test_incorrect_example_is_flagged(rule, example):
    settings = settings_for(rule, example)
    found = lint_text(example.text, [rule], settings, path=example.path)
    assert found, f"{rule.code} did not flag {example.text!r}"
    if example.message is not None:
        assert example.message in found[0].message
    if example.fixed is not None:
        assert all(d.fix is not None for d in found), f"{rule.code} flagged without a fix"
        assert fix_text(example.text, [rule], settings, path=example.path) == example.fixed


@pytest.mark.parametrize("rule, example", CORRECT)
def test_correct_example_is_not_flagged(rule, example):
    found = lint_text(example.text, [rule], settings_for(rule, example), path=example.path)
    assert found == [], f"{rule.code} flagged {[example.text[d.start:d.end] for d in found]} in {example.text!r}"


@pytest.mark.parametrize("rule", [r for r in RULES if r.spec.get("requires")], ids=lambda r: r.code)
def test_required_strings_occur_in_every_flagged_example(rule):
    """``requires`` lets a pattern rule skip texts without those strings; an example it
    flags without one would show the list is wrong."""
    for example in rule.examples["incorrect"]:
        assert any(literal in example.text for literal in rule.spec["requires"]), example.text
