"""What the import contracts in pyproject.toml (checked by `lint-imports`) cannot see by reading imports: what
really loads at run time, the fake Allegro's inner order, and that the Qt-free contract covers every layer below
the window."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "magazyn_desktop"
FAKE_ALLEGRO = "magazyn_desktop.fake_allegro"
# The lowest layer that may use Qt; everything listed below it must stay free of it.
LOWEST_QT_LAYER = "ui"


def _contracts() -> list[dict[str, Any]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts: list[dict[str, Any]] = config["tool"]["importlinter"]["contracts"]
    return contracts


def _qt_free_modules() -> list[str]:
    [contract] = [c for c in _contracts() if c["type"] == "forbidden" and "PySide6" in c["forbidden_modules"]]
    return sorted(contract["source_modules"])


def _modules(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).rglob("*.py"))


def test_every_layer_below_the_window_is_in_the_qt_free_contract() -> None:
    layers = [c for c in _contracts() if c["type"] == "layers" and "magazyn_desktop" in c.get("containers", [])]
    assert len(layers) == 1
    rows = [[name.strip().strip("()") for name in row.replace(":", "|").split("|")] for row in layers[0]["layers"]]
    [window_row] = [i for i, row in enumerate(rows) if LOWEST_QT_LAYER in row]
    below_the_window = {f"magazyn_desktop.{name}" for row in rows[window_row + 1:] for name in row}
    assert below_the_window - set(_qt_free_modules()) == set()


def test_the_qt_free_modules_load_no_qt() -> None:
    """Beyond the imports lint-imports reads: what importing them really loads, importlib and plugins included."""
    modules: list[str] = []
    for name in _qt_free_modules():
        folder = ROOT.joinpath(*name.split("."))
        if folder.is_dir():
            modules += [".".join(("magazyn_desktop", *p.relative_to(PACKAGE).with_suffix("").parts))
                        for p in sorted(folder.rglob("*.py")) if p.stem != "__init__"]
        else:
            modules.append(name)
    probe = ("import importlib, sys\n"
             f"for name in {modules!r}: importlib.import_module(name)\n"
             "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6')))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


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


def test_the_window_loads_without_sqlalchemy_or_alembic() -> None:
    """Importing them costs about 0.3 s; the path to the first window stays free of them (they load in workers)."""
    probe = ("import sys; import magazyn_desktop.startup, magazyn_desktop.ui.main_window;"
             "print(sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'alembic', 'httpx'}))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
