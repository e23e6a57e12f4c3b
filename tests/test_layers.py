"""The core stays free of Qt, and imports run downward only (DESIGN.md, "Layers")."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "magazyn_desktop"
QT_FREE = ("domain", "allegro", "store", "sync", "fake_allegro", "app")
# What each layer may not import from the app itself.
FAKE_ALLEGRO = "magazyn_desktop.fake_allegro"
COMPOSITION = "magazyn_desktop.app"
FORBIDDEN_UPWARD = {
    "store": ("magazyn_desktop.allegro", "magazyn_desktop.sync", "magazyn_desktop.ui", "magazyn_desktop.startup",
              COMPOSITION, FAKE_ALLEGRO),
    "allegro": ("magazyn_desktop.sync", "magazyn_desktop.ui", "magazyn_desktop.startup", COMPOSITION, FAKE_ALLEGRO),
    "sync": ("magazyn_desktop.ui", "magazyn_desktop.startup", COMPOSITION, FAKE_ALLEGRO),
    # The composition wires the parts; the window and the launch sit above it.
    "app": ("magazyn_desktop.ui", "magazyn_desktop.startup", "magazyn_desktop.cli"),
    # The fake stands beside the client: sharing the client's constants or types would hide the client's mistakes.
    "fake_allegro": ("magazyn_desktop.allegro", "magazyn_desktop.store", "magazyn_desktop.sync", "magazyn_desktop.ui",
                     "magazyn_desktop.startup"),
}
# Inside the package only the composition layer builds the fake (for --demo); tests and benchmarks sit outside it.
FAKE_ALLEGRO_IMPORTERS = ("app",)


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


def test_the_fake_allegro_imports_nothing_of_the_app() -> None:
    offenders = {}
    for path in _modules("fake_allegro"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        # `from .. import x` would leave the package as surely as an absolute import.
        escapes = {f"{'.' * node.level}{node.module or ''}" for node in ast.walk(tree)
                   if isinstance(node, ast.ImportFrom) and node.level > 1}
        bad = sorted({n for n in _imports(path) if n.startswith("magazyn_desktop") and not n.startswith(FAKE_ALLEGRO)}
                     | escapes)
        if bad:
            offenders[str(path.relative_to(PACKAGE))] = bad
    assert offenders == {}


def test_nothing_in_the_fake_allegro_reaches_back_into_its_server() -> None:
    """Handlers and transports see `ServerState` and `Responder`: `server.py` sits on top, no cycle runs through it."""
    server = f"{FAKE_ALLEGRO}.server"
    importers = sorted(
        path.name for path in _modules("fake_allegro") if path.name not in ("server.py", "__init__.py")
        and any(isinstance(node, ast.ImportFrom) and (node.level == 1 and node.module == "server"
                                                      or node.level == 0 and node.module == server)
                or isinstance(node, ast.Import) and any(alias.name == server for alias in node.names)
                for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))))
    )
    assert importers == []


def test_only_the_composition_layer_imports_the_fake_allegro() -> None:
    importers = sorted(
        str(path.relative_to(PACKAGE)) for path in PACKAGE.rglob("*.py")
        if path.relative_to(PACKAGE).parts[0] not in ("fake_allegro", *FAKE_ALLEGRO_IMPORTERS)
        and any(n.startswith(FAKE_ALLEGRO) for n in _imports(path))
    )
    assert importers == []


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
