"""The document model: decoding, offsets, structure, quotations and skipped regions."""

from __future__ import annotations

import pytest

from copylint.document import Document, DocumentError, Span


def test_positions_are_one_based_and_count_characters() -> None:
    doc = Document("Ürümqi\r\nsecond line\nthird")
    assert doc.position(0) == (1, 1)
    assert doc.position(6) == (1, 7)
    assert doc.position(8) == (2, 1)
    assert doc.position(len(doc.text)) == (3, 6)
    assert [doc.text[s.start : s.end] for s in doc.lines] == ["Ürümqi", "second line", "third"]


def test_utf16_with_its_encoding_round_trips() -> None:
    data = "Tengri\r\nSky.\r\n".encode("utf-16")
    doc = Document.from_bytes(data, "a.txt", "utf-16")
    assert doc.text == "Tengri\r\nSky.\r\n" and doc.encode() == data


def test_decoding_keeps_bom_and_line_endings() -> None:
    data = "\ufeffHeadline\r\n\r\nBody ü.\r\n".encode("utf-8")
    doc = Document.from_bytes(data, "a.txt")
    assert doc.bom and doc.text.startswith("Headline") and doc.newline == "\r\n"
    assert doc.encode() == data


@pytest.mark.parametrize("data, message", [
    (b"caf\xe9", "a.txt: not UTF-8 (invalid byte 0xe9 at byte 3); pass --encoding"),
    (b"\x00\x01PNG", "a.txt: binary file (contains NUL bytes); not checked"),
    ("Tengri".encode("utf-16"), "a.txt: UTF-16 text (it starts with a UTF-16 byte order mark); pass --encoding utf-16"),
])
def test_undecodable_input_is_refused_with_a_clear_message(data: bytes, message: str) -> None:
    with pytest.raises(DocumentError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        Document.from_bytes(data, "a.txt")


def test_explicit_encoding() -> None:
    doc = Document.from_bytes("caf\xe9".encode("cp1252"), "a.txt", "cp1252")
    assert doc.text == "café" and doc.encode() == b"caf\xe9"
    with pytest.raises(DocumentError, match="unknown encoding 'klingon'"):
        Document.from_bytes(b"x", "a.txt", "klingon")


def test_paragraphs_are_blank_line_separated_and_trimmed() -> None:
    doc = Document("Headline\n\n  First para\nstill first.  \n \nSecond.\n")
    assert [doc.text[p.start : p.end] for p in doc.paragraphs] == ["Headline", "First para\nstill first.", "Second."]
    assert doc.paragraph_texts[1] == "First para still first."


def test_sentences_skip_abbreviations_and_initials() -> None:
    text = "Mr. Smith met J. R. Ewing in the U.S. on Monday. He left at 10.30 a.m. Then it rained! Yes."
    doc = Document(text)
    assert [text[s.start : s.end] for s in doc.sentences] == [
        "Mr. Smith met J. R. Ewing in the U.S. on Monday.", "He left at 10.30 a.m. Then it rained!", "Yes.",
    ]
    assert doc.is_sentence_start(text.index("He"))
    assert not doc.is_sentence_start(text.index("Smith"))


def test_a_bulleted_or_heading_line_opens_a_sentence() -> None:
    text = "The budget:\n- Raised pensions\n* Cut fuel duty\n## Reaction\nwrapped line Here"
    doc = Document(text)
    assert [text[s.start : s.end].strip() for s in doc.sentences] == [
        "The budget:", "- Raised pensions", "* Cut fuel duty", "## Reaction\nwrapped line Here"]
    assert all(doc.is_sentence_start(text.index(word)) for word in ("Raised", "Cut", "Reaction"))
    assert not doc.is_sentence_start(text.index("Here"))


def test_words_and_folded_text_keep_offsets() -> None:
    doc = Document("İstanbul's mayor didn't stay")
    assert [w.text for w in doc.words] == ["İstanbul's", "mayor", "didn't", "stay"]
    assert all(doc.text[w.start : w.end] == w.text for w in doc.words)
    assert len(doc.folded) == len(doc.text) and doc.folded.endswith("mayor didn't stay")


def test_quotations_pair_within_paragraphs() -> None:
    text = 'He said “we stay” and "they go".\n\n“An open quote runs on\n\nNew para.'
    doc = Document(text)
    assert [text[q.start : q.end] for q in doc.quotations] == ["we stay", "they go", "An open quote runs on"]
    assert doc.in_quotation(text.index("stay"), text.index("stay") + 4)
    assert not doc.in_quotation(text.index("He"), text.index("He") + 2)


def test_quotation_marks_written_as_character_references_pair_too() -> None:
    text = "<p>She said &ldquo;C&rsquo;est un festival&rdquo; and &#171;bon&#187;.</p>"
    assert [text[q.start : q.end] for q in Document(text).quotations] == ["C&rsquo;est un festival", "bon"]


@pytest.mark.parametrize("address", [
    "https://example.com/a_b.html?x=1", "www.bbc.co.uk/news", "press@kabar.kg", "akipress.org", "Example.COM",
])
def test_urls_emails_and_domains_are_skipped(address: str) -> None:
    text = f"See {address}, then call."
    doc = Document(text)
    start = text.index(address)
    assert [(r.start, r.end) for r in doc.skipped_regions] == [(start, start + len(address))]
    assert doc.is_skipped(start + 1, start + 2)
    assert not doc.is_skipped(0, 3)


def test_decimal_numbers_and_abbreviations_are_not_addresses() -> None:
    assert Document("Growth was 2.5% in the U.S. and e.g. Japan.").skipped_regions == []


def test_span_helpers() -> None:
    assert Span(2, 5).contains(3, 5) and not Span(2, 5).contains(1, 3)
    assert Span(2, 5).overlaps(4, 9) and not Span(2, 5).overlaps(5, 9)


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_lines_and_paragraphs_do_not_depend_on_the_line_ending(newline: str) -> None:
    text = "Headline\n\n \t\nFirst para,\nstill first.\n\n\nSecond.\n".replace("\n", newline)
    doc = Document(text)
    assert [text[p.start : p.end] for p in doc.paragraphs] == [
        "Headline", f"First para,{newline}still first.", "Second."]
    assert [text[s.start : s.end] for s in doc.lines] == [
        "Headline", "", " \t", "First para,", "still first.", "", "", "Second.", ""]
    assert doc.position(text.index("Second")) == (8, 1)
