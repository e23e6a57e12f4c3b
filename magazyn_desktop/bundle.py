"""Finds the files shipped beside the code (migrations, icons, translations) from source, wheel or frozen build."""

from __future__ import annotations

import sys
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


class MissingResourceError(Exception):
    """A file that belongs to the installation is missing or unreadable."""


def _roots() -> list[Path]:
    roots: list[Path] = []
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        roots.append(Path(frozen_root) / "magazyn_desktop")
    roots.append(_PACKAGE_DIR)  # an installed wheel maps migrations/ and resources/ into the package
    roots.append(_PACKAGE_DIR.parent)  # a source checkout keeps them at the top of the repository
    return roots


def bundled_dir(name: str) -> Path:
    """The folder `name` ("migrations" or "resources") wherever this installation keeps it."""
    for root in _roots():
        candidate = root / name
        if candidate.is_dir():
            return candidate
    searched = ", ".join(str(root / name) for root in _roots())
    raise MissingResourceError(f"the folder '{name}' is missing from this installation (looked in: {searched})")


def migrations_dir() -> Path:
    return bundled_dir("migrations")


def resource_path(*parts: str) -> Path:
    path = bundled_dir("resources").joinpath(*parts)
    if not path.is_file():
        raise MissingResourceError(f"the file '{'/'.join(parts)}' is missing from this installation")
    return path


# Qt's compiled translation files start with this magic number.
_QM_MAGIC = bytes.fromhex("3cb86418caef9c95cd211cbf60a1bddd")
REQUIRED_FILES: tuple[tuple[str, ...], ...] = (
    ("migrations", "env.py"),
    ("resources", "translations", "magazyn_pl.qm"),
    ("resources", "icons", "magazyn-desktop.svg"),
)


def verify_installation(revisions: tuple[str, ...]) -> None:
    """Check the shipped files the launch needs, so a broken installation gets a clear message, not a traceback."""
    for parts in (*REQUIRED_FILES, *(("migrations", "versions", f"{revision}.py") for revision in revisions)):
        path = bundled_dir(parts[0]).joinpath(*parts[1:])
        try:
            head = path.open("rb").read(16)
        except OSError as exc:
            raise MissingResourceError(f"the file '{'/'.join(parts)}' is missing or unreadable ({exc.strerror})") from exc
        if not head:
            raise MissingResourceError(f"the file '{'/'.join(parts)}' is empty")
        if path.suffix == ".qm" and head != _QM_MAGIC:
            raise MissingResourceError(f"the file '{'/'.join(parts)}' is damaged")
