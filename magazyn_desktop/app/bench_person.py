"""Who works at this bench, as the team sees them: the person's name from the settings, else the system user's.

One answer for everything that names the person: notes' author, who took a conversation ("Moje"), who may send
under the account's assignee-only rule, and the leadership's "person @ bench".
"""

from __future__ import annotations

import getpass

from magazyn_desktop.app.settings import Settings
from magazyn_desktop.store.records import PERSON_LENGTH


def person_name(settings: Settings) -> str:
    """The person at this bench: the settings' name, else the system user ("?" when the system has none)."""
    return (settings.person_name.strip() or _system_user())[:PERSON_LENGTH]


def _system_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError, ImportError):  # no login name in the environment or the user database (a container)
        return "?"
