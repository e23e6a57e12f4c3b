"""The activation message a second launch sends to the running one: small, versioned JSON, every field checked."""

from __future__ import annotations

import json
from dataclasses import dataclass

from magazyn_desktop.allegro.ids import InvalidIdError, checked_id

PROTOCOL_VERSION = 1
MAX_MESSAGE_BYTES = 16 * 1024


class InvalidActivation(ValueError):
    """A message that is not one we understand; it is logged and dropped."""


@dataclass(frozen=True)
class Activation:
    open_conversation_id: str | None
    sender_pid: int

    def encode(self) -> bytes:
        payload = {"v": PROTOCOL_VERSION, "action": "activate", "open": self.open_conversation_id,
                   "pid": self.sender_pid}
        return json.dumps(payload, separators=(",", ":")).encode("utf-8") + b"\n"


def decode_activation(raw: bytes) -> Activation:
    if len(raw) > MAX_MESSAGE_BYTES:
        raise InvalidActivation(f"message of {len(raw)} bytes exceeds {MAX_MESSAGE_BYTES}")
    try:
        payload = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidActivation(f"not JSON: {exc}") from exc
    if not isinstance(payload, dict):
        raise InvalidActivation("not a JSON object")
    if payload.get("v") != PROTOCOL_VERSION:
        raise InvalidActivation(f"unsupported protocol version {payload.get('v')!r}")
    if payload.get("action") != "activate":
        raise InvalidActivation(f"unknown action {payload.get('action')!r}")
    conversation_id = payload.get("open")
    if conversation_id is not None:
        if not isinstance(conversation_id, str) or not conversation_id.strip():
            raise InvalidActivation("'open' must be a non-empty string or null")
        try:
            conversation_id = checked_id(conversation_id.strip(), "conversation")
        except InvalidIdError as exc:
            raise InvalidActivation("'open' is not a plausible conversation id") from exc
    pid = payload.get("pid")
    if not isinstance(pid, int) or isinstance(pid, bool) or pid < 0:
        raise InvalidActivation("'pid' must be a non-negative integer")
    return Activation(conversation_id, pid)


ACK = b'{"v":1,"ok":true}\n'
