"""Start ``storydesk`` commands fast, many times: a helper process imports storydesk and
warms its caches once, then forks one child per command. A child runs the command
line exactly as the installed ``storydesk`` does (``storydesk.cli.app.main``), with
``STORYDESK_DB`` set, so a test can kill -9 it at any point of the real work without
waiting seconds of imports each time.

    with ForkServer() as fs:
        pid = fs.start(db, "add", "src/storydesk/sample")
        os.kill(pid, signal.SIGKILL)
        fs.wait(pid)          # -9, or the exit code

Run as a script it is the helper: one JSON command per stdin line.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path


class ForkServer:
    __test__ = False

    def __init__(self, warm_inputs: list[str] | None = None) -> None:
        self._proc = subprocess.Popen(
            [sys.executable, __file__, json.dumps(warm_inputs or [])],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1,
        )
        assert self._read() == "ready"

    def _read(self) -> str:
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline()
        if not line:
            raise RuntimeError("fork server died")
        return line.strip()

    def _send(self, cmd: list[str]) -> str:
        assert self._proc.stdin is not None
        self._proc.stdin.write(json.dumps(cmd) + "\n")
        self._proc.stdin.flush()
        return self._read()

    def start(self, db: Path | str, *args: str, log: Path | str = os.devnull) -> int:
        """Fork a child running ``storydesk ARGS`` on ``db``; its pid."""
        return int(self._send(["start", str(db), str(log), *args]))

    def wait(self, pid: int) -> int:
        """The child's exit code, or minus the signal that ended it."""
        return int(self._send(["wait", str(pid)]))

    def close(self) -> None:
        if self._proc.poll() is None:
            assert self._proc.stdin is not None
            self._proc.stdin.close()
            self._proc.wait(timeout=30)

    def __enter__(self) -> ForkServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _child(db: str, log: str, args: list[str]) -> None:
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.environ["STORYDESK_DB"] = db
    sys.stdin = open(0, closefd=False)  # noqa: SIM115
    sys.stdout = open(1, "w", closefd=False)  # noqa: SIM115
    sys.stderr = open(2, "w", closefd=False)  # noqa: SIM115
    sys.argv = ["storydesk", *args]
    code = 0
    try:
        from storydesk.cli.app import main

        main()
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except BaseException:  # noqa: BLE001 - reported in the child's log
        import traceback

        traceback.print_exc()
        code = 70
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _serve(warm_inputs: list[str]) -> None:
    from storydesk import Desk
    from storydesk.cli.app import main  # noqa: F401 - imported before forking

    if warm_inputs:  # fill every cache the real work will need, then fork from here
        with tempfile.TemporaryDirectory() as tmp, Desk(str(Path(tmp) / "warm.db")) as d:
            d.add(warm_inputs)
    print("ready", flush=True)
    for line in sys.stdin:
        cmd = json.loads(line)
        if cmd[0] == "start":
            pid = os.fork()
            if pid == 0:
                _child(cmd[1], cmd[2], cmd[3:])
            print(pid, flush=True)
        elif cmd[0] == "wait":
            _, status = os.waitpid(int(cmd[1]), 0)
            print(os.waitstatus_to_exitcode(status), flush=True)


if __name__ == "__main__":
    _serve(json.loads(sys.argv[1]))
