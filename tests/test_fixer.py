"""The fixer: overlapping fixes, convergence, and the limit on passes."""

from __future__ import annotations

import pytest

from copylint.document import Document
from copylint.engine import Edit, Fix, load_pack, lint
from copylint.fixer import MAX_PASSES, FixDidNotConverge, apply_fixes, fix_document


def test_non_overlapping_fixes_apply_and_earlier_wins() -> None:
    text = "abcdef"
    fixes = [Fix((Edit(1, 3, "X"),)), Fix((Edit(2, 4, "Y"),)), Fix((Edit(4, 5, "Z"),))]
    assert apply_fixes(text, fixes) == ("aXdZf", 2)


def test_multi_edit_fix_is_all_or_nothing() -> None:
    fixes = [Fix((Edit(0, 1, "A"),)), Fix((Edit(0, 0, "<"), Edit(5, 5, ">")))]
    assert apply_fixes("abcdef", fixes) == ("Abcdef", 1)


def test_insertions_at_one_offset_keep_one() -> None:
    assert apply_fixes("ab", [Fix((Edit(1, 1, "x"),)), Fix((Edit(1, 1, "y"),))]) == ("axb", 1)


FIGHTING = """
[[rule]]
code = "T101"
name = "up"
kind = "pattern"
description = "x to y."
fix = "safe"
pattern = "x"
replacement = "y"
[[rule]]
code = "T102"
name = "down"
kind = "pattern"
description = "y to x."
fix = "unsafe"
pattern = "y"
replacement = "x"
"""


def test_fixes_that_fight_do_not_converge() -> None:
    rules = load_pack(FIGHTING, "fighting.toml")
    with pytest.raises(FixDidNotConverge, match=f"after {MAX_PASSES} passes \\(rules involved: T101, T102\\)"):
        fix_document(Document("x"), lambda d: lint(d, rules), unsafe=True)
    # Safe fixes alone do converge: x becomes y, and y's fix is unsafe.
    outcome = fix_document(Document("x"), lambda d: lint(d, rules), unsafe=False)
    assert outcome.text == "y" and [d.code for d in outcome.remaining] == ["T102"]


def test_cli_writes_nothing_when_fixes_do_not_converge(tmp_path, monkeypatch) -> None:
    import copylint.engine as engine
    from copylint.config import ConfigFinder
    from copylint.runner import Options, check_path

    rules = tuple(load_pack(FIGHTING, "fighting.toml"))
    monkeypatch.setattr(engine, "select_rules", lambda layers: list(rules))
    monkeypatch.setattr("copylint.config.select_rules", lambda layers: list(rules))
    story = tmp_path / "story.txt"
    story.write_text("x")
    result = check_path(str(story), ConfigFinder(), Options(fix=True, unsafe_fixes=True))
    assert "fixes did not converge" in result.error and "nothing written" in result.error
    assert story.read_text() == "x"
