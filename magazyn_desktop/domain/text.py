"""When two message texts are the same message: Allegro trims a text and normalises its whitespace."""

from __future__ import annotations


def folded_text(text: str) -> str:
    """The text with every run of whitespace (spaces, tabs, line breaks) as one space, and none at the ends."""
    return " ".join(text.split())


def same_text(a: str, b: str) -> bool:
    """True when Allegro could have turned one text into the other by trimming or normalising whitespace."""
    return folded_text(a) == folded_text(b)
