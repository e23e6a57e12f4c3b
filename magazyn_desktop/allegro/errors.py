"""Typed errors of the Allegro client.

Each carries what support needs (HTTP status, Allegro's `code`, the `trace-id` header, the endpoint name) and the
`userMessage` Allegro localised for the user. None of them ever holds a token, a secret or a message body.
Each class says what kind of failure it is (`failure_kind`), so nothing above has to guess from its name.
"""

from __future__ import annotations

from typing import ClassVar

from magazyn_desktop.domain.failures import FailureKind


class AllegroError(Exception):
    # An answer no subclass names (a 4xx such as 405 or 410): Allegro refused the request.
    failure_kind: ClassVar[FailureKind] = FailureKind.REJECTED

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: str | None = None,
        user_message: str | None = None,
        trace_id: str | None = None,
        endpoint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.user_message = user_message
        self.trace_id = trace_id
        self.endpoint = endpoint

    def __str__(self) -> str:
        parts = [self.message]
        if self.endpoint:
            parts.append(f"endpoint={self.endpoint}")
        if self.status is not None:
            parts.append(f"status={self.status}")
        if self.code:
            parts.append(f"code={self.code}")
        if self.trace_id:
            parts.append(f"trace-id={self.trace_id}")
        return " ".join(parts)


class AuthError(AllegroError):
    """The token is missing, expired or revoked and could not be refreshed: the user must sign in again."""

    failure_kind = FailureKind.SIGN_IN_NEEDED


class ForbiddenError(AllegroError):
    """403: a missing scope, or the conversation belongs to someone else."""

    failure_kind = FailureKind.REJECTED


class NotFoundError(AllegroError):
    """404: no such resource (for list endpoints Allegro has also sent 404 for its own failures)."""

    failure_kind = FailureKind.NOT_FOUND


class WrongKindError(AllegroError):
    """A by-id conversation endpoint rejected the id itself (400/422): it names the other kind of conversation."""

    failure_kind = FailureKind.NOT_FOUND


class ConflictError(AllegroError):
    """The conversation no longer takes messages: a closed thread (THREAD_CLOSED) or a resolved issue (409)."""

    failure_kind = FailureKind.REJECTED


class ValidationError(AllegroError):
    """Allegro (or the client, before sending) rejected values of the request: 400, 413, 415, 422."""

    failure_kind = FailureKind.REJECTED


class RateLimitedError(AllegroError):
    """429 after the retries ran out (or on a send, which is never retried)."""

    failure_kind = FailureKind.RATE_LIMITED

    def __init__(self, message: str, *, retry_after: float | None = None, **fields: object) -> None:
        super().__init__(message, **fields)  # type: ignore[arg-type]
        self.retry_after = retry_after


class ServerError(AllegroError):
    """5xx after the retries ran out."""

    failure_kind = FailureKind.UNAVAILABLE


class NetworkError(AllegroError):
    """No answer: connection refused, DNS failure, timeout (for reads, after the retries ran out)."""

    failure_kind = FailureKind.OFFLINE


class DeadlineExceededError(AllegroError):
    """The time limit of the work the request belongs to (a sync run) passed before Allegro answered."""

    failure_kind = FailureKind.TIMED_OUT


class ProtocolError(AllegroError):
    """An answer that is not what the contract promises: not JSON, a missing required field, an unknown media type."""

    failure_kind = FailureKind.BAD_ANSWER


class NotAcceptableError(ProtocolError):
    """406: the media type version asked for is not served (messaging then falls back to public.v1)."""


class OutcomeUnknownError(AllegroError):
    """A send that may have reached Allegro (timeout or dropped connection after the request was written).

    Never resend blindly: re-read the conversation and look for the text first.
    """

    failure_kind = FailureKind.OUTCOME_UNKNOWN


class ConversationNotFoundError(AllegroError):
    """Neither the messaging API nor the issues API knows this id; both answers are kept."""

    failure_kind = FailureKind.NOT_FOUND

    def __init__(
        self,
        conversation_id: str,
        *,
        thread_error: AllegroError,
        issue_error: AllegroError,
    ) -> None:
        super().__init__(
            f"conversation {conversation_id} is neither a thread nor an issue",
            status=issue_error.status or thread_error.status,
            code=issue_error.code or thread_error.code,
            user_message=issue_error.user_message or thread_error.user_message,
            trace_id=issue_error.trace_id or thread_error.trace_id,
            endpoint="resolve_kind",
        )
        self.conversation_id = conversation_id
        self.thread_error = thread_error
        self.issue_error = issue_error


class SignInError(AllegroError):
    """The device flow ended without tokens.

    `reason` is one of: access_denied, expired (device code expired, used or unknown), cancelled, invalid_client,
    or Allegro's own `error` value.
    """

    failure_kind = FailureKind.SIGN_IN_NEEDED

    def __init__(self, message: str, *, reason: str, **fields: object) -> None:
        super().__init__(message, **fields)  # type: ignore[arg-type]
        self.reason = reason


def refusal_status(error: AllegroError) -> int | None:
    """403 or 404 when the error says the resource cannot be had (another seller's, deleted, an impossible id),
    else None: a failure that may pass."""
    if isinstance(error, ForbiddenError):
        return 403
    if isinstance(error, NotFoundError):
        return 404
    return None
