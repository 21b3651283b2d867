"""Unit tests for each generic rule kind, on rule packs written inline."""

from __future__ import annotations

import pytest

from copylint.engine import RuleError, Settings, load_pack
from copylint.kinds import QUOTE_LIMIT, literal_starts, may_start_with, quoted
from tests.helpers import fix_text, lint_text


def rule(body: str):
    (loaded,) = load_pack(
        'examples.incorrect = []\nexamples.correct = []\n[[rule]]\ncode = "T001"\nname = "t"\ndescription = "T."\n' + body,
        "inline.toml",
    )
    return loaded


def test_pattern_target_group_narrows_span_and_fix() -> None:
    r = rule('kind = "pattern"\nfix = "safe"\npattern = \'[,](?<=\\w(?P<target> +,))\'\nreplacement = ","\nmessage = "{match}|{length}"\n')
    (found,) = lint_text("Osh , Naryn", [r])
    assert (found.start, found.end, found.message) == (3, 5, " ,|2")
    assert fix_text("Osh , Naryn", [r]) == "Osh, Naryn"


def test_pattern_unsafe_group_makes_that_match_s_fix_unsafe() -> None:
    r = rule('kind = "pattern"\nfix = "safe"\npattern = \'x(?:(?<=\\bAx)(?P<unsafe>)|)\'\nreplacement = "y"\nmessage = "m"\n')
    assert [d.fix.applicability for d in lint_text("Ax bx", [r])] == ["unsafe", "safe"]


def test_pattern_variants_follow_the_style_option() -> None:
    r = rule(
        'kind = "pattern"\nfix = "safe"\noptions = { style = "a" }\n'
        'variants.a = { pattern = "colour", replacement = "color", message = "US" }\n'
        'variants.b = { pattern = "color", replacement = "colour", message = "UK" }\n'
    )
    assert fix_text("colour and color", [r]) == "color and color"
    assert fix_text("colour and color", [r], Settings(options={"T001": {"style": "b"}})) == "colour and colour"


def test_pattern_errors_name_the_rule_and_variant() -> None:
    # Patterns compile when a text first needs them, so the error comes with the first check.
    r = rule('kind = "pattern"\noptions = { style = "b" }\nvariants.a = { pattern = "x" }\nvariants.b = { pattern = "(x" }\n')
    with pytest.raises(RuleError, match="inline.toml: rule T001 b: "):
        lint_text("Some text.", [r])


def test_unknown_keys_and_kinds_are_errors() -> None:
    with pytest.raises(RuleError, match="unknown key"):
        rule('kind = "pattern"\npatern = "x"\n')
    with pytest.raises(RuleError, match="unknown kind 'nope'"):
        rule('kind = "nope"\n')


def test_substitution_keeps_case_and_matches_phrases() -> None:
    r = rule('kind = "substitution"\nfix = "safe"\nmessage = "{match} -> {replacement}"\n'
             'words = { "accross" = "across", "in regards to" = "regarding", "alot" = ["a lot", "allot"] }\n')
    found = lint_text("Accross the river, ACCROSS town, in  regards to it, alot", [r])
    assert [d.message for d in found] == [
        "Accross -> Across", "ACCROSS -> ACROSS", "in  regards to -> regarding", "alot -> a lot",
    ]
    assert found[-1].fix.applicability == "unsafe" and found[-1].suggestions == ("a lot", "allot")
    assert found[0].fix.applicability == "safe"


def test_phrase_scanner_respects_word_edges() -> None:
    r = rule('kind = "existence"\nmessage = "{match}"\nwords = ["TK"]\ncase-sensitive = true\n')
    assert [d.message for d in lint_text("TK, TKO, aTK, TK-1, x.TK, TK.", [r])] == ["TK", "TK"]


def test_repetition_skips_exceptions_names_and_punctuation() -> None:
    r = rule('kind = "repetition"\nfix = "safe"\nmessage = "{match}"\nexceptions = ["had"]\n')
    text = "the the cat. had had. Sirhan Sirhan. The the end. word, word. 10 10"
    assert [text[d.start : d.end] for d in lint_text(text, [r])] == ["the the", "The the"]
    assert fix_text("in the\nthe city", [r]) == "in the city"


def test_line_rule_removes_whole_lines() -> None:
    r = rule('kind = "line"\nfix = "unsafe"\nmessage = "{match}"\nlines = ["advertisement"]\n')
    assert fix_text("One.\nAdvertisement\nTwo.", [r]) == "One.\nTwo."
    assert fix_text("One.\n\n  ADVERTISEMENT \n\nTwo.\n", [r]) == "One.\n\nTwo.\n"
    assert lint_text("An advertisement ran.", [r]) == []


