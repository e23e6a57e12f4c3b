"""An httpx transport that answers from a `DemoAllegro` in-process, for the app's --demo mode and for tests."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx

from .responses import Responder, auth_error, not_found_path


class _TruncatedStream(httpx.SyncByteStream):
    """Yields part of the body, then fails the way a connection closed mid-body fails in httpx."""

    def __init__(self, part: bytes, request: httpx.Request) -> None:
        self._part = part
        self._request = request

    def __iter__(self) -> Iterator[bytes]:
        yield self._part
        raise httpx.RemoteProtocolError(
            "peer closed connection without sending complete message body", request=self._request
        )


class _AsyncTruncatedStream(httpx.AsyncByteStream):
    def __init__(self, part: bytes, request: httpx.Request) -> None:
        self._part = part
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self._part
        raise httpx.RemoteProtocolError(
            "peer closed connection without sending complete message body", request=self._request
        )


class DemoTransport(httpx.BaseTransport):
    """Serves `demo.API_URL` and `demo.AUTH_URL`; any other host fails like an unreachable server."""

    def __init__(self, demo: Responder, api_url: str | None = None, auth_url: str | None = None) -> None:
        self._demo = demo
        self._api = httpx.URL(api_url or demo.API_URL)
        self._auth = httpx.URL(auth_url or demo.AUTH_URL)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._respond(request, request.read(), asynchronous=False)

    def _respond(self, request: httpx.Request, body: bytes, *, asynchronous: bool) -> httpx.Response:
        url = request.url
        on_api = (url.scheme, url.host, url.port) == (self._api.scheme, self._api.host, self._api.port)
        on_auth = (url.scheme, url.host, url.port) == (self._auth.scheme, self._auth.host, self._auth.port)
        if not (on_api or on_auth):
            raise httpx.ConnectError(f"demo transport does not serve {url.host}", request=request)
        is_auth_path = url.path.startswith("/auth/")
        # Like Allegro: OAuth lives on the web host only, the REST API on the API host only.
        if on_api and is_auth_path and not on_auth:
            wrong = not_found_path()
            return self._to_httpx(wrong.status, wrong.headers, wrong.body)
        if on_auth and not is_auth_path and not on_api:
            wrong = auth_error(404, "not_found", "Not found")
            return self._to_httpx(wrong.status, wrong.headers, wrong.body)
        base_url = f"{url.scheme}://{url.netloc.decode('ascii')}"
        answer = self._demo.handle(
            request.method, url.path, url.query.decode("ascii"), dict(request.headers), body, base_url=base_url
        )
        if answer.breakage == "drop":
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)
        if answer.breakage == "silent":
            # In-process there is no clock to wait on: the read timeout comes at once.
            raise httpx.ReadTimeout("the server took the request and never answered", request=request)
        if answer.breakage == "truncate":
            part = answer.body[: len(answer.body) // 2]
            stream: httpx.SyncByteStream | httpx.AsyncByteStream = (
                _AsyncTruncatedStream(part, request) if asynchronous else _TruncatedStream(part, request)
            )
            return httpx.Response(answer.status, headers=dict(answer.headers), stream=stream)
        return self._to_httpx(answer.status, answer.headers, answer.body)

    @staticmethod
    def _to_httpx(status: int, headers: dict[str, str], body: bytes) -> httpx.Response:
        clean = {k: v for k, v in headers.items() if k.lower() != "content-length"}  # httpx sets it from content
        return httpx.Response(status, headers=clean, content=body)


class DemoAsyncTransport(httpx.AsyncBaseTransport):
    """The same as `DemoTransport`, for an `httpx.AsyncClient`."""

    def __init__(self, demo: Responder, api_url: str | None = None, auth_url: str | None = None) -> None:
        self._sync = DemoTransport(demo, api_url, auth_url)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return self._sync._respond(request, await request.aread(), asynchronous=True)
