"""docs/architecture.md stays true: one shape per domain, small modules, routers included
only by main.py, every setting documented in the README, and the import contracts kept."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

from app.config import Settings

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app"
DOC = (ROOT / "docs" / "architecture.md").read_text()


def _domains() -> list[str]:
    line = re.search(r"Domains: (.*?)\.\n\n", DOC, re.S).group(1)
    return re.findall(r"`(\w+)`", line)


def _roles() -> list[str]:
    table = DOC.split("## One shape for every domain", 1)[1].split("## Rules", 1)[0]
    return [m.removesuffix(".py") for m in re.findall(r"^\| `(\w+\.py)` \|", table, re.M)]


def test_the_doc_names_domains_and_roles():
    assert len(_domains()) >= 12
    assert _roles() == ["routes", "deps", "forms", "service", "queries", "pages", "exports"]


def test_every_domain_has_only_the_named_roles():
    roles = set(_roles())
    for domain in _domains():
        folder = APP / domain
        assert folder.is_dir(), f"docs/architecture.md names app/{domain}/, which is missing"
        for entry in folder.iterdir():
            if entry.name in ("__init__.py", "__pycache__"):
                continue
            name = entry.name.removesuffix(".py")
            assert name in roles, f"app/{domain}/{entry.name} is not one of the roles {roles}"
            if entry.is_dir():
                for inner in entry.glob("*.py"):
                    assert inner.name != "utils.py", inner
        init = folder / "__init__.py"
        if init.exists():
            body = ast.parse(init.read_text()).body
            code = [n for n in body if not isinstance(n, ast.Expr | ast.ImportFrom)]
            assert not code, f"app/{domain}/__init__.py holds code (a docstring at most)"


def test_every_role_named_exists_somewhere():
    present = {
        entry.name.removesuffix(".py")
        for domain in _domains()
        for entry in (APP / domain).iterdir()
        if entry.name != "__init__.py"
    }
    assert set(_roles()) <= present


def test_no_module_is_over_300_lines():
    long = {
        str(path.relative_to(ROOT)): n
        for path in APP.rglob("*.py")
        if (n := len(path.read_text().splitlines())) > 300
    }
    assert not long, f"split these by role (docs/architecture.md): {long}"


def test_routers_are_included_only_by_main():
    for path in APP.rglob("*.py"):
        if path.name == "main.py" and path.parent == APP:
            continue
        assert "include_router" not in path.read_text(), path


def test_every_setting_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    for name in Settings.model_fields:
        assert f"`{name.upper()}`" in readme, f"README's configuration table lacks {name.upper()}"


def test_the_import_contracts_hold():
    lint = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
