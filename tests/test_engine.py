"""The engine's cache of parsed rule packs, and where caches are kept."""

from __future__ import annotations

import sys

import pytest

from copylint import engine

PACK = '[[rule]]\ncode = "T001"\nname = "t"\n'


@pytest.fixture
def packs_in(monkeypatch, tmp_path):
    """Rule packs read from a list that a test may change, cached under tmp_path."""
    files = [("mini.toml", PACK)]
    monkeypatch.setenv("COPYLINT_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(engine, "rule_pack_files", lambda: list(files))
    engine._shipped_packs.cache_clear()
    yield files
    engine._shipped_packs.cache_clear()  # the shipped packs again for the tests that follow


def packs() -> dict:
    engine._shipped_packs.cache_clear()
    return engine._shipped_packs()


def test_parsed_packs_are_cached_and_reread(packs_in, tmp_path, monkeypatch) -> None:
    assert packs() == {"mini.toml": {"rule": [{"code": "T001", "name": "t"}]}}
    assert (tmp_path / "rule-packs.marshal").is_file()

    def no_parsing(text, source):
        raise AssertionError("parsed again")

    monkeypatch.setattr(engine, "_parse_pack", no_parsing)
    assert packs()["mini.toml"]["rule"][0]["code"] == "T001"


def test_a_changed_pack_or_damaged_cache_is_parsed_again(packs_in, tmp_path) -> None:
    packs()
    packs_in[0] = ("mini.toml", PACK.replace("T001", "T002"))
    assert packs()["mini.toml"]["rule"][0]["code"] == "T002"
    (tmp_path / "rule-packs.marshal").write_bytes(b"\x00damaged")
    assert packs()["mini.toml"]["rule"][0]["code"] == "T002"
    assert packs()["mini.toml"]["rule"][0]["code"] == "T002"  # and the cache was written again


def test_packs_are_parsed_without_a_cache_folder(packs_in, monkeypatch, tmp_path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder would be")
    monkeypatch.setenv("COPYLINT_CACHE_DIR", str(blocked / "copylint"))
    assert packs()["mini.toml"]["rule"][0]["code"] == "T001"


def test_a_pack_marshal_cannot_hold_is_still_read(packs_in) -> None:
    packs_in[0] = ("mini.toml", "date = 2024-05-01\n" + PACK)
    assert str(packs()["mini.toml"]["date"]) == "2024-05-01"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the XDG folders are the Linux default")
def test_cache_root_follows_xdg_like_platformdirs(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv("COPYLINT_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert engine.cache_root() == tmp_path / "copylint"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert engine.cache_root() == tmp_path / ".cache" / "copylint"
    monkeypatch.setenv("COPYLINT_CACHE_DIR", str(tmp_path / "mine"))
    assert engine.cache_root() == tmp_path / "mine"


def test_two_rules_offering_one_fix_for_one_span_make_one_report():
    from copylint.document import Document

    rules = engine.select_rules([engine.Selection(select=("CL202", "CL416"))])
    found = engine.lint(Document("They came aswell, and left."), rules, engine.Settings(values={"dialect": "en-GB"}))
    assert [(d.code, d.fix.edits[0].replacement) for d in found] == [("CL202", "as well")]


def test_a_report_without_a_fix_yields_to_one_with_a_fix_for_the_same_span():
    from copylint.document import Document

    rules = engine.select_rules([engine.Selection(select=("CL201", "CL301"))])
    text = "Britian will send aid. Officials in Britain said so."
    found = engine.lint(Document(text), rules, engine.Settings())
    assert [(d.code, text[d.start:d.end]) for d in found] == [("CL201", "Britian")]
    only_names = engine.lint(Document(text), engine.select_rules([engine.Selection(select=("CL301",))]), engine.Settings())
    assert [(d.code, d.fix) for d in only_names] == [("CL301", None)]  # alone, the tie is reported
