"""Property tests on arbitrary text: checking never crashes, fixes stay inside the text,
offsets match the reported text, and fixing converges and is idempotent."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from copylint.document import Document
from copylint.engine import all_rules, lint
from copylint.fixer import fix_document

RULES = [rule for rule in all_rules() if rule.enabled]

# Pieces that provoke the rules: words, names, spaces of every kind, punctuation,
# quotes, symbols and mojibake, glued together at random.
PIECES = st.sampled_from([
    "the", "The", "said", "Kabar", "U.S.", "e.g.", "Almaty", "riot,s", "it", "had", " ", "  ", "\u00a0", "\t",
    "\n", "\n\n", "\n\n\n", "\r\n", ".", ",", " ,", ";", "?", "!", "(", ")", "“", "”", '"', "'", "’", "$", "£",
    "%", "50", "2.5", "â€™", "Ã©", "\u200b", "\u00ad", "Share this article", "http://example.com/a.b", "x@y.org",
    "Advertisement", "...", "-", "—", "TK",
    "*", "_", "**", "accross", "politicalchange", "crosscourt", "Olly", "Labar", "a video", "footage", "Becuase",
])
TEXTS = st.one_of(
    st.lists(PIECES, max_size=40).map("".join),
    st.text(max_size=200),
)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(TEXTS)
def test_diagnostics_point_into_the_text(text: str) -> None:
    doc = Document(text)
    for diagnostic in lint(doc, RULES):
        assert 0 <= diagnostic.start <= diagnostic.end <= len(text)
        line, column = doc.position(diagnostic.start)
        assert doc.line_starts[line - 1] + column - 1 == diagnostic.start
        if diagnostic.fix is not None:
            for edit in diagnostic.fix.edits:
                assert 0 <= edit.start <= edit.end <= len(text)


@SETTINGS
@given(TEXTS, st.booleans())
def test_fixing_converges_and_is_idempotent(text: str, unsafe: bool) -> None:
    def run(doc: Document):
        return lint(doc, RULES)

    fixed = fix_document(Document(text), run, unsafe)
    assert not any(d.fix and (unsafe or d.fix.applicability == "safe") for d in fixed.remaining)
    again = fix_document(Document(fixed.text), run, unsafe)
    assert again.text == fixed.text
    assert again.applied == 0
