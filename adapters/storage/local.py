"""Blob storage on the local disk, served by the app under ``/media/``."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

import anyio.to_thread

from adapters._files import make_private_dirs
from adapters.storage._keys import check_key, key_under, url_for
from core.shared.errors import StorageUnavailable

__all__ = ("LocalBlobStorage",)


class LocalBlobStorage:
    """Objects are files under ``root``; their public URL is ``{public_base_url}/{key}``.

    Writes are atomic (a temporary file in the target directory, then ``os.replace``) and run off the event loop,
    so a failed upload never leaves a partial file under its key.
    """

    __slots__ = ("_base", "_root")

    def __init__(self, root: str | Path, public_base_url: str) -> None:
        self._root = Path(root).absolute()
        self._base = public_base_url.rstrip("/")

    @property
    def root(self) -> Path:
        return self._root

    def _path(self, key: str) -> Path:
        return self._root.joinpath(*check_key(key).split("/"))

    def _inside_root(self, path: Path) -> bool:
        return path.resolve().is_relative_to(self._root.resolve())

    def _write(self, path: Path, data: bytes) -> None:
        make_private_dirs(path.parent)  # owner-only: the app serves the media, not the OS
        if not self._inside_root(path.parent):
            raise StorageUnavailable("Media storage refused a path outside its root.")
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            # mkstemp created it 0600: owner-only, like its directories (the app serves it under /media/).
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    async def put(self, key: str, data: bytes, content_type: str) -> str:
        path = self._path(key)
        try:
            await anyio.to_thread.run_sync(self._write, path, bytes(data))
        except OSError as exc:
            raise StorageUnavailable("Media storage is unavailable.") from exc
        return self.url(key)

    def _unlink(self, path: Path) -> None:
        try:
            root_is_dir = stat.S_ISDIR(os.stat(self._root).st_mode)
        except FileNotFoundError:
            return  # nothing was ever stored
        if not root_is_dir:
            raise NotADirectoryError(f"media root {self._root} is not a directory")
        try:
            if self._inside_root(path.parent):
                path.unlink(missing_ok=True)
        except NotADirectoryError:
            return  # a parent "directory" of the key is a file: the object does not exist

    async def delete(self, key: str) -> None:
        path = self._path(key)
        try:
            await anyio.to_thread.run_sync(self._unlink, path)
        except OSError as exc:
            raise StorageUnavailable("Media storage is unavailable.") from exc

    def _read(self, path: Path) -> bytes | None:
        try:
            if not self._inside_root(path.parent):
                return None
            return path.read_bytes()
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            return None

    async def get(self, key: str) -> bytes | None:
        path = self._path(key)
        try:
            return await anyio.to_thread.run_sync(self._read, path)
        except OSError as exc:
            raise StorageUnavailable("Media storage is unavailable.") from exc

    def url(self, key: str) -> str:
        return url_for(self._base, key)

    def key_of(self, url: str) -> str | None:
        return key_under(self._base, url)

    def resolve(self, key: str) -> Path | None:
        """The file holding ``key``, or ``None`` if the key is invalid, escapes the root, or does not exist."""
        try:
            path = self._path(key)
            resolved = path.resolve()
        except (ValueError, OSError):
            return None
        if not resolved.is_relative_to(self._root.resolve()) or not resolved.is_file():
            return None
        return resolved
