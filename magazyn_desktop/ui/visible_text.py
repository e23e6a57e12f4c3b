"""Buyer text as staff should see it: shown as typed, never obeyed.

A right-to-left override (U+202E) turns "gpj.exe" into what reads as "exe.jpg", and other embedding, isolate and
mark characters reorder a name or a sentence just as quietly. Everywhere buyer text is shown (message cards, list
rows, tooltips, file names) it goes through `visible_controls`, which writes each such character as a marker.

A QLabel can be told to show plain text; a tooltip cannot: Qt renders it as rich text whenever
`Qt.mightBeRichText()` guesses so. `tooltip_text` escapes and wraps such text, so HTML shows as the characters typed.
"""

from __future__ import annotations

import html
import re

# LRE RLE PDF LRO RLO, LRI RLI FSI PDI, LRM RLM, and the Arabic letter mark.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_BIDI_PATTERN = re.compile(f"[{BIDI_CONTROLS}]")


def control_marker(character: str) -> str:
    return f"⟨U+{ord(character):04X}⟩"


def visible_controls(text: str) -> str:
    """`text` with every bidi control written as ⟨U+XXXX⟩, so nothing it contains is reordered on screen."""
    return _BIDI_PATTERN.sub(lambda match: control_marker(match.group()), text)


def tooltip_text(text: str) -> str:
    """A tooltip that shows `text` literally, line breaks kept."""
    return f"<p style='white-space:pre-wrap'>{html.escape(text, quote=False)}</p>"
