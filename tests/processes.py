"""Running Python in a fresh process, for what only a process's own start shows (the settings
it builds from its environment, what it imports)."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from django.conf import settings


def run_python(code: str, env: dict[str, str]) -> Any:
    """Run `code` with this interpreter in the project's directory under `env`; the JSON its
    last printed line holds. Fails the test with the process's errors when it fails."""
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])
