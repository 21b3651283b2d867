"""The consistency family (CL3xx) on whole articles: planted inconsistencies are found
(and only they), correct articles full of look-alike names produce nothing, fixes
converge, and the output is deterministic. Single-rule examples live in
rules/consistency.toml and are run by test_rule_examples.py."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from copylint import consistency
from copylint.document import Document
from copylint.engine import Settings, all_rules, lint
from tests.helpers import fix_text, lint_text

FIXTURES = Path(__file__).parent / "fixtures" / "consistency"
FAMILY = [rule for rule in all_rules() if rule.code.startswith("CL3")]


def read(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def found(text: str, settings: Settings | None = None) -> list[tuple[str, str]]:
    return [(d.code, text[d.start : d.end]) for d in lint_text(text, FAMILY, settings)]


def rule(code: str):
    return next(r for r in FAMILY if r.code == code)


def test_planted_name_variants_are_found_with_counts():
    text = read("names_planted.txt")
    diagnostics = lint_text(text, FAMILY)
    assert [(d.code, text[d.start : d.end]) for d in diagnostics] == [("CL301", "Labar"), ("CL301", "Japarov")]
    assert diagnostics[0].message == "'Labar' appears once; 'Kabar' appears 5 times"
    assert diagnostics[1].message == "'Japarov' appears once; 'Dzhaparov' appears 3 times"
    assert all(d.fix and d.fix.applicability == "unsafe" for d in diagnostics)


def test_gh_and_q_are_no_transliteration_pair():
    # Two Arabic names (ghayn and qaf), though Persian writes one name both ways.
    assert found("Gharib spoke first. Gharib left early. The Qarib family stayed.") == []


def test_planted_style_inconsistencies_are_found():
    assert found(read("styles_planted.txt")) == [
        ("CL302", " per cent"),
        ("CL304", "45 thousand"),
        ("CL305", "13000"),
        ("CL303", "Jan."),
        ("CL307", '"'),
        ("CL307", '"'),
        ("CL302", "e-mail"),
        ("CL309", " -- "),
        ("CL309", " -- "),
        ("CL310", "Turnout falls in Kazakh regional elections again"),
    ]


def test_near_duplicate_names_the_line_of_the_other_copy():
    text = read("styles_planted.txt")
    [duplicate] = [d for d in lint_text(text, FAMILY) if d.code == "CL310"]
    assert duplicate.message == "This paragraph nearly repeats the one on line 1"


def test_correct_article_with_look_alike_names_is_clean():
    # Karimov/Kerimov/Karimova, Kasymov/Kasimov, Ivanov/Ivanova/Ivanovs, Kazakh/Kazakhstan,
    # Austria/Australia, Kabar's: all distinct names, inflections or demonyms.
    assert found(read("similar_names_correct.txt")) == []


def test_fixing_converges_to_the_majority_forms():
    fixed = fix_text(read("names_planted.txt"), FAMILY)
    assert "Labar" not in fixed and "Japarov" not in fixed
    assert found(fixed) == []
    styles = fix_text(read("styles_planted.txt"), FAMILY)
    assert 'said “the turnout was low”.' in styles
    assert "45,000 voted" in styles and "13,000 were spoiled" in styles and "January 21" in styles
    assert "61% in 2016" in styles and "Several emails" in styles
    assert "Police - who were out in force - made" in styles


def test_safe_fixes_only_convert_quotation_marks():
    text = read("styles_planted.txt")
    fixed = fix_text(text, FAMILY, unsafe=False)
    assert fixed == text.replace('said "the turnout was low".', "said “the turnout was low”.")


def test_output_is_deterministic():
    text = read("styles_planted.txt") + "\n\n" + read("names_planted.txt")
    runs = {tuple(lint_text(text, FAMILY)) for _ in range(3)}
    assert len(runs) == 1


def test_a_tie_flags_the_weaker_or_later_spelling_once_without_a_fix():
    text = "The agency Kabar reported it. The agency Labar denied it."
    diagnostics = lint_text(text, [rule("CL301")])
    assert [text[d.start : d.end] for d in diagnostics] == ["Labar"]
    assert diagnostics[0].fix is None
    assert "'Labar' and 'Kabar' each appear once" in diagnostics[0].message
    familiar_second = "Speaking in Thaliand, she smiled. The match was in Thailand."
    assert [familiar_second[d.start : d.end] for d in lint_text(familiar_second, [rule("CL301")])] == ["Thaliand"]
    twice = "Monteith spoke. Montieth left. Montieth came back. Monteith stayed."
    assert [twice[d.start : d.end] for d in lint_text(twice, [rule("CL301")])] == ["Montieth", "Montieth"]


def test_familiar_spelling_is_never_flagged_in_a_tie():
    text = "The match was in Thailand. Speaking in Thaliand, she smiled."
    assert found(text) == [("CL301", "Thaliand")]


def test_quoted_speech_is_neither_flagged_nor_counted_by_wording_rules():
    # Three "e-mail" in quotes would outvote one "email" if quotes were counted.
    text = 'He said: "Use e-mail, e-mail and e-mail." She sent an email. Her email bounced.'
    assert found(text) == []


def test_ap_style_comes_from_the_configuration():
    text = "On January 12 the court jailed 3 men."
    assert found(text) == []
    assert found(text, Settings(values={"style": "ap"})) == [("CL303", "January"), ("CL306", "3")]


def test_word_source_is_one_swappable_function(monkeypatch):
    text = "Kabar reported it. Kabar said so, Kabar added. The agency Labar denied it."
    assert found(text) == [("CL301", "Labar")]
    monkeypatch.setattr(consistency, "word_frequency", lambda word: 5.0 if word.lower() == "labar" else 1.0)
    assert found(text) == []


@pytest.mark.parametrize("text", [
    "Kabar's reporter met the Kabars. Kabar filed.",
    "Sergei Ivanov and Yulia Ivanova arrived.",
    "Kovalevsky and Kovalevskaya arrived.",
    "The film U-Carmen eKhayelitsha is set in Khayelitsha.",
    "ERAA and ELAA met. ERAA left.",
])
def test_inflections_gendered_pairs_and_acronyms_are_not_flagged(text):
    assert found(text) == []


def test_family_is_fast_on_a_4_kb_article():
    text = (read("styles_planted.txt") + "\n\n" + read("similar_names_correct.txt") + "\n\n") * 2
    text = text[:4096]
    lint(Document(text), FAMILY)  # warm up: word list and patterns load once
    began = time.perf_counter()
    for _ in range(10):
        lint(Document(text), FAMILY)
    assert (time.perf_counter() - began) / 10 < 0.05


def test_a_listed_variant_is_reported_once_by_the_variant_rule() -> None:
    # "Taleban" is both a name spelled two ways (CL301) and an accepted variant (CL302):
    # one defect, one report.
    text = "Taliban officials met. The Taliban said so; Taliban envoys left. Taleban fighters stayed."
    assert found(text) == [("CL302", "Taleban")]
