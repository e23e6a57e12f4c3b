"""Single-instance guard per data folder: a QLockFile decides, a QLocalServer carries activation messages.

QSharedMemory is deliberately not used: on Linux it outlives a crashed process. QLockFile with stale-lock
detection lets the next start recover from a killed primary. Next to the lock its holder records what it is (a
window with or without its channel, or a headless sync or upgrade), so a second launch knows whether to deliver,
to give up at once, or to ask a headless holder to hand the folder over.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
import os
import stat
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QLockFile, QObject, QTimer, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from magazyn_desktop.activation import ACK, MAX_MESSAGE_BYTES, Activation, InvalidActivation, decode_activation
from magazyn_desktop.paths import handover_file_for, holder_file_for

log = logging.getLogger(__name__)

SECONDARY_DEADLINE_S = 15.0
READ_TIMEOUT_MS = 2000
WINDOW, SYNC, MIGRATE = "window", "sync", "migrate"
HANDOVER_POLL_S = 0.2


def _folder_digest(data_dir: Path) -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = str(os.getuid()) if hasattr(os, "getuid") else "user"
    return hashlib.sha256(f"{user}\0{data_dir.resolve()}".encode()).hexdigest()[:16]


def server_name(data_dir: Path) -> str:
    """Unique per user and data folder. On Unix a full socket path, kept short whatever TMPDIR is (Qt would put a
    bare name under TMPDIR, which can be too long for a socket), and derived from the user id alone, never from
    the environment: a launch from cron, `su` or a URL handler must find the same socket as the window."""
    digest = _folder_digest(data_dir)
    if sys.platform == "win32":
        return f"magazyn-desktop-{digest}"  # a named pipe: no file, no length problem
    return os.path.join(_private_socket_folder(), f"magazyn-{digest}")


def _owned_private_folder(path: str) -> bool:
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and info.st_mode & 0o077 == 0


def _private_socket_folder() -> str:
    """The user's runtime folder (/run/user/UID) when the system has one, else /tmp/magazyn-UID made 0700: a
    folder no other user can enter, so nobody can take the socket's name first."""
    uid = os.getuid()
    runtime = f"/run/user/{uid}"
    if _owned_private_folder(runtime):
        return runtime
    private = f"/tmp/magazyn-{uid}"
    try:
        os.mkdir(private, 0o700)
    except FileExistsError:
        pass
    except OSError as exc:
        log.warning("could not create the folder for the activation channel %s: %s", private, exc.strerror or exc)
    if not _owned_private_folder(private):
        # Someone else's folder, or one others may enter: listening would fail or be unsafe; the launch says so.
        log.error("the folder for the activation channel %s is not this user's private folder", private)
    return private


def lock_holder_pid(lock_file: Path) -> int | None:
    """The pid recorded in the lock file, if the file exists; reading it takes nothing."""
    info = QLockFile(str(lock_file)).getLockInfo()
    # PySide6 returns (pid, hostname, appname), with pid 0 when there is no readable lock.
    pid = info[0] if isinstance(info, tuple) and info else 0
    return int(pid) if isinstance(pid, int) and pid > 0 else None


class GuardError(Exception):
    """No primary could be found or become: the lock is held by a process that does not answer.

    `no_channel`: the holder is a window that could not open its activation channel, so it never will answer."""

    def __init__(self, holder_pid: int | None, *, no_channel: bool = False) -> None:
        super().__init__(f"the data folder is locked by process {holder_pid} which "
                         + ("cannot take messages" if no_channel else "does not answer"))
        self.holder_pid = holder_pid
        self.no_channel = no_channel


@dataclass(frozen=True)
class Holder:
    """What the lock's holder says of itself; only trusted while its pid is the one in the lock."""

    pid: int
    role: str  # WINDOW, SYNC or MIGRATE
    channel: bool  # a window listening for second launches

    @property
    def headless(self) -> bool:
        return self.role != WINDOW


def record_holder(lock_file: Path, role: str, *, channel: bool = False) -> None:
    """Called by the lock's holder. A record that cannot be written only costs a second launch its shortcut."""
    holder_file = holder_file_for(lock_file)
    partial = holder_file.with_name(holder_file.name + ".partial")
    try:
        partial.write_text(json.dumps({"pid": os.getpid(), "role": role, "channel": channel}), encoding="utf-8")
        os.replace(partial, holder_file)
    except OSError as exc:
        log.warning("could not record the lock holder in %s: %s", holder_file, exc.strerror or exc)


