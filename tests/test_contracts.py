"""The generated code in functions/mystore is what scripts/gen-proto makes of proto/ now."""

import filecmp
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def differences(left: Path, right: Path) -> list[str]:
    comparison = filecmp.dircmp(left, right, ignore=["__pycache__"])
    found = [f"only in {left.name}: {n}" for n in comparison.left_only]
    found += [f"only in fresh output: {n}" for n in comparison.right_only]
    found += [f"differs: {n}" for n in comparison.diff_files]
    for name in comparison.subdirs:
        found += [f"{name}/{line}" for line in differences(left / name, right / name)]
    return found


def test_generated_code_is_fresh(tmp_path):
    subprocess.run([str(ROOT / "scripts" / "gen-proto"), "--out", str(tmp_path)], check=True)
    stale = differences(ROOT / "functions" / "mystore", tmp_path / "mystore")
    assert not stale, "run ./scripts/gen-proto: " + "; ".join(stale)
