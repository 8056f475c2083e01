"""The import contracts in pyproject.toml hold for the tree, and catch a wrong import.

The second test copies the package, plants one import that breaks the layering (the registry
reaching up into certificates), and expects `lint-imports` to fail and name it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=cwd,
        env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _copy_tree(tmp_path: Path) -> Path:
    shutil.copytree(
        ROOT / "learnward",
        tmp_path / "learnward",
        ignore=shutil.ignore_patterns("__pycache__", "templates", "static", "jsonld", "fonts"),
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_tree_keeps_every_contract(tmp_path):
    result = _lint(_copy_tree(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROKEN" not in result.stdout


def test_a_registry_module_importing_certificates_breaks_the_contracts(tmp_path):
    tree = _copy_tree(tmp_path)
    taxonomy = tree / "learnward" / "privacy" / "registry" / "taxonomy.py"
    taxonomy.write_text(taxonomy.read_text() + "\nimport learnward.certificates.models  # noqa\n")
    result = _lint(tree)
    assert result.returncode != 0
    assert "The registry imports no domain app BROKEN" in result.stdout
    assert "learnward.privacy.registry.taxonomy -> learnward.certificates.models" in result.stdout


def test_core_importing_an_app_breaks_the_contracts(tmp_path):
    tree = _copy_tree(tmp_path)
    links = tree / "learnward" / "core" / "admin.py"
    links.write_text(links.read_text() + "\nfrom learnward.accounts import roles  # noqa\n")
    result = _lint(tree)
    assert result.returncode != 0
    assert "core imports no other Learnward app BROKEN" in result.stdout
