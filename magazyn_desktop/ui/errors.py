"""What staff read when something fails: what happened and what to do next, in their language, no traceback.

The exception classes of the client are matched by duck typing (attribute and class names), so this module
does not depend on the HTTP layer; the full details always go to the log for the administrator.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication

log = logging.getLogger(__name__)

_OFFLINE_NAMES = ("Offline", "Network", "Connect", "Timeout", "Transport", "Unreachable")
_AUTH_NAMES = ("Auth", "Unauthorized", "Token", "SignIn", "Login")
_NOT_FOUND_NAMES = ("NotFound", "Missing")


def _names(error: BaseException) -> list[str]:
    return [cls.__name__ for cls in type(error).__mro__]


def is_offline(error: BaseException) -> bool:
    """True for errors that mean "Allegro could not be reached" rather than "Allegro said no"."""
    if getattr(error, "offline", False):
        return True
    if isinstance(error, (ConnectionError, TimeoutError)):
        return True
    return any(part in name for name in _names(error) for part in _OFFLINE_NAMES)


def is_auth(error: BaseException) -> bool:
    return any(part in name for name in _names(error)[:-2] for part in _AUTH_NAMES)


def is_not_found(error: BaseException) -> bool:
    return isinstance(error, (LookupError, FileNotFoundError)) or any(
        part in name for name in _names(error) for part in _NOT_FOUND_NAMES)


def describe(error: BaseException, *, doing: str | None = None) -> str:
    """A sentence for staff; `doing` says what the app was doing ("opening the conversation")."""
    log.warning("shown to the user: %s failed", doing or "an operation", exc_info=error)
    if is_offline(error):
        text = QCoreApplication.translate("Errors", "There is no connection to Allegro. Saved conversations can still be read; "
                            "replies wait and are sent when the connection returns.")
    elif is_auth(error):
        text = QCoreApplication.translate("Errors", "Allegro did not accept the sign-in. Open Settings and connect the account again.")
    elif is_not_found(error):
        text = QCoreApplication.translate("Errors", "Allegro does not know this conversation or order. Check the number and try again.")
    else:
        allegro_says = getattr(error, "user_message", None) or getattr(error, "userMessage", None)
        if isinstance(allegro_says, str) and allegro_says.strip():
            text = QCoreApplication.translate("Errors", "Allegro answered: %1 Try again in a moment.").replace("%1", allegro_says.strip())
        else:
            text = QCoreApplication.translate("Errors", "Something went wrong. Try again; if it happens again, tell the administrator "
                                "(the details are in the program's log).")
    return text
