"""Who works at this bench, as the team sees them: the person's name from the settings, else the system user's.

One answer for everything that names the person: notes' author, who took a conversation ("Moje"), who may send
under the account's assignee-only rule, presence, and the leadership's "person @ bench".
"""

from __future__ import annotations

import getpass
import socket

from magazyn_desktop.app.settings import Settings
from magazyn_desktop.store.records import PERSON_LENGTH


def person_name(settings: Settings) -> str:
    """The person at this bench: the settings' name, else the system user ("?" when the system has none)."""
    return (settings.person_name.strip() or _system_user())[:PERSON_LENGTH]


def bench_name(settings: Settings) -> str:
    """This bench's name: the settings' name, else the computer's."""
    return settings.bench_name.strip() or socket.gethostname()


def person_and_bench(settings: Settings) -> tuple[str, str]:
    return person_name(settings), bench_name(settings)


def _system_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError, ImportError):  # no login name in the environment or the user database (a container)
        return "?"
