"""The token-pattern kind and the grammar pack as a whole (each rule's own examples run
in test_rule_examples.py)."""

from __future__ import annotations

import pytest

from copylint.document import Document
from copylint.engine import DEFAULT_SETTINGS, RuleError, all_rules, find_rule, lint, load_pack
from copylint.grammar import sentence_tokens
from tests.helpers import fix_text, lint_text

GRAMMAR = [rule for rule in all_rules() if rule.code.startswith("CL4")]
SAFE = {"CL408", "CL430", "CL462"}  # fixes proven right by their examples and the BBC run


def pack(rule: str, classes: str = "") -> list:
    text = f"[classes]\n{classes}\n[[rule]]\ncode = 'CL499'\nname = 'test-rule'\nkind = 'token-pattern'\n" \
           f"description = 'A test.'\n{rule}\n"
    return load_pack(text, "test.toml")


def spans(rules: list, text: str) -> list[str]:
    return [text[d.start : d.end] for d in lint(Document(text), rules)]


def test_pack_size_and_fix_safety():
    assert len(GRAMMAR) >= 40
    assert {r.code for r in GRAMMAR if r.applicability == "safe"} == SAFE
    assert all(r.kind == "token-pattern" for r in GRAMMAR)


def test_grammar_rules_stay_out_of_quoted_speech_by_default():
    assert not any(rule.in_quotes for rule in GRAMMAR)
    rules = [find_rule("CL430")]
    assert lint_text('He said: "We could of won." Others could of won too.', rules)[0].start > 30
    (rule,) = pack("tokens = ['could', 'of']\nin-quotes = true")
    assert len(lint_text('"We could of won."', [rule])) == 1


def test_matchers_words_classes_regex_and_exact_case():
    rules = pack("tokens = ['=A|big', '@animal', '/[0-9]+/']", "animal = ['cat', 'dog*']")
    assert spans(rules, "A cat 12 and big dogs 7 but a cat 3 and big cow 5") == ["A cat 12", "big dogs 7"]


def test_negation_conjunction_and_repetition():
    rules = pack("tokens = ['the', '/\\p{Ll}+/ & !very{0,2}', 'end']")
    assert spans(rules, "the end, the dark end, the very end") == ["the end", "the dark end"]


def test_sentence_start_and_midcap():
    rules = pack("tokens = ['<s>', 'so']\nmark = [2, 2]")
    assert spans(rules, "So it goes. It was so. So be it") == ["So", "So"]
    (midcap,) = pack("tokens = ['@midcap']")
    assert spans([midcap], "Police said Bishkek was calm.") == ["Bishkek"]


def test_antipattern_cancels_overlapping_match_only():
    rules = pack("tokens = ['could', 'of']\nantipatterns = [['of', 'course']]")
    assert spans(rules, "He could of course go, and could of gone.") == ["could of"]


def test_replacement_template_uses_tokens_maps_and_case():
    rules = pack("tokens = ['has', '@participle']\nmark = [2, 2]\nreplacement = '{2:participle}'\n"
                 "message = 'Use {replacement}, not {2}'", "participle = { went = 'gone' }")
    assert fix_text("It has went.", rules) == "It has gone."
    (found,) = lint_text("It has went.", rules)
    assert found.message == "Use gone, not went"
    sentence_start = pack("tokens = ['its', 'a']\nmark = [1, 1]\nreplacement = \"it's\"")
    assert fix_text("Its a deal. Later its a deal.", sentence_start) == "It's a deal. Later it's a deal."


def test_matches_do_not_cross_sentences_or_paragraphs():
    rules = pack("tokens = ['could', 'of']")
    assert spans(rules, "Nobody could\n\nOf course not.") == []
    assert sentence_tokens(Document("One. Two"), 1)[0].boundary


