"""Write an export so that its path holds either the old file or the whole new one, never a mix.

Each writer gets its own *unnamed* file in the target folder (``O_TMPFILE``):
two exports to one path cannot write into each other's file, a symlink
planted at a guessable ``.part`` name is never followed, and a process
killed half way leaves nothing behind (the kernel frees an unnamed file).
On success the file is linked under a fresh random name and renamed over
the target in one step (``rename`` replaces a symlink at the target rather
than writing through it). Filesystems without ``O_TMPFILE`` get a
``mkstemp`` file (exclusive create, random name), removed on failure.
"""
from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO


@contextlib.contextmanager
def atomic_file(path: str | Path, *, binary: bool = False) -> Iterator[IO]:
    """Yield a new file for ``path``'s content; rename it into place when the block ends without error."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    named: Path | None = None
    try:
        fd = os.open(folder, os.O_TMPFILE | os.O_WRONLY | os.O_CLOEXEC, 0o644)
    except (OSError, AttributeError):
        fd, name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".part")
        named = Path(name)
        os.chmod(named, 0o644)
    try:
        with (os.fdopen(fd, "wb") if binary else
              os.fdopen(fd, "w", encoding="utf-8", newline="")) as f:
            yield f
            f.flush()
            if named is None:
                named = _link_unnamed(fd, folder, path.name)
        os.replace(named, path)
        named = None
    finally:
        if named is not None:
            named.unlink(missing_ok=True)


def _link_unnamed(fd: int, folder: Path, name: str) -> Path:
    """Give the unnamed file ``fd`` a fresh random name in ``folder`` (linkat fails rather than overwrite)."""
    dir_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        for _ in range(100):
            target = f".{name}.{secrets.token_hex(8)}.part"
            try:
                # an explicit dir fd makes os.link call linkat(AT_SYMLINK_FOLLOW), which links the file the
                # /proc entry stands for (plain link() would try to link the /proc symlink itself)
                os.link(f"/proc/self/fd/{fd}", target, src_dir_fd=dir_fd, dst_dir_fd=dir_fd, follow_symlinks=True)
                return folder / target
            except FileExistsError:
                continue
    finally:
        os.close(dir_fd)
    raise FileExistsError(f"{folder}: could not find a free temporary name for {name}")
