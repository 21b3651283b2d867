"""The wheel carries the rule packs: build it, unpack it somewhere else and run copylint
from the unpacked wheel alone (the source tree is not on the path)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_wheel_ships_the_rule_packs_and_runs(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True, capture_output=True, timeout=300,
    )
    (wheel,) = tmp_path.glob("copylint-*.whl")
    packs = sorted(p.name for p in Path(ROOT, "rules").glob("*.toml"))
    with zipfile.ZipFile(wheel) as archive:
        assert sorted(Path(n).name for n in archive.namelist() if n.startswith("copylint/rules/") and n.endswith(".toml")) == packs
        archive.extractall(tmp_path / "site")
    (tmp_path / "story.txt").write_text("The minister  said.\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}
    result = subprocess.run(
        [sys.executable, "-c", "import copylint, sys; assert 'site' in copylint.__file__, copylint.__file__;"
         " from copylint.cli import main; main()", "check", "story.txt"],
        cwd=tmp_path, env=env, capture_output=True, timeout=120,
    )
    assert result.stdout.decode().startswith("story.txt:1:13: CL101"), result.stderr.decode()
