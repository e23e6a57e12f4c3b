"""The activation channel: what a second launch may send, and how the running app treats bad input."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray
from PySide6.QtNetwork import QLocalSocket

from magazyn_desktop.activation import MAX_MESSAGE_BYTES, Activation, InvalidActivation, decode_activation
from magazyn_desktop.guard import ActivationServer, server_name


def test_round_trip() -> None:
    message = Activation("P9XHEXmQAIiG3aCVmD124ZKm3knwcoEW06UTC3Zv9UK", 4242)
    assert decode_activation(message.encode().strip()) == message
    assert decode_activation(Activation(None, 1).encode()) == Activation(None, 1)


@pytest.mark.parametrize("raw", [
    b"not json",
    b"[1, 2]",
    b'{"v": 2, "action": "activate", "open": null, "pid": 1}',
    b'{"v": 1, "action": "quit", "open": null, "pid": 1}',
    b'{"v": 1, "action": "activate", "open": 5, "pid": 1}',
    b'{"v": 1, "action": "activate", "open": "", "pid": 1}',
    b'{"v": 1, "action": "activate", "open": "a\\u0000b", "pid": 1}',
    b'{"v": 1, "action": "activate", "open": null, "pid": "1"}',
    b'{"v": 1, "action": "activate", "open": null, "pid": true}',
    b'\xff\xfe',
    json.dumps({"v": 1, "action": "activate", "open": "x" * 500, "pid": 1}).encode(),
    json.dumps({"v": 1, "action": "activate", "open": "../../me", "pid": 1}).encode(),
    json.dumps({"v": 1, "action": "activate", "open": "x?limit=500", "pid": 1}).encode(),
    b"x" * (MAX_MESSAGE_BYTES + 1),
])
def test_invalid_messages_are_rejected(raw: bytes) -> None:
    with pytest.raises(InvalidActivation):
        decode_activation(raw)


def test_server_names_differ_per_folder(tmp_path: Path) -> None:
    assert server_name(tmp_path / "a") != server_name(tmp_path / "b")
    assert len(server_name(tmp_path / ("x" * 300))) < 60


def _send(payload: bytes, name: str) -> QLocalSocket:
    socket = QLocalSocket()
    socket.connectToServer(name)
    socket.write(QByteArray(payload))
    return socket


@pytest.fixture
def server(qtbot, tmp_path: Path):
    activation_server = ActivationServer(tmp_path)
    activation_server.listen()
    yield activation_server
    activation_server.close()


def test_bad_messages_are_dropped_and_the_server_keeps_going(qtbot, server: ActivationServer, tmp_path: Path,
                                                             caplog: pytest.LogCaptureFixture) -> None:
    name = server_name(tmp_path)
    received: list[Activation] = []
    server.set_ready(received.append)
    malformed = _send(b"{this is not json}\n", name)
    oversized = _send(b"{" + b" " * (MAX_MESSAGE_BYTES + 10), name)
    qtbot.waitUntil(lambda: sum("activation message dropped" in r.getMessage() for r in caplog.records) >= 2)
    good = _send(Activation("abc", os.getpid()).encode(), name)
    qtbot.waitUntil(lambda: len(received) == 1)
    assert received[0].open_conversation_id == "abc"
    qtbot.waitUntil(lambda: bytes(good.readAll().data()).startswith(b'{"v":1,"ok":true}') or good.state() ==
                    QLocalSocket.LocalSocketState.UnconnectedState)
    assert all(r.levelno == logging.WARNING for r in caplog.records if "dropped" in r.getMessage())
    for socket in (malformed, oversized, good):
        socket.abort()


def test_messages_before_ready_are_queued_then_replayed(qtbot, server: ActivationServer, tmp_path: Path) -> None:
    name = server_name(tmp_path)
    sockets = [_send(Activation(f"conv-{i}", 100 + i).encode(), name) for i in range(3)]
    qtbot.waitUntil(lambda: len(server.received) == 3)
    replayed: list[Activation] = []
    server.set_ready(replayed.append)
    assert sorted(a.open_conversation_id for a in replayed) == ["conv-0", "conv-1", "conv-2"]
    for socket in sockets:
        socket.abort()


def test_a_silent_client_is_dropped_after_the_read_timeout(qtbot, server: ActivationServer, tmp_path: Path,
                                                           caplog: pytest.LogCaptureFixture) -> None:
    silent = _send(b'{"v":1', server_name(tmp_path))
    qtbot.waitUntil(lambda: any("read timeout" in r.getMessage() for r in caplog.records), timeout=5000)
    assert server.received == []
    silent.abort()


@pytest.mark.parametrize("hostile", ["../../me", "x?limit=500", "a b", "\u202eexe"])
def test_open_with_an_invalid_id_stops_before_anything_starts(hostile: str, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from magazyn_desktop import startup
    from magazyn_desktop.cli import main

    def no_launch(*_args: object) -> None:
        pytest.fail("the launch went on with an invalid --open id")

    monkeypatch.setattr(startup, "prepare_paths", no_launch)
    data_dir = tmp_path / "data"
    assert main(["--open", hostile, "--data-dir", str(data_dir), "--lang", "en"]) != 0
    assert "not a valid conversation number" in capsys.readouterr().err
    assert not data_dir.exists()  # refused before the data folder, the guard or the window
