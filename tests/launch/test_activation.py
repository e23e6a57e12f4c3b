"""The activation channel: what a second launch may send, and how the running app treats bad input."""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray
from PySide6.QtNetwork import QLocalSocket

from magazyn_desktop.activation import MAX_MESSAGE_BYTES, Activation, InvalidActivation, decode_activation
from magazyn_desktop.guard import (
    ActivationServer,
    GuardError,
    acquire_or_deliver,
    record_holder,
    server_name,
    try_lock,
)
from magazyn_desktop.paths import AppPaths

SOCKET_PATH_LIMIT = 104  # sun_path is 108 bytes on Linux and 104 on macOS


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
    assert len(server_name(tmp_path / ("x" * 300)).encode()) < SOCKET_PATH_LIMIT


@pytest.mark.parametrize("runtime_dir_too", [False, True])
def test_the_channel_works_whatever_tmpdir_is(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              runtime_dir_too: bool) -> None:
    """Qt puts a bare socket name under TMPDIR, and a Unix socket path has room for about 104 bytes."""
    long_folder = tmp_path / ("t" * 60) / ("u" * 60)
    long_folder.mkdir(parents=True)
    monkeypatch.setenv("TMPDIR", str(long_folder))
    if runtime_dir_too:
        monkeypatch.setenv("XDG_RUNTIME_DIR", str(long_folder))
    data_dir = tmp_path / ("d" * 150)
    activation_server = ActivationServer(data_dir)
    try:
        assert activation_server.listen()
        name = server_name(data_dir)
        if os.name != "nt":
            assert len(name.encode()) < SOCKET_PATH_LIMIT and not name.startswith(str(long_folder))
        received: list[Activation] = []
        activation_server.set_ready(received.append)
        client = _send(Activation("abc", os.getpid()).encode(), name)
        qtbot.waitUntil(lambda: len(received) == 1)
        client.abort()
    finally:
        activation_server.close()


@pytest.mark.allow_error_logs
def test_a_window_that_cannot_listen_is_refused_at_once(qtbot, tmp_path: Path) -> None:
    """Second launches learn it from the holder's record instead of knocking until their deadline."""
    paths = AppPaths(tmp_path / "data")
    paths.ensure()
    lock = try_lock(paths.lock_file)
    assert lock is not None
    blocked = Path(server_name(paths.data))
    blocked.mkdir()  # something that is not a socket sits where the socket goes
    activation_server = ActivationServer(paths.data)
    try:
        assert activation_server.listen() is False
        record_holder(paths.lock_file, "window", channel=False)
        started = time.monotonic()
        with pytest.raises(GuardError) as caught:
            acquire_or_deliver(paths.data, paths.lock_file, Activation(None, os.getpid()), deadline_s=15)
        assert time.monotonic() - started < 5
        assert caught.value.holder_pid == os.getpid() and caught.value.no_channel
    finally:
        activation_server.close()
        lock.unlock()
        blocked.rmdir()


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


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")  # the offscreen platform, for a dialog
@pytest.mark.parametrize("hostile", ["../../me", "x?limit=500", "a b", "\u202eexe"])
def test_open_with_an_invalid_id_stops_before_anything_starts(hostile: str, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from magazyn_desktop import startup
    from magazyn_desktop.cli import main

    def no_launch(*_args: object) -> None:
        pytest.fail("the launch went on with an invalid --open id")

    monkeypatch.setattr(startup, "prepare_paths", no_launch)
    monkeypatch.setenv(startup.DIALOG_AUTOCLOSE_ENV, "1")  # a person gets the refusal in a dialog too
    data_dir = tmp_path / "data"
    assert main(["--open", hostile, "--data-dir", str(data_dir), "--lang", "en"]) != 0
    assert "not a valid conversation number" in capsys.readouterr().err
    assert not data_dir.exists()  # refused before the data folder, the guard or the window


def test_doctor_names_what_holds_the_lock(tmp_path: Path) -> None:
    from magazyn_desktop.doctor import collect_report

    paths = AppPaths(tmp_path / "data")
    paths.ensure()
    lock = try_lock(paths.lock_file)
    assert lock is not None
    try:
        record_holder(paths.lock_file, "sync")
        assert collect_report(str(paths.data))["lock"] == {"held": True, "pid": os.getpid(), "role": "sync"}
    finally:
        lock.unlock()
    assert collect_report(str(paths.data))["lock"]["held"] is False


def test_a_handover_request_is_seen_while_it_is_held_only(tmp_path: Path) -> None:
    from magazyn_desktop.guard import HandoverRequest, HandoverWatch

    paths = AppPaths(tmp_path / "data")
    paths.ensure()
    assert HandoverWatch(paths.lock_file).requested() is False
    request = HandoverRequest(paths.lock_file)
    request.make()
    assert HandoverWatch(paths.lock_file).requested() is True
    request.withdraw()
    assert not paths.handover_file.exists()
    assert HandoverWatch(paths.lock_file).requested() is False


def test_a_holder_record_left_by_an_earlier_holder_is_ignored(tmp_path: Path) -> None:
    from magazyn_desktop.guard import read_holder

    paths = AppPaths(tmp_path / "data")
    paths.ensure()
    paths.holder_file.write_text('{"pid": 1, "role": "sync", "channel": false}', encoding="utf-8")
    lock = try_lock(paths.lock_file)
    assert lock is not None
    try:
        assert read_holder(paths.lock_file) is None  # pid 1 is not the lock's holder
        record_holder(paths.lock_file, "sync")
        holder = read_holder(paths.lock_file)
        assert holder is not None and (holder.pid, holder.role, holder.headless) == (os.getpid(), "sync", True)
    finally:
        lock.unlock()
    assert read_holder(paths.lock_file) is None


@pytest.mark.skipif(os.name == "nt", reason="named pipes on Windows: no folder, no environment")
def test_the_channel_is_found_whatever_environment_a_launch_has(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A launch from cron, `su` or a URL handler may lack XDG_RUNTIME_DIR: it must still find the window's socket,
    which lives in a folder only this user can enter."""
    data_dir = tmp_path / "data"
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    with_runtime = server_name(data_dir)
    monkeypatch.delenv("XDG_RUNTIME_DIR")
    assert server_name(data_dir) == with_runtime
    folder = Path(with_runtime).parent
    mode = folder.stat().st_mode
    assert folder.stat().st_uid == os.getuid() and mode & 0o077 == 0
