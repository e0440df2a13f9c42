"""One writer at a time: an advisory lock (``fcntl.flock``) on a lock file beside an output, naming its holder.

``filelock`` (already installed) takes the same kind of lock but truncates the lock file before it knows whether
it got the lock, so a refused second writer could not say who holds it; this is the same few system calls, with
the holder's pid, host and start time kept in the file. The kernel releases a ``flock`` when its process dies
however it dies, so a lock file left by a killed run is recognised as stale and taken over. (On network file
systems without ``flock`` support, the lock protects only writers on the same machine.)
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import socket
import time
from pathlib import Path
from typing import Any

from stance.errors import OutputBusyError, OutputPathError

log = logging.getLogger(__name__)


class OutputLock:
    """Hold ``path`` (a lock file) for one writer: ``with OutputLock(path, "stance-predict"): ...``.

    A second writer gets :class:`~stance.errors.OutputBusyError` naming the holder's pid and host. The lock file is
    removed when the holder ends normally; one left by a process that died is taken over with a warning."""

    def __init__(self, path: str | Path, command: str, output: str | Path | None = None) -> None:
        self.path = Path(path)
        self.command = command
        self.output = Path(output) if output is not None else self.path
        self._fd: int | None = None

    def __enter__(self) -> OutputLock:
        while True:
            # no O_TRUNC: the holder's record must stay readable to the writer it refuses
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            except OSError as e:
                raise OutputPathError(f"output {str(self.output)!r} cannot be written: its lock "
                                      f"file {self.path} cannot be created ({e.strerror or e})") from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _read(fd)
                os.close(fd)
                raise OutputBusyError(
                    f"output {str(self.output)!r} is being written by pid {holder.get('pid', '?')} "
                    f"on {holder.get('host', '?')} (since {holder.get('started', '?')}, lock {self.path}); "
                    "wait for it to end, or choose another output") from None
            # a holder that ended between our open and our flock removed the file we locked: lock the one there now
            try:
                same = os.stat(self.path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        stale = _read(fd)
        if stale:
            log.warning("%s: taking over the stale lock %s of pid %s on %s, which no longer holds it (the process "
                        "ended without removing it)", self.command, self.path, stale.get("pid", "?"),
                        stale.get("host", "?"))
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "command": self.command,
                                  "started": time.strftime("%Y-%m-%dT%H:%M:%S%z")}).encode() + b"\n", 0)
        self._fd = fd
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is None:
            return
        try:
            self.path.unlink(missing_ok=True)  # while still holding it: a waiting writer then locks a new file
        finally:
            os.close(self._fd)
            self._fd = None


def _read(fd: int) -> dict[str, Any]:
    data = b""
    try:
        data = os.pread(fd, 4096, 0)
        rec = json.loads(data) if data.strip() else {}
    except (OSError, ValueError):
        return {"pid": "?"} if data.strip() else {}
    return rec if isinstance(rec, dict) else {}
