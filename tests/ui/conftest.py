"""Fixtures for the window's tests: a cache at head, the fake Allegro with the sample account, and a window factory
whose backend is the real one (build_backend) talking to that fake in-process."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import respx

from magazyn_desktop.app.backend_types import Backend
from magazyn_desktop.app.context import AppContext
from magazyn_desktop.fake_allegro import DemoAllegro, DemoTransport
from magazyn_desktop.paths import AppPaths
from magazyn_desktop.store.migrate import upgrade_to_head
from ui_sample_data import demo_backend, sample_data


@pytest.fixture
def sample_paths(tmp_path: Path) -> AppPaths:
    """An empty cache at head; the window's first sync fills it from the fake Allegro."""
    paths = AppPaths(tmp_path / "data")
    paths.ensure()
    upgrade_to_head(paths.database, backups=paths.backups, quarantine=paths.quarantine)
    return paths


@pytest.fixture
def fake_allegro() -> DemoAllegro:
    return DemoAllegro(sample_data())


@pytest.fixture
def context(sample_paths: AppPaths) -> AppContext:
    return AppContext(paths=sample_paths, language="pl", demo=True)


@pytest.fixture
def make_window(qtbot: Any, context: AppContext, fake_allegro: DemoAllegro) -> Iterator[Callable[..., Any]]:
    """Build a MainWindow whose backend is the real one over `fake_allegro`; shut down at the end of the test.

    `backend_factory` replaces that backend (called in a worker, as the window calls it); `start` runs the first
    sync and waits for it."""
    from magazyn_desktop.ui.main_window import MainWindow

    windows: list[MainWindow] = []

    def make(ctx: AppContext | None = None, backend_factory: Callable[[], Backend] | None = None,
             start: bool = True) -> MainWindow:
        chosen = ctx or context
        factory = backend_factory or (lambda: demo_backend(chosen.paths, fake_allegro, chosen.language))
        window = MainWindow(chosen, backend_factory=factory)
        qtbot.addWidget(window)
        windows.append(window)
        window.show()
        if start:
            with qtbot.waitSignal(window.initial_sync_finished, timeout=10000):
                window.start_background_work()
        return window

    yield make
    for window in windows:
        window.shutdown()


@pytest.fixture
def allegro_at_its_address() -> Iterator[Callable[[DemoAllegro], None]]:
    """Serve a fake Allegro at its own addresses to every httpx client in the process, for the parts of the app
    that take no transport (a connected account's backend). Any other address fails the test (respx)."""
    with respx.mock(assert_all_called=False) as router:
        def serve(fake: DemoAllegro) -> None:
            transport = DemoTransport(fake)
            for url in (DemoAllegro.API_URL, DemoAllegro.AUTH_URL):
                router.route(url__startswith=url).mock(side_effect=transport.handle_request)

        yield serve


@pytest.fixture(autouse=True)
def _forget_language() -> Any:
    """Each test starts without an installed translator, so language tests do not leak into others."""
    from magazyn_desktop.ui import i18n

    yield
    i18n.reset_for_tests()


@pytest.fixture(autouse=True)
def _settings_after_first_run(sample_paths: AppPaths) -> None:
    """The sample data folder belongs to a user who has passed the first-run screen."""
    from magazyn_desktop.app.settings import Settings, save_settings

    if not sample_paths.settings_file.exists():
        save_settings(sample_paths.settings_file, Settings(first_run_done=True))


@pytest.fixture
def make_team_window(make_window: Callable[..., Any], sample_paths: AppPaths,
                     fake_allegro: DemoAllegro) -> Callable[..., Any]:
    """A window whose store is a team's PostgreSQL database at `url` (brought to head first), with the real backend
    over `fake_allegro`. `paths` gives the bench a data folder of its own (a second bench), `holder_name` its
    "person @ bench", `person` whose drafts it keeps. Ask for the database's fixture before this one, so the windows close before it is dropped."""
    from magazyn_desktop.app.backend import build_backend
    from magazyn_desktop.app.store_location import StoreLocation
    from magazyn_desktop.store.store_address import parse_store_address
    from magazyn_desktop.store.team_schema import upgrade_team_store

    def make(url: str, *, paths: AppPaths | None = None, holder_name: str = "", person: str = "") -> Any:
        bench_paths = paths or sample_paths
        address = parse_store_address(url)
        upgrade_team_store(address)
        location = StoreLocation(bench_paths.database, address, holder_name=holder_name, person=person)
        return make_window(AppContext(paths=bench_paths, language="pl", demo=True, store=location),
                           backend_factory=lambda: build_backend(bench_paths, demo=True, fake_allegro=fake_allegro,
                                                                 location=location))

    return make
