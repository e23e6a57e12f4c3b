"""An in-process fake of Allegro's REST API and OAuth device flow, with realistic Polish demo data.

Used by the app's `--demo` mode (through `DemoAllegro.transport()`), by tests and by benchmarks
(`serve_on_loopback`). It never talks to the network and is never used unless asked for. Inside the app only the
composition layer imports it, and it imports nothing of the app: its media types and limits are its own, so a typo
in the client's cannot hide behind a shared constant (tests/test_layers.py holds both rules).

Rules it enforces, as Allegro does: beta.v1 / public.v1 media types (406 otherwise), page limits (422 beyond),
one send a second per account (429), closed conversations (422 THREAD_CLOSED, 409 DISPUTE_ALREADY_RESOLVED),
Bearer tokens (401 AuthError). Wrong-kind ids: an issue id at /messaging/threads/{id}... answers 422 (the production
outage; `issue_id_at_messaging_status`), a thread id at /sale/issues/{id}... answers 404 POST_PURCHASE_ISSUE_NOT_FOUND
(`thread_id_at_issues_status`), an id that is neither answers 404 on both. Lists and chats are newest first.
"""

from .data import DEFAULT_NOW, DEFAULT_SEED, DemoData
from .faults import DisguisedFile, Faults
from .loopback import serve_on_loopback
from .responses import BETA_V1, PUBLIC_V1, DemoResponse
from .server import DemoAllegro
from .state import SentMessage
from .transport import DemoAsyncTransport, DemoTransport

__all__ = [
    "BETA_V1", "DEFAULT_NOW", "DEFAULT_SEED", "DemoAllegro", "DemoData", "DemoAsyncTransport", "DemoResponse", "DemoTransport",
    "DisguisedFile", "Faults",
    "PUBLIC_V1", "SentMessage", "serve_on_loopback",
]