@pytest.mark.parametrize("rule, problem", [
    ("tokens = []", "empty token pattern"),
    ("tokens = ['@nothing']", "unknown word class"),
    ("tokens = ['/(/']", "rule CL499"),
    ("tokens = ['a']\nmark = [1, 2]", "mark must be"),
    ("tokens = ['a']\nreplacement = '{1:nomap}'", "unknown map"),
    ("tokens = ['so', '<s>']", "may only open"),
])
def test_malformed_rules_fail_loudly(rule, problem):
    with pytest.raises(RuleError, match=problem):
        pack(rule)


def test_doubled_words_are_not_reported_twice_with_cl130():
    """CL130 (repeated-word) owns identical pairs; the grammar pack reports only those
    CL130 leaves out ("is is") and pairs of different words."""
    repeated = find_rule("CL130")
    both = [repeated, *GRAMMAR]
    for text in ("He went to to Osh.", "It was was late.", "The road is is closed.", "The road is was closed."):
        assert len(lint_text(text, both)) == 1, text
    for doubled in (find_rule("CL470"),):
        word = doubled.spec["tokens"][0]
        assert word in repeated.exceptions


@pytest.mark.parametrize("text", [
    "An MP from the SNP met a UN envoy and an NHS manager at a European summit.",
    "It was a one-off, an honour and a unique event for a university in Almaty.",
    "The club, which had had a poor run, said it would sign a new player if it could.",
    "Few details about it have been released, but he and she have left for Tashkent.",
    "One of the men was charged; the number of people is rising, police said.",
    "Residents have more than enough; it is better than last year, and then it rained.",
])
def test_clean_news_sentences_are_not_flagged(text):
    assert lint_text(text, GRAMMAR) == []


# Slips and near-slips in the clothes that make finding them in raw text hard: capitals,
# typographic apostrophes, brackets and quotes, digits and tabs next to words, line
# breaks, non-ASCII letters, the Kelvin sign (whose lower case is "k") and dotted I.
TRICKY = [
    "Officials in Osh said a 8-point plan, an 11-year wait and a MP's car were a UN matter.",
    "“According the mayor,” she said, “they was late.” (A hour later, an honest man came.)",
    "Farmers in Khujand listened the radio\tbecause the rain, and the bus didn’t went.",
    "It’s own budget rose; its a fact, and their is no doubt.\nHe have left; I is here.",
    "In front the embassy in Taraz, a European union and an US envoy met for a one-off.",
    "Glued: a1, an8, a8m loss, (a hour), [an hour], —a honest, \"a information\", a\u00e9t\u00e9, caf\u00e9 an.",
    "(She go to Dushanbe on Fridays.) “He have left,” aides said. 'It seem late,' one added.",
    "These \u212aind of cars were sold. \u0130n front the gate, a \u212aazakh team won.",
]


def test_pack_rules_share_one_scan():
    assert len({id(rule.pack) for rule in GRAMMAR}) == 1


def flags_as_if_tried_everywhere(rules: list, doc: Document) -> int:
    """The scan for anchors may only save time: each rule reports exactly what it would if
    a match were tried at every token of every sentence. Returns the number of flags."""
    flagged = 0
    for rule in rules:
        everywhere = list(rule._diagnostics(doc, rule._every_start(doc)))
        assert list(rule.check(doc, DEFAULT_SETTINGS)) == everywhere, rule.code
        flagged += len(everywhere)
    return flagged


@pytest.mark.parametrize("clothes", [str, str.upper, lambda t: t.replace("'", "’"), lambda t: t.replace(" ", "\n")])
def test_anchored_search_finds_what_trying_every_token_finds(clothes):
    examples = [e.text for rule in GRAMMAR for kind in ("incorrect", "correct") for e in rule.examples[kind]]
    assert flags_as_if_tried_everywhere(GRAMMAR, Document(clothes("\n\n".join(examples + TRICKY)))) > len(GRAMMAR)


@pytest.mark.parametrize("clothes", [str, str.upper, lambda t: t.replace("'", "’"),
                                     lambda t: t.replace(" ", "\u00a0"), lambda t: t.replace(" ", " \x1c")])
