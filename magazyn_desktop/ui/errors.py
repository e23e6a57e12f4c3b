"""What staff read when something fails: what happened and what to do next, in their language, no traceback.

What a failure is comes from magazyn_desktop/failures.py, decided where it arose; this module only turns a kind
into a sentence, at display time, so stored codes are shown in whichever language the window has now. A bug is
logged with its traceback and shown as an unexpected error, never as a wrong explanation.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication

from magazyn_desktop.domain.failures import FailureKind, stored_failure_kind
from magazyn_desktop.failures import failure_of

log = logging.getLogger(__name__)


def _sentences() -> dict[FailureKind, str]:
    """Every kind's sentence in the current language (translated on each call: a language switch applies)."""
    return {
        FailureKind.OFFLINE: QCoreApplication.translate(
            "Errors", "There is no connection to Allegro. Saved conversations can still be read; replies wait and "
                      "are sent when the connection returns."),
        FailureKind.TIMED_OUT: QCoreApplication.translate(
            "Errors", "Allegro did not answer in time. Try again in a moment."),
        FailureKind.UNAVAILABLE: QCoreApplication.translate(
            "Errors", "Allegro is having trouble answering right now. Saved conversations can still be read; try "
                      "again in a few minutes."),
        FailureKind.RATE_LIMITED: QCoreApplication.translate(
            "Errors", "Allegro asked for a short pause. Try again in a minute."),
        FailureKind.SIGN_IN_NEEDED: QCoreApplication.translate(
            "Errors", "Allegro did not accept the sign-in. Open Settings and connect the account again."),
        FailureKind.NOT_FOUND: QCoreApplication.translate(
            "Errors", "Allegro does not know this conversation or order. Check the number and try again."),
        FailureKind.REJECTED: QCoreApplication.translate("Errors", "Allegro refused the request."),
        FailureKind.BAD_ANSWER: QCoreApplication.translate(
            "Errors", "Allegro's answer could not be read. Try again in a moment; if it happens again, tell the "
                      "administrator (the details are in the program's log)."),
        FailureKind.OUTCOME_UNKNOWN: QCoreApplication.translate(
            "Errors", "It is not certain that Allegro received the reply. The program checks the conversation "
                      "before it sends anything again."),
        FailureKind.DISK_FULL: QCoreApplication.translate(
            "Errors", "The disk is full. Nothing was lost: unsent replies stay queued. Free some disk space and "
                      "try again."),
        FailureKind.DATABASE_LOCKED: QCoreApplication.translate(
            "Errors", "The database is in use by another program. Wait a moment and try again; if it lasts, close "
                      "other copies of the program."),
        FailureKind.READ_ONLY: QCoreApplication.translate(
            "Errors", "The program cannot write to its data folder: it is read-only or access is denied. Check "
                      "the folder's permissions."),
        FailureKind.DAMAGED: QCoreApplication.translate(
            "Errors", "The database file is damaged. Close the program and tell the administrator; nothing has "
                      "been deleted."),
        FailureKind.TEAM_STORE_AWAY: QCoreApplication.translate(
            "Errors", "The team database does not answer. Nothing was lost: replies wait on this bench and go to the "
                      "team once it answers again."),
        FailureKind.FILE_ERROR: QCoreApplication.translate(
            "Errors", "A file on this computer could not be read or written. Try again; if it happens again, tell "
                      "the administrator (the details are in the program's log)."),
        FailureKind.ATTACHMENT_MISSING: QCoreApplication.translate(
            "Errors", "An attached file is missing from the program's data folder, so the reply was not sent. "
                      "Write it again and attach the file anew."),
        FailureKind.INTERRUPTED: QCoreApplication.translate(
            "Errors", "The program stopped while the reply was being sent; it is being checked."),
        FailureKind.NOT_DELIVERED: QCoreApplication.translate(
            "Errors", "The reply did not reach Allegro; it will be sent again."),
        FailureKind.DECIDED_OTHERWISE: QCoreApplication.translate(
            "Errors", "The claim was decided on Allegro in another way than this decision asked, so it was not "
                      "sent. Check the claim on Allegro."),
        FailureKind.BUG: QCoreApplication.translate(
            "Errors", "An unexpected error occurred; the details are in the program's log. Try again; if it "
                      "happens again, tell the administrator."),
    }


def failure_text(kind: FailureKind, allegro_message: str | None = None) -> str:
    """The sentence for a kind; a rejection quotes Allegro's own reason when there is one."""
    if kind is FailureKind.REJECTED and allegro_message:
        return QCoreApplication.translate("Errors", "Allegro refused: %1").replace("%1", allegro_message)
    return _sentences()[kind]


def describe(error: BaseException, *, doing: str | None = None) -> str:
    """A sentence for staff; `doing` says in the log what the app was doing ("opening a conversation")."""
    failure = failure_of(error)
    if failure.kind is FailureKind.BUG:
        log.error("unexpected error while %s", doing or "working", exc_info=error)
    else:
        log.warning("shown to the user (%s): %s failed", failure.kind.value, doing or "an operation", exc_info=error)
    return failure_text(failure.kind, failure.allegro_message)


def is_offline(error: BaseException) -> bool:
    """Allegro could not be reached (the one definition: domain.failures.Failure.offline)."""
    return failure_of(error).offline


def outbox_failure_text(code: str | None, allegro_message: str | None) -> str | None:
    """Why a reply was not sent, from what the outbox stored; None when nothing is known.

    A rejection shows Allegro's own reason. A code written before the kinds existed (Allegro's code, a class
    name) is a failure of unknown kind: its stored text is all there is to show.
    """
    kind = stored_failure_kind(code)
    if kind is None:
        return allegro_message or None
    if kind is FailureKind.REJECTED and allegro_message:
        return allegro_message
    return failure_text(kind)
