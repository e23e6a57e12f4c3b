"""The single-instance lock, in process and fast: the lesson the app exists for is guarded by the fast tier too."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from magazyn_desktop.activation import Activation
from magazyn_desktop.guard import Acquired, GuardError, acquire_or_deliver, lock_holder_pid, try_lock


def test_a_held_lock_cannot_be_taken_again(tmp_path: Path) -> None:
    lock_file = tmp_path / "app.lock"
    first = try_lock(lock_file)
    assert first is not None
    try:
        assert try_lock(lock_file) is None
        assert lock_holder_pid(lock_file) == os.getpid()
    finally:
        first.unlock()
    again = try_lock(lock_file)
    assert again is not None
    again.unlock()


def test_the_first_launch_becomes_primary(tmp_path: Path) -> None:
    outcome = acquire_or_deliver(tmp_path, tmp_path / "app.lock", Activation(None, os.getpid()), deadline_s=1.0)
    assert isinstance(outcome, Acquired)
    assert try_lock(tmp_path / "app.lock") is None
    outcome.lock.unlock()


def test_a_held_lock_with_nobody_listening_is_a_clear_error_by_the_deadline(tmp_path: Path) -> None:
    lock_file = tmp_path / "app.lock"
    held = try_lock(lock_file)
    assert held is not None
    try:
        with pytest.raises(GuardError) as raised:
            acquire_or_deliver(tmp_path, lock_file, Activation("abc", os.getpid()), deadline_s=0.5)
        assert raised.value.holder_pid == os.getpid()
    finally:
        held.unlock()


def test_a_handover_request_that_cannot_be_written_says_why(tmp_path: Path) -> None:
    """Not taken for "another window already asked": the sync would never hear of it and the window would wait."""
    from magazyn_desktop.guard import HandoverRequest, LockFileError

    folder = tmp_path / "gone"
    with pytest.raises(LockFileError):
        HandoverRequest(folder / "app.lock").make()  # its folder does not exist: nothing can be written there
