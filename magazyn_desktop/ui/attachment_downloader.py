"""Opening a message's attachment: the saved copy when there is one, else downloaded into the attachments folder.

Only a file `assess_download` finds safe is handed to the system opener. Anything else is saved under a
neutralised name and staff get a warning with "Show in folder", which opens the folder, never the file.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from magazyn_desktop.allegro.ids import InvalidIdError
from magazyn_desktop.app.backend_types import Backend, ConnectedBackend
from magazyn_desktop.domain.limits import ATTACHMENT_MAX_BYTES
from magazyn_desktop.domain.vocabulary import Kind
from magazyn_desktop.store.inbox_records import AttachmentRow
from magazyn_desktop.ui import errors
from magazyn_desktop.ui.attachments import assess_download, write_attachment
from magazyn_desktop.ui.conversation_view import ConversationView
from magazyn_desktop.ui.visible_text import visible_controls
from magazyn_desktop.ui.workers import CancelToken, WorkerPool

log = logging.getLogger(__name__)
# A saved copy larger than anything Allegro carries is not read to check it: it is shown in its folder instead.
_LOCAL_CHECK_LIMIT = ATTACHMENT_MAX_BYTES


class AttachmentDownloader(QObject):
    attachment_saved = Signal(object)  # Path of the downloaded file

    def __init__(self, *, view: ConversationView, folder: Path, pool: WorkerPool, backend: Callable[[], Backend | None],
                 open_file: Callable[[Path], bool | None], open_folder: Callable[[Path], bool | None],
                 set_status: Callable[[str], None], show_message: Callable[[str], None],
                 dialog_parent: QWidget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._view = view  # the open conversation says which kind of attachment endpoint to ask
        self._folder = folder
        self._pool = pool
        self._backend = backend
        self._open_file = open_file
        self._open_folder = open_folder
        self._set_status = set_status
        self._show_message = show_message
        self._dialog_parent = dialog_parent
        view.attachment_requested.connect(self.download)

    def download(self, attachment: AttachmentRow) -> None:
        backend = self._backend()
        if attachment.local_path and Path(attachment.local_path).is_file():
            self._open_local(Path(attachment.local_path), attachment.mime_type)
            return
        if not isinstance(backend, ConnectedBackend):
            self._show_message(self.tr("Attachments can be downloaded when the connection to Allegro is ready."))
            return
        detail = self._view.detail
        kind = detail.conversation.kind if detail else Kind.THREAD
        attachment_id = attachment.remote_id or (attachment.url or "").rstrip("/").rsplit("/", 1)[-1]
        folder = self._folder
        self._set_status(self.tr("Downloading %1…").replace("%1", visible_controls(attachment.file_name or "")))

        def run(token: CancelToken) -> tuple[Path, bool]:
            content, file_name, mime = backend.client.download_attachment(Kind(kind), attachment_id)
            token.raise_if_cancelled()
            assessed = assess_download(file_name or attachment.file_name, content, mime or attachment.mime_type)
            path = write_attachment(folder, assessed.file_name, content)
            try:  # opened from here next time, and an image shows its thumbnail
                backend.store.set_attachment_local_path(attachment.id, str(path))
            except Exception:  # the file is saved all the same; it is downloaded again next time
                log.exception("where attachment %s was saved is not remembered", attachment.id)
            return path, assessed.openable

        def done(result: tuple[Path, bool]) -> None:
            path, openable = result
            self._view.attachment_stored(attachment.id, path)
            self._set_status(self.tr("Saved as %1").replace("%1", visible_controls(str(path))))
            self.attachment_saved.emit(path)
            self._hand_over(path, openable)

        def failed(error: BaseException) -> None:
            if isinstance(error, InvalidIdError):
                log.warning("attachment not downloaded: %s", error)
                self._show_message(self.tr("This attachment cannot be downloaded: its number is not valid."))
                return
            self._show_message(errors.describe(error, doing=self.tr("downloading an attachment")))

        self._pool.submit(run, on_result=done, on_error=failed)

    def _open_local(self, path: Path, mime_type: str | None) -> None:
        """A copy kept on disk is checked like a download before it is opened."""
        try:
            content = path.read_bytes() if path.stat().st_size <= _LOCAL_CHECK_LIMIT else b""
        except OSError:
            content = b""
        self._hand_over(path, assess_download(path.name, content, mime_type).openable)

    def _hand_over(self, path: Path, openable: bool) -> None:
        if not openable:
            self._warn_kept(path)
        elif self._open_file(path) is False:
            self._no_viewer(path)

    def _no_viewer(self, path: Path) -> None:
        """The system has no program for this type: say where the file is, and offer its folder."""
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("No program to open the attachment"),
                          self.tr("No program on this computer opens “%1”. It was saved as:\n%2")
                          .replace("%1", visible_controls(path.name)).replace("%2", visible_controls(str(path))),
                          QMessageBox.StandardButton.Close, self._dialog_parent)
        box.setObjectName("noViewer")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # the path can be copied
        show = box.addButton(self.tr("Show in folder"), QMessageBox.ButtonRole.ActionRole)
        show.setObjectName("showInFolder")
        folder = path.parent
        show.clicked.connect(lambda: self._open_folder(folder))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def _warn_kept(self, path: Path) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Attachment not opened"),
                          self.tr("“%1” was not opened: it is not an image, a PDF or plain text, or its content "
                                  "does not match its name. It was saved in the attachments folder. Open it only "
                                  "if you trust the sender and know what it is.")
                          .replace("%1", visible_controls(path.name)),
                          QMessageBox.StandardButton.Close, self._dialog_parent)
        box.setObjectName("attachmentWarning")
        box.setTextFormat(Qt.TextFormat.PlainText)  # the name came from a buyer
        show = box.addButton(self.tr("Show in folder"), QMessageBox.ButtonRole.ActionRole)
        show.setObjectName("showInFolder")
        folder = path.parent
        show.clicked.connect(lambda: self._open_folder(folder))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()  # window-modal but not blocking: downloads and sync go on
