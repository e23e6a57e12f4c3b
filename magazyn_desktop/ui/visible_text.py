"""Buyer text as staff should see it: the invisible characters that reorder text are shown, not obeyed.

A right-to-left override (U+202E) turns "gpj.exe" into what reads as "exe.jpg", and other embedding, isolate and
mark characters reorder a name or a sentence just as quietly. Everywhere buyer text is shown (message cards, list
rows, tooltips, file names) it goes through `visible_controls`, which writes each such character as a marker.
"""

from __future__ import annotations

import re

# LRE RLE PDF LRO RLO, LRI RLI FSI PDI, LRM RLM, and the Arabic letter mark.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_BIDI_PATTERN = re.compile(f"[{BIDI_CONTROLS}]")


def control_marker(character: str) -> str:
    return f"⟨U+{ord(character):04X}⟩"


def visible_controls(text: str) -> str:
    """`text` with every bidi control written as ⟨U+XXXX⟩, so nothing it contains is reordered on screen."""
    return _BIDI_PATTERN.sub(lambda match: control_marker(match.group()), text)
