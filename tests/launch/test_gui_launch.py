"""The GUI launch as separate processes: smoke test, many launches at once, and activation from a second launch."""

from __future__ import annotations

import json
import re
import subprocess
import time
from pathlib import Path

import pytest

from magazyn_desktop.store.schema_version import HEAD_REVISION
from tests.launch.helpers import APP, app_env, run_app

pytestmark = pytest.mark.slow


def _smoke_json(stdout: str) -> dict:
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    assert len(lines) == 1, stdout
    return json.loads(lines[0])


def test_smoke_test_on_the_demo_backend(data_dir: Path) -> None:
    result = run_app(["--data-dir", str(data_dir), "--demo", "--smoke-test"], timeout=180)
    assert result.returncode == 0, result.stderr
    report = _smoke_json(result.stdout)
    assert report["revision"] == HEAD_REVISION
    assert report["conversations"] > 0
    assert report["opened"]
    assert report["startup_ms"] > 0
    assert report["qt_translation"]  # Qt's own dialogs in Polish too
    # The migrate step's duration as the launch logs it (the start-up benchmark reads it from this line).
    log_text = (data_dir / "logs" / "magazyn-desktop.log").read_text(encoding="utf-8")
    assert len(re.findall(r"launch step 'migrate' took [0-9]+\.[0-9] ms", log_text)) == 1


def test_smoke_test_of_an_unknown_conversation_fails_fast(data_dir: Path) -> None:
    import time

    began = time.monotonic()
    result = run_app(["--data-dir", str(data_dir), "--demo", "--smoke-test", "--open", "no-such-conversation"],
                     timeout=180)
    elapsed = time.monotonic() - began
    report = _smoke_json(result.stdout)
    assert report["opened"] is None and report["open_failed"] == "no-such-conversation"
    assert report["timed_out"] is False and result.returncode != 0
    assert elapsed < 45, elapsed  # it used to wait out the whole 60 s smoke timeout


def test_many_launches_at_once_make_one_primary_and_one_upgrade(data_dir: Path) -> None:
    launches = 8
    env = app_env(MAGAZYN_LOG_LEVEL="INFO")
    processes = [
        subprocess.Popen([*APP, "--data-dir", str(data_dir), "--demo", "--smoke-test",
                          "--smoke-expect-activations", str(launches - 1)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        for _ in range(launches)
    ]
    outputs = [process.communicate(timeout=240) for process in processes]
    assert [process.returncode for process in processes] == [0] * launches, [err[-2000:] for _, err in outputs]
    primaries = [(process, _smoke_json(out)) for process, (out, _err) in zip(processes, outputs) if out.strip()]
    assert len(primaries) == 1
    primary, report = primaries[0]
    secondaries = {process.pid for process in processes if process is not primary}
    assert {entry["pid"] for entry in report["activations"]} == secondaries
    log_text = (data_dir / "logs" / "magazyn-desktop.log").read_text(encoding="utf-8")
    assert log_text.count("migration applied: 0001_initial") == 1
    assert log_text.count(f"migration applied: {HEAD_REVISION}") == 1
    assert "upgrading the schema" in log_text


def test_second_launch_opens_a_conversation_in_the_running_window(data_dir: Path) -> None:
    first = run_app(["--data-dir", str(data_dir), "--demo", "--smoke-test"], timeout=180)
    conversation_id = _smoke_json(first.stdout)["opened"]
    env = app_env(MAGAZYN_LOG_LEVEL="INFO")
    primary = subprocess.Popen([*APP, "--data-dir", str(data_dir), "--demo", "--smoke-test",
                                "--smoke-expect-activations", "1"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    assert primary.stderr is not None
    early_log = []
    for line in primary.stderr:  # the second launch must find a primary already listening
        early_log.append(line)
        if "launch step 'activation channel' took" in line:
            break
    second = run_app(["--data-dir", str(data_dir), "--open", conversation_id], timeout=120)
    out, err = primary.communicate(timeout=180)
    err = "".join(early_log) + err
    assert second.returncode == 0, second.stderr
    assert primary.returncode == 0, err
    report = _smoke_json(out)
    assert [entry["open"] for entry in report["activations"]] == [conversation_id]
    assert conversation_id in report["displayed"]


def test_a_long_tmpdir_still_lets_a_second_launch_through(data_dir: Path, tmp_path: Path) -> None:
    long_tmp = tmp_path / ("t" * 60) / ("u" * 60)
    long_tmp.mkdir(parents=True)
    env = app_env(MAGAZYN_LOG_LEVEL="INFO", TMPDIR=str(long_tmp))
    primary = subprocess.Popen([*APP, "--data-dir", str(data_dir), "--demo", "--smoke-test",
                                "--smoke-expect-activations", "1"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    assert primary.stderr is not None
    early_log = []
    for line in primary.stderr:
        early_log.append(line)
        if "launch step 'activation channel' took" in line:
            break
    started = time.monotonic()
    second = run_app(["--data-dir", str(data_dir)], timeout=120, env=env)
    waited = time.monotonic() - started
    out, err = primary.communicate(timeout=180)
    err = "".join(early_log) + err
    assert second.returncode == 0, second.stderr
    assert waited < 10, second.stderr
    assert primary.returncode == 0, err
    assert "could not listen" not in err
    assert len(_smoke_json(out)["activations"]) == 1


def test_a_refusal_before_the_window_is_a_dialog(tmp_path: Path) -> None:
    """A windowed build has no terminal: what stops the launch must be said in a dialog."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    env = app_env(MAGAZYN_LOG_LEVEL="INFO", MAGAZYN_TEST_DIALOG_AUTOCLOSE_MS="200")
    result = run_app(["--data-dir", str(blocker / "data"), "--lang", "en"], timeout=60, env=env)
    assert result.returncode == 2
    assert "error dialog shown: The data folder" in result.stderr, result.stderr[-2000:]