def test_walking_the_trie_finds_what_the_compiled_search_finds(clothes):
    """A scan walks a trie over its first texts rather than compile its expression; both
    must find the same first words in the same places."""
    scan = GRAMMAR[0].pack.scan
    examples = [e.text for rule in GRAMMAR for kind in ("incorrect", "correct") for e in rule.examples[kind]]
    folded = Document(clothes("\n\n".join(examples + TRICKY))).folded
    walked = list(scan._walk(folded))
    assert walked == list(scan._search(folded)) and len(walked) > len(GRAMMAR)


def test_anchors_that_open_with_a_prefix_or_a_word_it_covers():
    rules = pack("tokens = ['@span', 'ago|later']", "span = ['hour*', 'hours', 'min', 'minute*']")
    text = "An hour later, two hours ago, hourly later, minutes ago, a min later, min-later, Hours ago."
    assert spans(rules, text) == ["hour later", "hours ago", "hourly later", "minutes ago", "min later", "Hours ago"]
    assert flags_as_if_tried_everywhere(rules, Document(text)) == 6


def test_a_an_rules_leave_stray_articles_and_haitch_initialisms_alone():
    """A stray article before a function word is not a question of "a" or "an" (its
    suggestion would be wrong), and "a HD" and "an HD" are both British usage."""
    articles = [rule for rule in GRAMMAR if rule.code.startswith("CL42") and rule.code <= "CL425"]
    for text in ("It was a on a loan deal.", "They met an to the point envoy.", "They formed a HD forum.",
                 "They formed an HD forum.", "She took a HIV test.", "She took an HIV test."):
        assert lint_text(text, articles) == [], text
    for text in ("She became a honorary professor.", "The talks lasted a hour.", "It was a election."):
        assert len(lint_text(text, articles)) == 1, text


def test_noun_number_maps_are_each_others_inverse():
    """The singular and plural noun maps feed rules that go both ways ("several reason",
    "every days"): each singular's plural maps back to it."""
    classes = find_rule("CL419").classes
    singular, plural = classes["singular-noun"].map, classes["plural-noun"].map
    assert all(plural.get(many) == one for one, many in singular.items())


def test_a_plural_class_is_derived_from_a_list_of_singulars():
    rules = pack("tokens = ['a', 'lot', '@nouns']\nmark = [3, 3]\nreplacement = '{3:nouns}'",
                 "noun = ['worker', 'tax', 'city', 'policy']\nnouns = 'plural of noun'")
    text = "a lot workers, a lot taxes, a lot cities, a lot policies, a lot worker"
    assert spans(rules, text) == ["workers", "taxes", "cities", "policies"]
    assert fix_text(text, rules) == "a lot worker, a lot tax, a lot city, a lot policy, a lot worker"


@pytest.mark.parametrize("derived", ["'plural of nothing'", "'past of noun'", "'noun'"])
def test_a_malformed_derived_class_fails_loudly(derived):
    with pytest.raises(RuleError, match="is not '<built-in map> of <listed class>'"):
        pack("tokens = ['@nouns']", f"noun = ['worker']\nnouns = {derived}")


def test_plural_map_inflects_nouns_a_listed_map_lacks():
    rules = pack("tokens = ['two', '@noun|@other']\nmark = [2, 2]\nreplacement = '{2:noun|plural}'",
                 "noun = { child = 'children' }\nother = ['retailer', 'tax', 'city', 'day']")
    assert fix_text("two child, two retailer, two tax, two city, two day", rules) == \
        "two children, two retailers, two taxes, two cities, two days"


def test_unfixable_context_keeps_the_report_but_drops_the_fix():
    rules = pack("tokens = ['each', 'students']\nmark = [2, 2]\nreplacement = 'student'\n"
                 "unfixable = [['each', '@any', 'arrive']]")
    found = lint_text("Each students arrive. Each students left.", rules)
    assert [d.fix is None for d in found] == [True, False]
    assert fix_text("Each students arrive. Each students left.", rules) == "Each students arrive. Each student left."
