"""Files an output folder can trust: atomic writes, the folder lock, and file hashes.

Every output and every manifest is written under a temporary name in the same
folder and renamed, so a reader (or an interrupted run) never sees a partial
file. A file is fsynced before its rename, except a batch's outputs: those are
flushed together, by one :func:`sync_filesystem`, before the manifest that lists
them is written; leftovers of a killed run are named ``.<name>.gd-XXXXXXXX.part``
and are removed by :func:`cleanup_partials` (other ``.*.part`` files are not
ours and are left alone). One run at a time may write to a folder
(:func:`folder_lock`).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import hashlib
import os
import re
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

from grantdocs.errors import FolderBusy, OutputUnwritable


def atomic_write(path: Path, data: bytes, *, fsync: bool = True) -> None:
    """Write to a temporary file in the same folder, then rename over ``path``."""
    with atomic_open(path, "wb", fsync=fsync) as fh:
        fh.write(data)


@contextmanager
def atomic_open(path: Path, mode: str, *, fsync: bool = True) -> Iterator[Any]:
    """A file written under a temporary name in the same folder.

    It is renamed over ``path`` on success and removed on any failure, so
    ``path`` is never partial. With ``fsync=False`` its bytes may still be in
    the page cache after the rename (a killed process loses nothing, a power cut
    may): the caller then flushes them with :func:`sync_filesystem` before it
    records the file anywhere that is trusted without checking its bytes.
    """
    fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(path), suffix=".part", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are ordinary files
        binary = "b" in mode
        with os.fdopen(fd, mode, encoding=None if binary else "utf-8",
                       newline=None if binary else "") as fh:
            yield fh
            fh.flush()
            if fsync:
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path next to ``target`` for a library that writes a file itself.

    Renamed over ``target`` (after an fsync) when the block succeeds, removed
    when it fails, so ``target`` is never partial.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=_temp_prefix(target), suffix=".part", dir=target.parent)
    os.fchmod(fd, 0o666 & ~_umask())
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def sync_filesystem(folder: Path) -> None:
    """Flush every file written to ``folder``'s filesystem to disk: one ``syncfs(2)``.

    A batch writes its outputs without an fsync each (that was 5 % of a PDF
    letter's time) and calls this once before the manifest that lists them.
    Where ``syncfs`` is missing (not Linux), ``os.sync()`` flushes every
    filesystem instead.
    """
    syncfs = _syncfs()
    if syncfs is not None:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        try:
            if syncfs(fd) == 0:
                return
        finally:
            os.close(fd)
    os.sync()


@functools.cache
def _syncfs() -> Any:
    """libc's ``syncfs``, or None where there is none."""
    try:
        syncfs = ctypes.CDLL(None, use_errno=True).syncfs  # the C library the process runs on
    except (OSError, AttributeError):
        return None
    syncfs.argtypes = [ctypes.c_int]
    syncfs.restype = ctypes.c_int
    return syncfs


_TEMP_MARK = ".gd-"
#: A temporary file of ours: ``.<name>.gd-<mkstemp's 8 characters>.part``.
_OURS = re.compile(r"\..+\.gd-[a-z0-9_]{8}\.part")


def _temp_prefix(target: Path) -> str:
    return f".{target.name}{_TEMP_MARK}"


@functools.cache
def _umask() -> int:
    """The process's umask (read once: setting it back and forth is not thread-safe)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def is_regular(path: Path) -> bool:
    """``path`` is a regular file itself: not a symlink (not followed), folder, FIFO or device.

    The output folder is ours: a file grantdocs reads back from it (the
    manifest, the journal, an output to keep or zip) must be one that it could
    have written, never a link that points somewhere else.
    """
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except (OSError, ValueError):  # missing, a name too long, a NUL in it
        return False


def open_nofollow(path: Path) -> BinaryIO:
    """``path`` opened to read bytes; a symlink is refused (ELOOP), even one made since a check."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    return os.fdopen(fd, "rb")


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file, read in chunks (a symlink is refused, not followed)."""
    h = hashlib.sha256()
    with open_nofollow(path) as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def cleanup_partials(out_dir: Path) -> None:
    """Remove the temporary files a killed run left behind, and only those.

    A ``.*.part`` file that grantdocs did not name (a user's download, say) is
    left alone, and so is anything that is not a regular file.
    """
    for leftover in out_dir.glob(".*.part"):
        if _OURS.fullmatch(leftover.name) and is_regular(leftover):
            leftover.unlink(missing_ok=True)


@contextmanager
def folder_lock(out: Path) -> Iterator[None]:
    """Hold an exclusive lock on the output folder for the whole run.

    Two runs into one folder would fold each other's journals and overwrite
    each other's manifest; the second one stops at once instead, before it
    touches anything. The lock is taken on the folder itself (flock), so no
    lock file is left behind, and the kernel releases it however the process
    ends. (POSIX only: elsewhere runs are not locked.)
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    fd = os.open(out, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise FolderBusy(f"another grantdocs run is writing to {out}; wait for it to "
                             "finish, or choose another --out folder") from None
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


#: Errors that mean "this folder cannot take the file": full, over quota, read-only.
FULL_OR_READ_ONLY = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG})
_DENIED = frozenset({errno.EACCES, errno.EPERM})


@contextmanager
def unwritable_as_error(out: Path) -> Iterator[None]:
    """Turn a full disk or a read-only or forbidden output folder into one clear error.

    Every file is written atomically, so none is left partial; the manifest is
    replaced atomically too, so the one on disk still reads (the journal then
    records what this run added, and the next run folds it in).
    """
    try:
        yield
    except OSError as exc:
        where = Path(exc.filename) if isinstance(exc.filename, str) else out
        mine = where == out or out in where.parents
        if exc.errno not in FULL_OR_READ_ONLY and not (exc.errno in _DENIED and mine):
            raise
        raise OutputUnwritable(
            f"cannot write {where}: {exc.strerror or exc}. No file was left half-written and "
            f"the manifest in {out} lists what is complete; free space or make the folder "
            "writable, then run the same command again (it keeps what was written)"
        ) from None
