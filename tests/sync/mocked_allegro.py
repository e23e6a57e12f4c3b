"""The real client against respx: one address, one environment, and beta.v1 answers, shared by the sync tests."""

from __future__ import annotations

import httpx

from magazyn_desktop.allegro.environments import Environment

API = "https://api.test.example"
ENVIRONMENT = Environment(name="custom", api_url=API, auth_url="https://auth.test.example")
BETA = "application/vnd.allegro.beta.v1+json"


def beta(payload: object, status: int = 200) -> httpx.Response:
    return httpx.Response(status, json=payload, headers={"Content-Type": BETA})
