"""The real command line, run in subprocesses: exit codes, errors, formats, config."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from tests.test_fixtures import run_copylint

BAD = "The minister  said.The talks in the the capital ended , officials said.\n"
GOOD = "The minister said. The talks in the capital ended, officials said.\n"


@pytest.fixture()
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(BAD, encoding="utf-8")
    return path


def test_clean_file_exits_zero(tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_text(GOOD)
    result = run_copylint("check", "ok.txt", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.decode() == "No issues found.\n"


def test_text_format_and_summary(article: Path) -> None:
    result = run_copylint("check", article.name, cwd=article.parent)
    assert result.returncode == 1
    lines = result.stdout.decode().splitlines()
    assert lines[0] == "article.txt:1:13: CL101 Use one space, not 2 [*]"
    assert lines[-1] == "Found 4 issues (4 fixable with --fix)."


def test_fix_writes_and_reports_what_is_left(article: Path) -> None:
    result = run_copylint("check", "--fix", article.name, cwd=article.parent)
    assert article.read_text() == GOOD
    assert result.returncode == 0
    assert "Fixed 4 issues." in result.stdout.decode()


def test_fix_keeps_file_mode(article: Path) -> None:
    article.chmod(0o640)
    run_copylint("check", "--fix", article.name, cwd=article.parent)
    assert stat.S_IMODE(article.stat().st_mode) == 0o640
    assert [p.name for p in article.parent.iterdir()] == ["article.txt"], "no temporary file left behind"


def test_diff_writes_nothing(article: Path) -> None:
    result = run_copylint("check", "--diff", article.name, cwd=article.parent)
    assert article.read_text() == BAD
    assert result.returncode == 1
    diff = result.stdout.decode()
    assert diff.startswith("--- a/article.txt\n+++ b/article.txt\n")
    assert "+" + GOOD in diff


def test_stdin_fix_goes_to_stdout(tmp_path: Path) -> None:
    result = run_copylint("check", "--fix", "-", "--stdin-filename", "story.txt", cwd=tmp_path, stdin=BAD.encode())
    assert result.stdout.decode() == GOOD
    assert "Fixed 4 issues." in result.stderr.decode()


def test_stdin_reports_under_its_name(tmp_path: Path) -> None:
    result = run_copylint("check", "-", "--stdin-filename", "story.txt", cwd=tmp_path, stdin=BAD.encode())
    assert result.stdout.decode().startswith("story.txt:1:13: CL101")


@pytest.mark.parametrize("args, message", [
    (["check", "missing.txt"], "copylint: error: missing.txt: no such file or directory"),
    (["check", "--select", "XX9", "a.txt"], "copylint: error: unknown rule code or prefix 'XX9'"),
    (["check", "--nonsense"], "copylint: error: No such option '--nonsense'"),
    (["check", "--format", "yaml", "a.txt"], "copylint: error: Invalid value for '--format'"),
    (["explain", "CL999"], "copylint: error: no rule 'CL999'"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "a.txt").write_text(GOOD)
    result = run_copylint(*args, cwd=tmp_path)
    assert result.returncode == 2
    stderr = result.stderr.decode()
    assert stderr.startswith(message)
    assert stderr.count("\n") == 1 and "Traceback" not in stderr


def test_other_files_are_still_checked_after_an_error(tmp_path: Path, article: Path) -> None:
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02text")
    (tmp_path / "latin1.txt").write_bytes("caf\xe9 costs \xa35".encode("latin-1"))
    result = run_copylint("check", "binary.txt", "latin1.txt", "article.txt", cwd=tmp_path)
    assert result.returncode == 2
    stderr = result.stderr.decode().splitlines()
    assert stderr[0] == "copylint: error: binary.txt: binary file (contains NUL bytes); not checked"
    assert stderr[1].startswith("copylint: error: latin1.txt: not UTF-8 (invalid byte 0xe9 at byte 3)")
    assert "article.txt:1:13: CL101" in result.stdout.decode()


def test_encoding_option_reads_and_keeps_the_encoding(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("The caf\xe9  costs \xa35.\n".encode("latin-1"))
    result = run_copylint("check", "--fix", "--encoding", "latin-1", "latin1.txt", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert path.read_bytes() == "The caf\xe9 costs \xa35.\n".encode("latin-1")


def test_directories_skip_hidden_excluded_and_non_prose(tmp_path: Path) -> None:
    for name in ["a.txt", "notes.md", "script.py", ".hidden/b.txt", "drafts/c.txt", "keep/d.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(BAD)
    (tmp_path / ".copylint.toml").write_text('exclude = ["drafts/"]\n')
    result = run_copylint("check", "--statistics", "--format", "json", ".", cwd=tmp_path)
    report = json.loads(run_copylint("check", "--format", "json", ".", cwd=tmp_path).stdout)
    assert sorted(f["path"] for f in report["files"]) == ["a.txt", "keep/d.txt", "notes.md"]
    assert result.returncode == 1


def test_config_select_ignore_and_per_file_ignores(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.copylint]\nignore = ["CL101"]\n[tool.copylint.per-file-ignores]\n"wire/*.txt" = ["CL13"]\n'
    )
    (tmp_path / "wire").mkdir()
    (tmp_path / "wire" / "a.txt").write_text(BAD)
    (tmp_path / "b.txt").write_text(BAD)
    report = json.loads(run_copylint("check", "--format", "json", ".", cwd=tmp_path).stdout)
    codes = {f["path"]: [d["code"] for d in f["diagnostics"]] for f in report["files"]}
    assert codes == {"b.txt": ["CL111", "CL130", "CL110"], "wire/a.txt": ["CL111", "CL110"]}
    selected = json.loads(run_copylint("check", "--format", "json", "--select", "CL101,CL130", "b.txt", cwd=tmp_path).stdout)
    assert [d["code"] for d in selected["files"][0]["diagnostics"]] == ["CL101", "CL130"]
    # per-file-ignores hold under --select
    selected = json.loads(run_copylint("check", "--format", "json", "--select", "CL13", "wire/a.txt", cwd=tmp_path).stdout)
    assert selected["files"][0]["diagnostics"] == []


def test_force_exclude_skips_named_excluded_files_and_the_words_file_is_never_an_article(tmp_path: Path) -> None:
    (tmp_path / ".copylint.toml").write_text('exclude = ["drafts/"]\nwords-file = "words.txt"\n')
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "wip.txt").write_text(BAD)
    (tmp_path / "words.txt").write_text("# copylint vocab: 1 unknown word\nZhaksylyk\n")
    (tmp_path / "a.txt").write_text(GOOD)
    assert run_copylint("check", ".", cwd=tmp_path).returncode == 0  # walking skips drafts/ and words.txt
    assert run_copylint("check", "drafts/wip.txt", cwd=tmp_path).returncode == 1  # named: checked
    result = run_copylint("check", "--force-exclude", "drafts/wip.txt", "words.txt", "a.txt", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    # Standard input goes by its --stdin-filename; fixing, it comes back as it was.
    piped = run_copylint("check", "--fix", "--force-exclude", "--stdin-filename", "drafts/new.txt", "-",
                         cwd=tmp_path, stdin=BAD.encode())
    assert piped.returncode == 0 and piped.stdout == BAD.encode()


def test_bad_file_type_while_walking_is_one_line_and_exit_2(tmp_path: Path) -> None:
    (tmp_path / ".copylint.toml").write_text('[file-types]\n"*.page" = "markdwon"\n')
    (tmp_path / "a.page").write_text(GOOD)
    result = run_copylint("check", ".", cwd=tmp_path)
    assert result.returncode == 2 and "markdwon" in result.stderr.decode()
    assert result.stderr.decode().count("\n") == 1 and b"Traceback" not in result.stderr


def test_a_nested_configuration_extends_its_parent(tmp_path: Path) -> None:
    (tmp_path / ".copylint.toml").write_text('dialect = "en-GB"\nignore = ["CL160"]\nwords = ["kloopers"]\n'
                                             'exclude = ["wire/drafts/"]\n')
    (tmp_path / "wire" / "drafts").mkdir(parents=True)
    (tmp_path / "wire" / ".copylint.toml").write_text('extend = "../.copylint.toml"\ndialect = "en-US"\nwords = ["zhaksy"]\n')
    text = "The color of the kloopers' zhaksy flag.\n\nShare this article\n\nThe colour changed.\n"
    (tmp_path / "wire" / "a.txt").write_text(text)
    (tmp_path / "wire" / "drafts" / "b.txt").write_text(BAD)
    report = json.loads(run_copylint("check", "--format", "json", ".", cwd=tmp_path).stdout)
    # American here, the parent's ignore and words kept, both files' words, the parent's exclude
    assert [(f["path"], [(d["code"], d["text"]) for d in f["diagnostics"]]) for f in report["files"]] == [
        ("wire/a.txt", [("CL204", "colour")])]
    (tmp_path / ".copylint.toml").write_text('extend = "wire/.copylint.toml"\n')
    result = run_copylint("check", "wire/a.txt", cwd=tmp_path)
    assert result.returncode == 2 and "'extend' goes round in a circle" in result.stderr.decode()


def test_rule_options_in_config(tmp_path: Path) -> None:
    (tmp_path / ".copylint.toml").write_text('[rules.percent-spacing]\nstyle = "spaced"\n')
    (tmp_path / "a.txt").write_text("Prices rose 5% this year.\n")
    result = run_copylint("check", "a.txt", cwd=tmp_path)
    assert "CL121 Put a non-breaking space before '%'" in result.stdout.decode()


@pytest.mark.parametrize("config, message", [
    ('colour = "red"\n', "unknown key 'colour'"),
    ('dialect = "en-AU"\n', "dialect must be one of"),
    ('[rules.CL121]\nwidth = 3\n', "rule CL121 has no option 'width'"),
    ('[rules.percent-spacing]\nstyle = "loose"\n', "rule CL121 option 'style' must be one of 'attached', 'spaced'"),
    ('[rules.nonexistent]\nstyle = "loose"\n', "[rules.nonexistent] names no rule"),
    ('select = "CL1"\n', "'select' must be a list"),
    ('select = [\n', "invalid TOML"),
    ('select = ["CL9"]\n', "select: unknown rule code or prefix 'CL9'"),
    ('ignore = ["CL101", "XYZ"]\n', "ignore: unknown rule code or prefix 'XYZ'"),
    ('[per-file-ignores]\n"*.txt" = "CL101"\n', "per-file-ignores '*.txt' must be a list of rule codes"),
    ('[per-file-ignores]\n"*.txt" = ["CL9999"]\n', "per-file-ignores '*.txt': unknown rule code or prefix 'CL9999'"),
])
def test_bad_config_is_one_line_and_exit_2(tmp_path: Path, config: str, message: str) -> None:
    (tmp_path / ".copylint.toml").write_text(config)
    (tmp_path / "a.txt").write_text(GOOD)
    result = run_copylint("check", "a.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr.decode() and result.stderr.decode().count("\n") == 1


def test_exit_zero_and_quiet(article: Path) -> None:
    result = run_copylint("check", "--exit-zero", "--quiet", article.name, cwd=article.parent)
    assert result.returncode == 0
    assert result.stdout.decode() == "Found 4 issues (4 fixable with --fix).\n"


def test_statistics(article: Path) -> None:
    result = run_copylint("check", "--statistics", article.name, cwd=article.parent)
    assert result.stdout.decode().splitlines()[0].split() == ["1", "CL101", "multiple-spaces", "[*]"]


def test_json_format_shape(article: Path) -> None:
    report = json.loads(run_copylint("check", "--format", "json", article.name, cwd=article.parent).stdout)
    assert report["version"] == 1
    assert report["summary"] == {"files": 1, "diagnostics": 4, "fixable": 4}
    first = report["files"][0]["diagnostics"][0]
    assert first == {
        "code": "CL101", "rule": "multiple-spaces", "severity": "warning", "message": "Use one space, not 2",
        "offset": 12, "end_offset": 14, "line": 1, "column": 13, "end_line": 1, "end_column": 15,
        "text": "  ", "suggestions": [" "],
        "fix": {"applicability": "safe", "edits": [{"offset": 12, "end_offset": 14, "replacement": " "}]},
    }
    text = article.read_text()
    for d in report["files"][0]["diagnostics"]:
        assert text[d["offset"]:d["end_offset"]] == d["text"]


def test_github_format(article: Path) -> None:
    lines = run_copylint("check", "--format", "github", article.name, cwd=article.parent).stdout.decode().splitlines()
    assert lines[0] == "::warning file=article.txt,line=1,col=13,endLine=1,endColumn=15,title=CL101::Use one space, not 2"


# The parts of the SARIF 2.1.0 schema that consumers (GitHub code scanning) require.
SARIF_REQUIRED = {
    "type": "object",
    "required": ["version", "runs"],
    "properties": {
        "version": {"const": "2.1.0"},
        "runs": {"type": "array", "items": {
            "type": "object", "required": ["tool", "results"],
            "properties": {
                "tool": {"type": "object", "required": ["driver"], "properties": {"driver": {
                    "type": "object", "required": ["name", "rules"],
                    "properties": {"rules": {"type": "array", "items": {"type": "object", "required": ["id"]}}},
                }}},
                "results": {"type": "array", "items": {
                    "type": "object", "required": ["message", "ruleId", "locations"],
                    "properties": {
                        "level": {"enum": ["none", "note", "warning", "error"]},
                        "message": {"type": "object", "required": ["text"]},
                        "locations": {"type": "array", "items": {"type": "object", "required": ["physicalLocation"],
                            "properties": {"physicalLocation": {"type": "object", "required": ["artifactLocation", "region"],
                                "properties": {"region": {"type": "object", "required": ["startLine", "startColumn"],
                                    "properties": {"startLine": {"type": "integer", "minimum": 1},
                                                   "startColumn": {"type": "integer", "minimum": 1}}}}}}}},
                    },
                }},
            },
        }},
    },
}


def test_sarif_format_is_valid(article: Path) -> None:
    log = json.loads(run_copylint("check", "--format", "sarif", article.name, cwd=article.parent).stdout)
    jsonschema.validate(log, SARIF_REQUIRED)
    assert [r["ruleId"] for r in log["runs"][0]["results"]] == ["CL101", "CL111", "CL130", "CL110"]


def test_rules_and_explain() -> None:
    rules = run_copylint("rules").stdout.decode().splitlines()
    assert rules[0].split()[:3] == ["CL101", "multiple-spaces", "safe"]
    explained = run_copylint("explain", "CL130").stdout.decode()
    assert explained.startswith("CL130 repeated-word (repetition, warning)")
    assert "Flagged: 'the talks in the the capital'" in explained


def test_readme_rule_list_is_in_sync() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    table = run_copylint("rules", "--format", "markdown").stdout.decode()
    start, end = "<!-- rules:start -->\n", "<!-- rules:end -->"
    assert readme[readme.index(start) + len(start) : readme.index(end)] == table, (
        "README rule list is stale: paste `copylint rules --format markdown` between the markers"
    )


def test_no_colour_when_not_a_terminal(article: Path) -> None:
    env = {**os.environ, "FORCE_COLOR": "1"}
    assert b"\x1b[" not in run_copylint("check", article.name, cwd=article.parent).stdout
    del env


def test_checking_with_a_few_rules_imports_and_compiles_only_what_they_need(article: Path) -> None:
    """Start-up time: the mechanical rules need neither the other families' modules nor
    the optional libraries (ftfy only for damaged text, Pygments for code and diffs)."""
    script = (
        "import sys\nfrom copylint.cli import main\n"
        f"sys.argv = ['copylint', 'check', '--select', 'CL1', {str(article)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('copylint.grammar', 'copylint.spelling', 'copylint.consistency', 'ftfy',"
        " 'pygments', 'pathspec', 'markdown_it') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.stdout.splitlines()[-1] == "[]", result.stderr


def test_an_unusable_cache_folder_is_one_clear_line(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    article = tmp_path / "a.txt"
    article.write_text("Talks were held accross the region.\n")
    result = subprocess.run([sys.executable, "-m", "copylint", "check", str(article)], capture_output=True,
                            env={**os.environ, "COPYLINT_CACHE_DIR": str(blocker)})
    assert result.returncode == 2
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"copylint: error: cannot use the cache folder {blocker}")
    assert "Traceback" not in result.stderr.decode() and b"a.txt" not in result.stderr


def test_fix_refuses_a_read_only_file_and_fixes_the_others(tmp_path: Path) -> None:
    locked, open_file = tmp_path / "locked.txt", tmp_path / "open.txt"
    for path in (locked, open_file):
        path.write_text("The  talks ended.\n")
    locked.chmod(0o444)
    result = run_copylint("check", "--fix", "locked.txt", "open.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == ["copylint: error: locked.txt: read-only file, not fixed"]
    assert locked.read_text() == "The  talks ended.\n" and stat.S_IMODE(locked.stat().st_mode) == 0o444
    assert open_file.read_text() == "The talks ended.\n"
    # The unwritten fix is not counted; the locked file's issue is still reported.
    assert result.stdout.decode() == ("locked.txt:1:4: CL101 Use one space, not 2 [*]\n"
                                      "Fixed 1 issue.\nFound 1 issue (1 fixable with --fix).\n")


def test_issues_left_after_fixing_point_into_the_fixed_text(tmp_path: Path) -> None:
    # Fixing the double space moves the typo one column to the left.
    (tmp_path / "a.txt").write_text("The  staions closed.\n")
    result = run_copylint("check", "--fix", "a.txt", cwd=tmp_path)
    assert result.stdout.decode().startswith("a.txt:1:5: CL201 Unknown word 'staions'")
    assert (tmp_path / "a.txt").read_text() == "The staions closed.\n"


def test_nothing_checked_is_not_reported_as_nothing_found(tmp_path: Path) -> None:
    result = run_copylint("check", "missing.txt", cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == b""
