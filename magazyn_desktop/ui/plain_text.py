"""Text from buyers and from Allegro, made safe for the places where Qt would render it as HTML.

A QLabel can be told to show plain text; a tooltip cannot: Qt renders it as rich text whenever
`Qt.mightBeRichText()` guesses so. Such text is escaped and wrapped, so HTML shows as the characters typed.
"""

from __future__ import annotations

import html


def tooltip_text(text: str) -> str:
    """A tooltip that shows `text` literally, line breaks kept."""
    return f"<p style='white-space:pre-wrap'>{html.escape(text, quote=False)}</p>"
