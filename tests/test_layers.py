"""The core stays free of Qt, and imports run downward only (DESIGN.md, "Layers")."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "magazyn_desktop"
QT_FREE = ("domain", "allegro", "store", "sync")
# What each layer may not import from the app itself.
FORBIDDEN_UPWARD = {
    "store": ("magazyn_desktop.allegro", "magazyn_desktop.sync", "magazyn_desktop.ui", "magazyn_desktop.startup"),
    "allegro": ("magazyn_desktop.sync", "magazyn_desktop.ui", "magazyn_desktop.startup"),
    "sync": ("magazyn_desktop.ui", "magazyn_desktop.startup"),
}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _modules(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).rglob("*.py"))


@pytest.mark.parametrize("layer", QT_FREE)
def test_core_layers_never_import_qt(layer: str) -> None:
    offenders = {str(p.relative_to(PACKAGE)): sorted(n for n in _imports(p) if n.split(".")[0] in ("PySide6", "shiboken6"))
                 for p in _modules(layer)}
    assert {k: v for k, v in offenders.items() if v} == {}


@pytest.mark.parametrize("layer", FORBIDDEN_UPWARD)
def test_imports_run_downward(layer: str) -> None:
    offenders = {}
    for path in _modules(layer):
        bad = sorted(n for n in _imports(path)
                     if n.startswith(FORBIDDEN_UPWARD[layer]))
        if bad:
            offenders[str(path.relative_to(PACKAGE))] = bad
    assert offenders == {}


def test_core_imports_without_loading_qt() -> None:
    modules = [".".join(("magazyn_desktop", *p.relative_to(PACKAGE).with_suffix("").parts))
               for layer in QT_FREE for p in _modules(layer) if p.stem != "__init__"]
    probe = ("import importlib, sys\n"
             f"for name in {modules!r}: importlib.import_module(name)\n"
             "print(sorted(m for m in sys.modules if m.startswith('PySide6')))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_the_vocabulary_imports_nothing_above_it() -> None:
    """domain/ is the bottom layer: nothing else of the app, and no Qt, database or HTTP library."""
    outside = ("PySide6", "shiboken6", "sqlalchemy", "alembic", "httpx")
    offenders = {str(p.relative_to(PACKAGE)): sorted(n for n in _imports(p)
                                                     if n.split(".")[0] in outside
                                                     or (n.startswith("magazyn_desktop")
                                                         and not n.startswith("magazyn_desktop.domain")))
                 for p in _modules("domain")}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_window_loads_without_sqlalchemy_or_alembic() -> None:
    """Importing them costs about 0.3 s; the path to the first window stays free of them (they load in workers)."""
    probe = ("import sys; import magazyn_desktop.startup, magazyn_desktop.ui.main_window;"
             "print(sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'alembic', 'httpx'}))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
