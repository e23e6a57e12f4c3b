"""An in-process fake of Allegro's REST API and OAuth device flow, with realistic Polish demo data.

Used by the app's `--demo` mode (through `DemoAllegro.transport()`), by tests and by benchmarks
(`serve_on_loopback`). It never talks to the network and is never used unless asked for.
"""

from .data import DEFAULT_NOW, DEFAULT_SEED, DemoData
from .faults import Faults
from .loopback import serve_on_loopback
from .responses import BETA_V1, PUBLIC_V1, DemoResponse
from .server import DemoAllegro, SentMessage
from .transport import DemoTransport

__all__ = [
    "BETA_V1", "DEFAULT_NOW", "DEFAULT_SEED", "DemoAllegro", "DemoData", "DemoResponse", "DemoTransport", "Faults",
    "PUBLIC_V1", "SentMessage", "serve_on_loopback",
]
