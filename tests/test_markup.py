"""Markup readers: Markdown, HTML, reStructuredText and code comments.

The fixtures in tests/fixtures/markup run through the real CLI: their reports and their
text after ``--fix`` are in expected/ (``pytest --update-fixtures`` rewrites them; review
the diff). Only prose is flagged and fixed: code, links, tags, front matter and comment
markers come out byte for byte as they went in.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from copylint.config import Config, ConfigError
from copylint.engine import lint, select_rules
from copylint.fixer import fix_document
from copylint.markup import CodeReader, HtmlReader, MarkdownReader, RstReader, discoverable, document_for, file_type_for

FIXTURES = Path(__file__).parent / "fixtures" / "markup"
EXPECTED = FIXTURES / "expected"
CONFIG = FIXTURES / "copylint.toml"
ARTICLES = sorted(p for p in FIXTURES.iterdir() if p.is_file() and p != CONFIG)


def run_copylint(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "copylint", *args], capture_output=True, cwd=cwd, timeout=120,
                          text=True)


def check_expected(path: Path, actual: str, update: bool) -> None:
    if update:
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8"), f"differs from {path}"


@pytest.mark.parametrize("article", ARTICLES, ids=lambda p: p.name)
def test_fixture_report(article: Path, tmp_path: Path, request) -> None:
    shutil.copy(article, tmp_path)
    result = run_copylint("check", "--no-color", "--config", str(CONFIG), article.name, cwd=tmp_path)
    assert result.stderr == ""
    assert result.returncode == 1
    check_expected(EXPECTED / f"{article.name}.out", result.stdout, request.config.getoption("--update-fixtures"))


@pytest.mark.parametrize("article", ARTICLES, ids=lambda p: p.name)
def test_fixture_fix(article: Path, tmp_path: Path, request) -> None:
    copy = Path(shutil.copy(article, tmp_path))
    result = run_copylint("check", "--fix", "--config", str(CONFIG), article.name, cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    check_expected(EXPECTED / f"{article.name}.fixed", copy.read_text(encoding="utf-8"),
                   request.config.getoption("--update-fixtures"))


def test_markdown_article_reports_only_prose() -> None:
    """Code fences, inline code, link and image targets, titles and front matter hold the
    same slips as the prose; only the prose ones are reported."""
    report = (EXPECTED / "osh_floods.md.out").read_text(encoding="utf-8")
    lines = (FIXTURES / "osh_floods.md").read_text(encoding="utf-8").splitlines()
    flagged_lines = {int(line.split(":")[1]) for line in report.splitlines() if line.startswith("osh_floods.md:")}
    code_lines = {n for n, text in enumerate(lines, 1) if "recieve" in text or "indented_code" in text
                  or text.startswith(("slug:", "tags:", "[portal]", "|---"))}
    assert flagged_lines and not flagged_lines & code_lines


def test_pasted_paragraphs_with_links_or_emphasis_are_reported_but_code_is_not(tmp_path: Path) -> None:
    caption = "*Photo: Protesters gather outside the akimat in Almaty.*"
    linked = "Read the full statement on [the ministry site](https://gov.kz/statement) today."
    code = "```\nexport OSH_FLOODS=1 and run the script\n```"
    (tmp_path / "a.md").write_text("\n\n".join([caption, caption, linked, linked, code, code]) + "\n")
    report = run_copylint("check", "--select", "CL150", "a.md", cwd=tmp_path).stdout
    assert [line.split(" ")[0] for line in report.splitlines() if "CL150" in line] == ["a.md:3:1:", "a.md:7:1:"]


def test_html_words_touching_tags_are_checked_and_the_title_is_no_duplicate(tmp_path: Path) -> None:
    page = ("<html><head><title>Floods hit Osh as rivers rise accross the valley</title></head><body>"
            "<h1>Floods hit Osh as rivers rise accross the valley</h1><p>Rivvers rose overnight.</p></body></html>\n")
    (tmp_path / "a.html").write_text(page)
    report = run_copylint("check", "a.html", cwd=tmp_path).stdout
    assert [line.split(" ")[1] for line in report.splitlines() if line.startswith("a.html")] == ["CL201"] * 3
    assert "'Rivvers'" in report and "CL150" not in report


def test_html_word_split_by_a_tag_is_not_checked_in_pieces(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text("<p>Tok<em>ayev</em> spoke <span>acr</span>oss the hall. Rivvers rose<br>acrross it.</p>\n")
    report = run_copylint("check", "a.html", cwd=tmp_path).stdout
    assert [line.split(" ", 2)[2] for line in report.splitlines() if line.startswith("a.html")] == [
        "Unknown word 'Rivvers'; did you mean 'Rivers'? [*]", "Unknown word 'acrross'; did you mean 'across'? [*]"]


def test_web_chrome_inside_html_tags_is_reported_once(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text("<html><body><h1>Floods hit Osh</h1><p>Rivers rose.</p>"
                                     "<p>Share this article</p>\n<div>\nRelated stories\n</div></body></html>\n")
    report = run_copylint("check", "--select", "CL160", "a.html", cwd=tmp_path).stdout
    assert [line.split(" ", 2)[2] for line in report.splitlines() if line.startswith("a.html")] == [
        "Scraped web chrome: 'Share this article' (not fixed: it holds markup; delete it by hand)",
        "Scraped web chrome: 'Related stories'"]


# -- readers -------------------------------------------------------------------------------


def regions(reader, text: str) -> list[tuple[str, str]]:
    return [(r.kind, text[r.start : r.end]) for r in reader(text).regions]


def blocks(reader, text: str) -> list[str]:
    return [text[b.start : b.end] for b in reader(text).blocks]


def test_markdown_inline_regions_are_exact() -> None:
    text = "Read [the  report](https://a.org/x_(y) \"T\") and `a  b`, ![alt](p.png) &amp; <b>x</b> \\*.\n"
    assert regions(MarkdownReader(), text) == [
        ("markup", "["), ("url", '](https://a.org/x_(y) "T")'), ("code", "`a  b`"), ("markup", "!["),
        ("url", "](p.png)"), ("entity", "&amp;"), ("html", "<b>"), ("html", "</b>"), ("escape", "\\*"),
    ]


def test_markdown_blocks_are_paragraphs_headings_items_and_cells() -> None:
    text = "# Title #\n\nOne\nparagraph.\n\n- item\n> quoted\n\n| a | b |\n|---|---|\n| c | d |\n"
    assert blocks(MarkdownReader(), text) == ["Title", "One\nparagraph.", "item", "quoted", "a", "b", "c", "d"]


def test_markdown_front_matter_checks_only_configured_keys() -> None:
    text = "---\ntitle: Floods  in Osh\nslug: floods--osh\n---\nBody.\n"
    found = regions(MarkdownReader(("title",)), text)
    assert found == [("front-matter", "---\ntitle: "), ("front-matter", "\nslug: floods--osh\n---")]
    assert regions(MarkdownReader(), "+++\ntitle = \"x\"\n+++\nBody.\n") == [("front-matter", '+++\ntitle = "x"\n+++')]


def test_markdown_prices_are_not_math_but_math_is_skipped() -> None:
    assert regions(MarkdownReader(), "It cost $5 and $10, or $x^2$ here.\n") == [("math", "$x^2$")]


def test_markdown_with_crlf_line_endings() -> None:
    text = "Para  one\r\nline `two  x`\r\n\r\n```\r\nthe the\r\n```\r\n"
    assert regions(MarkdownReader(), text) == [("code", "`two  x`"), ("code", "```\r\nthe the\r\n```")]


def test_html_entities_map_to_exact_offsets() -> None:
    text = "<p>The mayor&rsquo;s office &amp; caf&eacute; staff.</p>"
    found = regions(HtmlReader(), text)
    assert ("entity", "mayor&rsquo;s") in found and ("entity", "&amp;") in found and ("entity", "caf&eacute;") in found
    assert blocks(HtmlReader(), text) == ["The mayor&rsquo;s office &amp; caf&eacute; staff."]


def test_html_skips_raw_elements_and_keeps_alt_and_title() -> None:
    text = '<p>See <code>a  b</code></p><img src="x  y.png" alt="A  flood" title=\'T\'><script>x  =  1</script>'
    found = regions(HtmlReader(), text)
    assert ("code", "a  b</code>") in found and ("code", "x  =  1</script>") in found
    assert ("html", '<img src="x  y.png" alt="') in found
    assert blocks(HtmlReader(), text) == ["See", "A  flood", "T"]


def test_rst_literals_directives_and_roles() -> None:
    text = ("Title\n=====\n\nUse ``a  b`` and :code:`c  d` and :emphasis:`real  prose`.\n\n"
            ".. code-block:: python\n\n   x  =  1\n\nExample::\n\n    the the\n\nAfter.\n")
    found = regions(RstReader(), text)
    assert ("code", "``a  b``") in found and ("code", ":code:`c  d`") in found
    assert ("code", ".. code-block:: python\n\n   x  =  1") in found and ("code", "    the the") in found
    assert blocks(RstReader(), text) == [
        "Title", "Use ``a  b`` and :code:`c  d` and :emphasis:`real  prose`.", "Example::", "After."]


def test_rst_tables_are_left_whole_so_fixes_cannot_break_their_padding(tmp_path: Path) -> None:
    grid = "+-------+-----------+\n| Key   | Meaning   |\n+=======+===========+\n| a     | first     |\n+-------+-----------+"
    simple = "=====  ==========\nName   Description\n=====  ==========\nosh    a city\n\nnaryn  a  town\n=====  =========="
    text = f"Intro.\n\n{grid}\n\n{simple}\n\nAfter  this.\n"
    assert [r for r in regions(RstReader(), text) if r[0] == "table"] == [("table", grid), ("table", simple)]
    (tmp_path / "a.rst").write_text(text)
    assert run_copylint("check", "--fix", "a.rst", cwd=tmp_path).returncode == 0
    assert (tmp_path / "a.rst").read_text() == text.replace("After  this.", "After this.")


def test_rst_figure_caption_is_prose_but_its_image_is_not() -> None:
    text = ".. figure:: images/osh_floods.jpg\n   :alt: Flooded street\n\n   Water  rose in Osh.\n"
    assert regions(RstReader(), text) == [("markup", ".. figure:: images/osh_floods.jpg"),
                                          ("markup", "   :alt: Flooded street")]
    assert blocks(RstReader(), text) == ["Water  rose in Osh."]


def test_code_reader_reads_comments_and_docstrings_with_crlf() -> None:
    text = '"""Module  doc."""\r\nx  =  1  # trailing  note\r\n// not python\r\n'
    assert blocks(CodeReader("python"), text) == ["Module  doc.", "trailing  note"]
    c_text = "/* Block\r\n * comment  here\r\n */\r\nint  x;\r\n"
    assert blocks(CodeReader("c"), c_text) == ["Block\r\n * comment  here"]


def test_consecutive_line_comments_form_one_block() -> None:
    text = "# one\n# two\n#\n# three\nx = 1  # four\n"
    assert blocks(CodeReader("python"), text) == ["one\n# two", "three", "four"]


# -- choosing a reader ---------------------------------------------------------------------


def test_file_types_from_extension_and_config(tmp_path: Path) -> None:
    default = Config()
    assert [file_type_for(Path(n), default) for n in ("a.md", "a.HTML", "a.rst", "a.txt", "README", "x.py")] == \
        ["markdown", "html", "rst", "text", "text", "python"]
    config = Config({"file-types": {"*.page": "markdown", "notes/*.txt": "rst"}}, tmp_path / ".copylint.toml")
    assert file_type_for(tmp_path / "a.page", config) == "markdown"
    assert file_type_for(tmp_path / "notes" / "b.txt", config) == "rst"
    with pytest.raises(ConfigError, match="file-types"):
        file_type_for(tmp_path / "a.x", Config({"file-types": {"*.x": "klingon"}}, tmp_path / ".copylint.toml"))


def test_code_files_are_walked_only_when_asked(tmp_path: Path) -> None:
    (tmp_path / "story.md").write_text("The talks  ended.\n")
    (tmp_path / "tool.py").write_text("# The talks  ended.\nx = 1\n")
    plain = run_copylint("check", "--no-color", ".", cwd=tmp_path)
    assert "story.md" in plain.stdout and "tool.py" not in plain.stdout
    with_code = run_copylint("check", "--no-color", "--include-code", ".", cwd=tmp_path)
    assert "tool.py:1:12: CL101" in with_code.stdout
    assert discoverable(tmp_path / "tool.py", Config({"include-code": True}), False)


# -- fixing never touches markup (property) ------------------------------------------------

SLIPS = ["  ", " , ", " the the ", " ", " $ 5 ", " they was ", "\u00a0 ", " ,"]
WORDS = ["Osh", "floods", "the", "mayor", "said", "roads", "reopened", "Bishkek", "Naryn", "on", "Tuesday"]
prose = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SLIPS)), min_size=1, max_size=8).map(
    lambda pairs: "".join(w + s for w, s in pairs).strip() + ".")
code_text = st.lists(st.sampled_from(WORDS + SLIPS + ["recieve_data()", "x__y", "a  =  b"]), min_size=1,
                     max_size=6).map("".join).filter(lambda t: "`" not in t and t.strip() and t == t.strip())
url = st.sampled_from(["https://a.org/x__y", "img/osh_.png", "https://e.kg/the_the?q=a,b"])
inline = st.one_of(
    prose,
    code_text.map(lambda c: f"`{c}`"),
    st.tuples(prose, url).map(lambda p: f"[{p[0]}]({p[1]})"),
    st.tuples(prose, url).map(lambda p: f"![{p[0]}]({p[1]} \"A  title ,\")"),
    url.map(lambda u: f"<{u}>" if u.startswith("http") else u),
)
paragraph = st.lists(inline, min_size=1, max_size=5).map(" ".join)
block = st.one_of(
    paragraph,
    paragraph.map(lambda p: "# " + p),
    paragraph.map(lambda p: "- " + p),
    paragraph.map(lambda p: "> " + p),
    st.lists(code_text, min_size=1, max_size=3).map(lambda lines: "```python\n" + "\n".join(lines) + "\n```"),
)
front_matter = st.one_of(st.just(""), code_text.map(lambda c: f"---\ntitle: {c}\nslug: {c}\n---\n\n"))
markdown = st.tuples(front_matter, st.lists(block, min_size=1, max_size=6)).map(lambda p: p[0] + "\n\n".join(p[1]) + "\n")
PROTECTED = ("code", "url", "front-matter", "math", "html", "entity", "escape")
RULES = select_rules([])


def protected(doc) -> list[str]:
    return [doc.text[r.start : r.end] for r in doc.reader(doc.text).regions if r.kind in PROTECTED]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markdown)
def test_fixing_markdown_never_changes_code_urls_or_front_matter(text: str) -> None:
    doc = document_for(text, "article.md")
    fixed = fix_document(doc, lambda d: lint(d, RULES), unsafe=True).document
    assert protected(fixed) == protected(doc)


pieces = st.sampled_from(list("ab \n\t*_`[]()<>!#-+|$\\&;:.=~\"'") + [
    "&amp;", "&eacute;", "```", "<!--", "-->", "http://x.y", "    ", "1. ", "> ", "| a |", "\n|---|\n",
    "[x]: /u\n", "<b>", "$$", "~~", "**", "---\n", ".. ", "::", "# ", "/*", "*/", '"""'])
readers = st.sampled_from([MarkdownReader(("title",)), HtmlReader(), RstReader(), CodeReader("python"),
                           CodeReader("c")])


@settings(max_examples=300, deadline=None)
@given(st.lists(pieces, max_size=60).map("".join), readers)
def test_readers_accept_any_text_and_stay_inside_it(text: str, reader) -> None:
    layout = reader(text)
    assert all(0 <= span.start < span.end <= len(text) for span in (*layout.regions, *layout.blocks))
