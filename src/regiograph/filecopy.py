"""The files a build writes for the next one: byte ranges of a previous build's files
copied into the new ones (graph.trig, graph.ttl, the packs: what makes an incremental
build's writing cheap), packs of records, and pickled files."""

from __future__ import annotations

import errno
import os
import pickle
import shutil
import time
from pathlib import Path

SHORT = "the previous build's file is shorter than its cache index says"
#: What reading a pickled file of the cache fails with when it is missing, cut short or
#: written by another version.
UNREADABLE = (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError)


def write_pickle(path: Path, value: object) -> None:
    with path.open("wb") as handle:
        pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)


def read_pickle(path: Path, kind: type) -> object | None:
    """The value pickled in ``path`` when it is a ``kind``; ``None`` when the file cannot
    be read or holds something else."""
    try:
        with path.open("rb") as handle:
            value = pickle.load(handle)
    except UNREADABLE:
        return None
    return value if isinstance(value, kind) else None


class BlockCopier:
    """Copies byte ranges of ``source`` (a file open for reading) to the end of ``target``
    (open for writing), joining adjacent ones."""

    def __init__(self, source, target) -> None:
        self.source, self.target = source, target
        self.start = self.end = 0

    def add(self, offset: int, length: int) -> None:
        if offset != self.end:
            self.flush()
            self.start = self.end = offset
        self.end += length

    def flush(self) -> None:
        remaining = self.end - self.start
        if remaining and not self._copy_in_kernel(remaining):
            self.source.seek(self.start)
            while remaining > 0:
                chunk = self.source.read(min(remaining, 1 << 24))
                if not chunk:
                    raise OSError(SHORT)
                self.target.write(chunk)
                remaining -= len(chunk)
        self.start = self.end

    def _copy_in_kernel(self, length: int) -> bool:
        """Copy with ``os.copy_file_range`` (no trip through Python's buffers); ``False``
        when the files or the system cannot (then nothing was copied)."""
        copy = getattr(os, "copy_file_range", None)  # Linux only
        try:
            source, target = self.source.fileno(), self.target.fileno()
        except (AttributeError, OSError):  # in-memory files
            return False
        if copy is None:
            return False
        self.target.flush()
        done = 0
        try:
            while done < length:
                n = copy(source, target, length - done, self.start + done)
                if n == 0:
                    raise OSError(SHORT)
                done += n
        except OSError as exc:
            if done or exc.errno not in _NO_KERNEL_COPY:
                raise
            return False
        finally:
            self.target.seek(0, os.SEEK_END)  # the buffered writer's position, in step again
        return True


#: What ``os.copy_file_range`` fails with where it cannot copy between the two files.
_NO_KERNEL_COPY = {errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.EBADF}


class Pack:
    """Records written one after the other into ``path`` (an entry of the build cache);
    the unchanged ones are copied from the previous build's pack, ``previous``."""

    def __init__(self, path: Path, previous: Path | None) -> None:
        self.out = path.open("wb")
        self.old = previous.open("rb") if previous is not None else None
        self.copier = BlockCopier(self.old, self.out)
        self.position = 0

    def copy(self, offset: int, length: int) -> list[int]:
        """Copy a record of the previous pack; return where it is in the new one."""
        self.copier.add(offset, length)
        return self._advance(length)

    def write(self, data: bytes) -> list[int]:
        """Write a record; return where it is (offset, length)."""
        self.copier.flush()
        self.out.write(data)
        return self._advance(len(data))

    def _advance(self, length: int) -> list[int]:
        where = [self.position, length]
        self.position += length
        return where

    def previous(self, offset: int, length: int) -> bytes:
        """A record of the previous pack."""
        data = os.pread(self.old.fileno(), length, offset)
        if len(data) != length:
            raise OSError(SHORT)
        return data

    def close(self) -> None:
        try:
            self.copier.flush()
        finally:
            self.out.close()
            if self.old is not None:
                self.old.close()


def replace_dir(new: Path, target: Path) -> None:
    """Move ``new`` to ``target``; the old ``target`` is removed only after the move."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{int(time.time() * 1000)}")
        target.rename(old)
    try:
        new.rename(target)
    except BaseException:
        if old is not None:
            old.rename(target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
