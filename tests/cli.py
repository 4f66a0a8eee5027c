"""Running the real ``storydesk`` command in tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def storydesk(*args: str, db: Path | str, cwd: Path | str | None = None,
              timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``storydesk ARGS`` through its installed entry point, on the store ``db``."""
    exe = Path(sys.executable).parent / "storydesk"
    env = {**os.environ, "STORYDESK_DB": str(db), "COLUMNS": "200"}
    return subprocess.run([str(exe), *args], capture_output=True, text=True, env=env,
                          timeout=timeout, cwd=cwd)
