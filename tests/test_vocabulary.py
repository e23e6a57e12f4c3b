"""The vocabulary has one home: kinds, roles, states and limits are spelled in magazyn_desktop/domain/ only."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from magazyn_desktop.domain.vocabulary import Kind, OutboxState, Role, SubKind

PACKAGE = Path(__file__).resolve().parent.parent / "magazyn_desktop"
# The fake Allegro keeps its own spellings on purpose (a fake that shares them cannot catch a typo in them), and
# the parser reads Allegro's own JSON field values, which it may compare against the enum values.
EXEMPT = ("domain/", "allegro/demo/", "fake_allegro/", "allegro/parsing.py")
VOCABULARY = frozenset(member.value for enum in (Kind, SubKind, Role, OutboxState) for member in enum)
# Names that define a limit or a shape the vocabulary owns (the limiter's own safety margin is not one).
LIMIT_NAME = re.compile(r"TEXT_LIMIT|ATTACHMENT_(MAX|TYPES|MEDIA)|UPLOAD_(BYTES|TYPES)|ALLOWED_TYPES"
                        r"|MAX_(ATTACHMENT|UPLOAD)_BYTES|UUID|SEND_INTERVAL|THREAD_LIMIT|ISSUE_LIMIT")
LIMIT_VALUES = frozenset({20000, 5_242_880})  # 2,000 is also a harmless number of milliseconds
UUID_FRAGMENT = "{8}-[0-9a-fA-F]{4}"


def _modules() -> list[Path]:
    return [p for p in sorted(PACKAGE.rglob("*.py"))
            if not p.relative_to(PACKAGE).as_posix().startswith(EXEMPT)]


def _translation_sources(tree: ast.AST) -> set[int]:
    """ids of the string constants that are translation sources (tr("..."), translate("Context", "..."))."""
    sources: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in ("tr", "translate"):
                sources.update(id(arg) for arg in node.args if isinstance(arg, ast.Constant))
    return sources


def _docstrings(tree: ast.AST) -> set[int]:
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _sql_quoted(text: str) -> set[str]:
    return set(re.findall(r"'([A-Za-z_]+)'", text))


def test_no_kind_role_or_state_is_spelled_outside_the_vocabulary() -> None:
    offenders: list[str] = []
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        allowed = _translation_sources(tree) | _docstrings(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Constant) or not isinstance(node.value, str) or id(node) in allowed:
                continue
            # A literal of its own, or one quoted inside SQL ("... kind = 'thread'").
            if node.value in VOCABULARY or _sql_quoted(node.value) & VOCABULARY:
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {node.value[:60]!r}")
    assert offenders == []


def test_each_limit_is_defined_once() -> None:
    offenders: list[str] = []
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            targets: list[ast.expr] = []
            if isinstance(node, ast.Assign):
                targets = node.targets
            elif isinstance(node, ast.AnnAssign):
                targets = [node.target]
            for target in targets:  # constants are module or class names; an object's own attributes are not
                if isinstance(target, ast.Name) and LIMIT_NAME.search(target.id.upper()):
                    offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: defines {target.id}")
            if isinstance(node, ast.Constant) and node.value in LIMIT_VALUES and not isinstance(node.value, bool):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: the number {node.value}")
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and UUID_FRAGMENT in node.value:
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: a UUID pattern")
            if (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult)
                    and ast.unparse(node).replace(" ", "") == "5*1024*1024"):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: 5 * 1024 * 1024")
    assert offenders == []


def test_the_checks_see_what_they_look_for() -> None:
    # The rules above would pass vacuously if they never matched: they do match the forms they forbid.
    sample = ast.parse('x = role == "SELLER"\ny = "SELECT 1 WHERE kind = \'thread\'"\nISSUE_TEXT_LIMIT = 20000\n')
    constants = [n.value for n in ast.walk(sample) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    assert [c for c in constants if c in VOCABULARY or _sql_quoted(c) & VOCABULARY] == constants
    assert LIMIT_NAME.search("ISSUE_TEXT_LIMIT") and LIMIT_NAME.search("MAX_ATTACHMENT_BYTES")
    assert not LIMIT_NAME.search("_SEND_MARGIN_SECONDS")
