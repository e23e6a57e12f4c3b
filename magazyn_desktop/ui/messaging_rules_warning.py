"""Before a reply is queued: the check against Allegro's messaging rules (domain/messaging_rules.py, the shipped
resources/messaging_rules.json), and the warning that names each rule hit and the phrase that hit it.

The warning holds the reply back, nothing more: "Wyślij mimo to" queues it as it is, "Popraw" puts the cursor back
in the reply box with the phrase selected. A reply where the buyer wrote in this conversation is what Allegro allows,
so most rules do not apply to it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QWidget

from magazyn_desktop.app.messaging_rules_file import load_messaging_rules
from magazyn_desktop.domain.messaging_rules import MessagingRules, RuleHit
from magazyn_desktop.ui import i18n
from magazyn_desktop.ui.composer import Composer
from magazyn_desktop.ui.held_reply_dialog import HeldReplyDialog
from magazyn_desktop.ui.visible_text import visible_controls

log = logging.getLogger(__name__)


class RulesWarningDialog(HeldReplyDialog):
    def __init__(self, hits: Sequence[RuleHit], parent: QWidget | None = None) -> None:
        super().__init__(name="messagingRulesWarning", title=self.tr("Allegro may block this message"),
                         intro=self.tr("Allegro does not deliver seller messages that repeat its own notices or "
                                       "carry fiscal documents. This reply looks like one:"),
                         lines=[self._hit_line(hit) for hit in hits], edit_label=self.tr("Edit"), parent=parent)

    def _hit_line(self, hit: RuleHit) -> str:
        rule = hit.rule
        title = rule.title_en if i18n.current_language() == "en" else rule.title_pl
        phrase = visible_controls(hit.phrase)
        if hit.attachment is not None:
            return (self.tr("• %1: the file %2 (“%3”)").replace("%1", title)
                    .replace("%2", visible_controls(hit.attachment)).replace("%3", phrase))
        return self.tr("• %1: “%2”").replace("%1", title).replace("%2", phrase)

    def warning_text(self) -> str:
        return self.findings_text()


class MessagingRulesCheck(QObject):
    """Holds a reply that breaks a rule until staff choose; the rules are read once, on the first reply."""

    warning_shown = Signal(object)  # RulesWarningDialog

    def __init__(self, *, composer: Composer, buyer_wrote: Callable[[str], bool], dialog_parent: QWidget,
                 rules: Callable[[], MessagingRules] = load_messaging_rules, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._composer = composer
        self._buyer_wrote = buyer_wrote
        self._dialog_parent = dialog_parent
        self._load_rules = rules
        self._rules: MessagingRules | None = None

    def hits(self, conversation_id: str, text: str, attachments: Sequence[Path]) -> list[RuleHit]:
        if self._rules is None:
            self._rules = self._load_rules()
        return self._rules.check(text, [path.name for path in attachments],
                                 is_reply_in_existing_conversation=self._buyer_wrote(conversation_id))

    def hold(self, conversation_id: str, text: str, attachments: Sequence[Path], send_anyway: Callable[[], None]) -> bool:
        """True when the reply breaks a rule: it is held, and the warning decides whether `send_anyway` runs."""
        hits = self.hits(conversation_id, text, attachments)
        if not hits:
            return False
        log.info("a reply hit the messaging rules: %s", ", ".join(sorted({hit.rule.id for hit in hits})))
        dialog = RulesWarningDialog(hits, self._dialog_parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(send_anyway)
        first_in_text = next((hit for hit in hits if hit.attachment is None), None)
        dialog.rejected.connect(lambda: self._edit(conversation_id, text, first_in_text))
        dialog.open()  # window-modal, without a nested event loop
        self.warning_shown.emit(dialog)
        return True

    def _edit(self, conversation_id: str, text: str, hit: RuleHit | None) -> None:
        """Back to the reply box, with the phrase selected when the hit is in the text."""
        if self._composer.conversation_id != conversation_id:
            return
        self._composer.focus_editor()
        if hit is None:
            return
        typed = self._composer.text()
        offset = typed.find(text)  # the reply was sent trimmed; the box holds it as typed
        if offset >= 0:
            self._composer.select_text(offset + hit.start, offset + hit.end)
