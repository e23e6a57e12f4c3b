"""Reads the messaging rules the program ships (resources/messaging_rules.json) or a file given instead.

Never raises: a missing or damaged file gives rules that say so in `problems` (logged here), and the reply box
goes on without the check rather than refusing to start.
"""

from __future__ import annotations

import logging
from pathlib import Path

from magazyn_desktop.bundle import MissingResourceError, resource_path
from magazyn_desktop.domain.messaging_rules import MessagingRules, parse_rules

log = logging.getLogger(__name__)

RULES_FILE = "messaging_rules.json"  # in resources/
MAX_RULES_FILE_BYTES = 1_048_576


def load_messaging_rules(path: Path | None = None) -> MessagingRules:
    try:
        source = resource_path(RULES_FILE) if path is None else path
        with source.open("rb") as file:
            data = file.read(MAX_RULES_FILE_BYTES + 1)
    except (OSError, MissingResourceError) as exc:
        rules = MessagingRules((), (f"the messaging rules cannot be read: {exc}",))
    else:
        if len(data) > MAX_RULES_FILE_BYTES:
            rules = MessagingRules((), (f"the messaging rules file is larger than {MAX_RULES_FILE_BYTES} bytes",))
        else:
            rules = parse_rules(data)
    for problem in rules.problems:
        log.warning("messaging rules: %s", problem)
    return rules