def test_line_rule_compiles_only_the_entries_short_lines_may_start_with() -> None:
    r = rule('kind = "line"\nmessage = "{match}"\nmax-length = 20\n'
             'lines = ["advertisement", "read more(?: here)?", "share this|(?:next|previous) story", "(?:top )?news"]\n')
    assert lint_text("Talks ended in Osh.\nA long line that is not about any of this at all.", [r]) == []
    assert list(r.line_scanners) == [(3,)]  # only the entry without a plain start
    text = "Talks ended.\n\t READ MORE here \r\nAdvertisement: Buy now\nNext story\n" + "Read more " * 3
    assert [d.message for d in lint_text(text, [r])] == ["READ MORE here", "Next story"]
    assert list(r.line_scanners)[1:] == [(1, 2, 3)]


def test_literal_starts_of_line_entries() -> None:
    assert literal_starts("read more(?: here)?|back to top") == ("read more", "back to top")
    assert literal_starts("share this?|a[|]b|c\\|d") == ("share thi", "a", "c")
    assert literal_starts("(?:next|(previous)) (?:article|story)|top") == ("next", "previous", "top")
    for unknown in ("(?:next|previous)? story", "(?=next)", " share", "(?-i)Share", "[a-z]+", "ab|(c", "sponsored|ß"):
        assert literal_starts(unknown) is None, unknown
    assert literal_starts("copyright © .*") == ("copyright ",)
    assert may_start_with("Share this", "share") and not may_start_with("Shore", "share")
    assert may_start_with("ſhare", "share")  # folds to "share": anything but ASCII may match


def test_line_rule_on_paragraphs() -> None:
    r = rule('kind = "line"\nscope = "paragraph"\nmessage = "{match}"\nlines = ["read more.*"]\n')
    assert [d.message for d in lint_text("Text.\n\nRead more\nhere\n\nEnd.", [r])] == ["Read more here"]


def test_pattern_requires_skips_texts_without_the_strings() -> None:
    # "\t," needs a tab and a comma, " ," only a comma: each is looked for, not just its
    # rarest character.
    r = rule('kind = "pattern"\nfix = "safe"\nrequires = [" ,", "\\t,"]\npattern = \'[ \\t]+(?=,)\'\n'
             'replacement = ""\nmessage = "m"\n')
    assert fix_text("Osh , Naryn\tand\t, Batken", [r]) == "Osh, Naryn\tand, Batken"
    assert lint_text("Osh, Naryn, Batken", [r]) == []
    assert lint_text("Osh ,", [r]) != []


def test_a_pack_loaded_for_later_compiles_on_first_use() -> None:
    text = 'examples.incorrect = []\nexamples.correct = []\n[[rule]]\ncode = "T001"\nname = "t"\n' \
           'description = "T."\nkind = "pattern"\npattern = "(unclosed"\n'
    (waiting,) = load_pack(text, "later.toml", prepare=False)
    assert waiting.code == "T001"
    with pytest.raises(RuleError, match="later.toml: rule T001 pattern: "):
        lint_text("Some text.", [waiting])


def test_prepared_data_is_there_when_asked_for_before_use() -> None:
    text = 'examples.incorrect = []\nexamples.correct = []\n[[rule]]\ncode = "T001"\nname = "t"\n' \
           'description = "T."\nkind = "repetition"\nexceptions = ["Had"]\nmessage = "m"\n'
    (waiting,) = load_pack(text, "later.toml", prepare=False)
    assert waiting.exceptions == {"had"}
    with pytest.raises(AttributeError):
        waiting.no_such_attribute  # noqa: B018


def test_a_message_quoting_text_over_lines_is_one_line() -> None:
    # One line per report in the text output and in GitHub annotations, whatever a rule quotes.
    r = rule('kind = "pattern"\npattern = \'Osh\\s+Naryn\'\nmessage = "Found \\"{match}\\""\n')
    assert [d.message for d in lint_text("From Osh\n\nNaryn came.", [r])] == ['Found "Osh Naryn"']


def test_quoted_text_is_one_line_and_cut_short_at_a_space() -> None:
    assert quoted("Related\n  stories") == "Related stories"
    long = "Subscribe to our newsletter for the latest news from Central Asia, every weekday"
    assert quoted(long) == "Subscribe to our newsletter for the latest news from…"
    assert len(quoted("x" * 200)) == QUOTE_LIMIT


def test_a_chrome_line_never_takes_the_next_paragraph() -> None:
    # "[^.,;]" in an entry also matches a line break: each line is matched alone.
    r = rule('kind = "line"\nfix = "unsafe"\nmessage = "{match}"\nlines = [\'click here(?: to [^.,;]{1,60})?\']\n')
    text = "Prices rose.\n\nClick here to read more\n\nThe lira fell\n\nClick here\n"
    assert [d.message for d in lint_text(text, [r])] == ["Click here to read more", "Click here"]
    assert fix_text(text, [r]) == "Prices rose.\n\nThe lira fell\n"