def read_holder(lock_file: Path) -> Holder | None:
    pid = lock_holder_pid(lock_file)
    if pid is None:
        return None
    try:
        raw = json.loads(holder_file_for(lock_file).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(raw, dict) or raw.get("pid") != pid:
        return None  # left by an earlier holder
    role, channel = raw.get("role"), raw.get("channel")
    if role not in (WINDOW, SYNC, MIGRATE) or not isinstance(channel, bool):
        return None
    return Holder(pid, role, channel)


class HandoverRequest:
    """A starting window's request that a headless holder let go: held as a lock, so a crashed window's request
    goes stale with its process."""

    def __init__(self, lock_file: Path) -> None:
        self._file = handover_file_for(lock_file)
        self._lock = QLockFile(str(self._file))
        self._lock.setStaleLockTime(0)

    def make(self) -> None:
        """Ask; LockFileError when the request cannot be written (the holder would never hear of it)."""
        if self._lock.tryLock(0):
            return
        if self._lock.error() == QLockFile.LockError.LockFailedError:
            log.info("another launch already asked for the data folder")
            return
        from magazyn_desktop.disk_space import write_problem

        raise LockFileError(self._file, write_problem(self._file.parent))

    def withdraw(self) -> None:
        self._lock.unlock()


class HandoverWatch:
    """For a headless holder: whether a window waits for the data folder. Safe to ask from any thread, often."""

    def __init__(self, lock_file: Path) -> None:
        self._file = handover_file_for(lock_file)
        self._mutex = threading.Lock()
        self._next_look = 0.0
        self._requested = False

    def requested(self) -> bool:
        """Whether a window waits, from a look at most HANDOVER_POLL_S old."""
        with self._mutex:
            now = time.monotonic()
            if self._requested or now < self._next_look:
                return self._requested
            return self._look(now)

    def requested_now(self) -> bool:
        """Whether a window waits, from a look taken now."""
        with self._mutex:
            return self._requested or self._look(time.monotonic())

    def _look(self, now: float) -> bool:
        """Look at the request file (the mutex held)."""
        self._next_look = now + HANDOVER_POLL_S
        probe = QLockFile(str(self._file))
        probe.setStaleLockTime(0)
        if probe.tryLock(0):
            probe.unlock()
            return False
        self._requested = probe.error() == QLockFile.LockError.LockFailedError
        if self._requested:
            log.info("a window is starting: handing the data folder over")
        return self._requested


class LockFileError(Exception):
    """The lock file could not be written at all (a full disk, no permission): nobody holds the folder."""

    def __init__(self, lock_file: Path, cause: OSError | None) -> None:
        reason = (cause.strerror or str(cause)) if cause is not None else "unknown error"
        super().__init__(f"cannot create the lock file {lock_file}: {reason}")
        self.lock_file = lock_file
        self.cause = cause
        self.reason = reason


@dataclass
class Acquired:
    lock: QLockFile


@dataclass
class Delivered:
    holder_pid: int | None


@dataclass
class HeldHeadless:
    """A headless command (a scheduled sync, an upgrade) holds the folder; it will finish or hand over."""

    holder: Holder


def try_lock(lock_file: Path) -> QLockFile | None:
    """The lock, or None when another process holds it; LockFileError when it cannot be written at all."""
    lock = QLockFile(str(lock_file))
    # 0 = never stale by age alone; a lock is stale only when its process is gone, which QLockFile checks.
    lock.setStaleLockTime(0)
    if lock.tryLock(0):
        return lock
    if lock.error() == QLockFile.LockError.LockFailedError:
        return None
    # QLockFile does not say why; writing a file of our own next to it finds the system's reason.
    from magazyn_desktop.disk_space import write_problem

    raise LockFileError(lock_file, write_problem(lock_file.parent))


def _deliver_once(name: str, message: bytes, connect_timeout_ms: int, reply_deadline: float) -> bool:
    """One attempt: connect, send, wait for the acknowledgement.

    Once connected, the primary is alive and listening; it may still be busy building its window, so the
    acknowledgement is awaited until the overall deadline rather than given up on (which would send twice).
    """
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(connect_timeout_ms):
        return False
    try:
        socket.write(QByteArray(message))
        if not socket.waitForBytesWritten(connect_timeout_ms):
            return False
        reply = b""
        while not reply.endswith(b"\n"):
            remaining_ms = int((reply_deadline - time.monotonic()) * 1000)
            if remaining_ms <= 0 or not socket.waitForReadyRead(remaining_ms):
                break
            reply += bytes(socket.readAll().data())
        return reply.strip() == ACK.strip()
    finally:
        socket.abort()


def acquire_or_deliver(data_dir: Path, lock_file: Path, activation: Activation,
                       deadline_s: float = SECONDARY_DEADLINE_S) -> Acquired | Delivered | HeldHeadless:
    """Become the primary, hand the activation to the primary window, or report a headless holder.

    The primary may hold the lock a moment before it listens, or may die while we wait: keep retrying both
    the lock and the connection until the deadline. What the holder recorded of itself cuts that short.
    """
    name = server_name(data_dir)
    deadline = time.monotonic() + deadline_s
    attempt = 0
    while True:
        lock = try_lock(lock_file)
        if lock is not None:
            return Acquired(lock)
        holder = read_holder(lock_file)
        if holder is not None and holder.headless:
            return HeldHeadless(holder)
        if holder is not None and not holder.channel:
            raise GuardError(holder.pid, no_channel=True)
        if _deliver_once(name, activation.encode(), connect_timeout_ms=1000, reply_deadline=deadline):
            return Delivered(lock_holder_pid(lock_file))
        attempt += 1
        if time.monotonic() >= deadline:
            raise GuardError(lock_holder_pid(lock_file))
        time.sleep(min(0.05 * attempt, 0.25))  # the primary is starting up; ask again shortly


class ActivationServer(QObject):
    """Listens for second launches; queues their messages until the window says it is ready."""

    activation_received = Signal(object)  # Activation

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._name = server_name(data_dir)
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._on_new_connection)
        self._buffers: dict[QLocalSocket, bytearray] = {}
        self._queue: list[Activation] = []
        self._ready = False
        self._closed = False
        self.received: list[Activation] = []

    def listen(self) -> bool:
        """Start listening; False (and the reason logged) when the channel cannot be opened."""
        # We hold the lock, so a leftover socket file can only belong to a crashed primary.
        QLocalServer.removeServer(self._name)
        if not self._server.listen(self._name):
            log.error("activation channel could not listen on %s: %s", self._name, self._server.errorString())
            return False
        return True

    def set_ready(self, handler: Callable[[Activation], None]) -> None:
        """From now on deliver straight to handler; replay what arrived before."""
        self.activation_received.connect(handler)
        self._ready = True
        queued, self._queue = self._queue, []
        for activation in queued:
            self.activation_received.emit(activation)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._server.close()
        for socket in list(self._buffers):
            socket.abort()
        self._buffers.clear()

    def _on_new_connection(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            self._buffers[socket] = bytearray()
            socket.readyRead.connect(lambda s=socket: self._on_ready_read(s))
            socket.disconnected.connect(lambda s=socket: self._forget(s))
            timer = QTimer(socket)
            timer.setSingleShot(True)
            timer.timeout.connect(lambda s=socket: self._drop(s, "no complete message before the read timeout"))
            timer.start(READ_TIMEOUT_MS)

    def _on_ready_read(self, socket: QLocalSocket) -> None:
        buffer = self._buffers.get(socket)
        if buffer is None:
            return
        buffer.extend(bytes(socket.readAll().data()))
        if len(buffer) > MAX_MESSAGE_BYTES:
            self._drop(socket, f"message longer than {MAX_MESSAGE_BYTES} bytes")
            return
        if b"\n" not in buffer:
            return
        line = bytes(buffer.split(b"\n", 1)[0])
        try:
            activation = decode_activation(line)
        except InvalidActivation as exc:
            self._drop(socket, str(exc))
            return
        socket.write(QByteArray(ACK))
        socket.flush()
        socket.disconnectFromServer()
        self._buffers.pop(socket, None)
        log.info("activation received from pid %s (open: %s)", activation.sender_pid,
                 "yes" if activation.open_conversation_id else "no")
        self.received.append(activation)
        if self._ready:
            self.activation_received.emit(activation)
        else:
            self._queue.append(activation)

    def _drop(self, socket: QLocalSocket, reason: str) -> None:
        if socket not in self._buffers:
            return
        log.warning("activation message dropped: %s", reason)
        self._buffers.pop(socket, None)
        socket.abort()

    def _forget(self, socket: QLocalSocket) -> None:
        self._buffers.pop(socket, None)
        socket.deleteLater()
