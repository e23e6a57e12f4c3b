"""Opening a message's attachment: the saved copy when there is one, else downloaded into the attachments folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from magazyn_desktop.ui import errors
from magazyn_desktop.ui.attachments import write_attachment
from magazyn_desktop.ui.conversation_view import ConversationView
from magazyn_desktop.ui.workers import CancelToken, WorkerPool


class AttachmentDownloader(QObject):
    attachment_saved = Signal(object)  # Path of the downloaded file

    def __init__(self, *, view: ConversationView, folder: Path, pool: WorkerPool, backend: Callable[[], Any],
                 open_file: Callable[[Path], None], set_status: Callable[[str], None],
                 show_message: Callable[[str], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._view = view  # the open conversation says which kind of attachment endpoint to ask
        self._folder = folder
        self._pool = pool
        self._backend = backend
        self._open_file = open_file
        self._set_status = set_status
        self._show_message = show_message
        view.attachment_requested.connect(self.download)

    def download(self, attachment: Any) -> None:
        backend = self._backend()
        if attachment.local_path and Path(attachment.local_path).is_file():
            self._open_file(Path(attachment.local_path))
            return
        if backend is None or getattr(backend, "client", None) is None:
            self._show_message(self.tr("Attachments can be downloaded when the connection to Allegro is ready."))
            return
        detail = self._view.detail
        kind = detail.conversation.kind if detail else "thread"
        attachment_id = attachment.remote_id or (attachment.url or "").rstrip("/").rsplit("/", 1)[-1]
        folder = self._folder
        self._set_status(self.tr("Downloading %1…").replace("%1", attachment.file_name))

        def run(token: CancelToken) -> Path:
            from magazyn_desktop.allegro.models import Kind

            content, file_name, _mime = backend.client.download_attachment(Kind(kind), attachment_id)
            token.raise_if_cancelled()
            return write_attachment(folder, file_name or attachment.file_name, content)

        def done(path: Path) -> None:
            self._set_status(self.tr("Saved %1").replace("%1", path.name))
            self.attachment_saved.emit(path)
            self._open_file(path)

        def failed(error: BaseException) -> None:
            self._show_message(errors.describe(error, doing=self.tr("downloading an attachment")))

        self._pool.submit(run, on_result=done, on_error=failed)
