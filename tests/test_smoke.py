"""The package imports and its command line answers --help without audio hardware."""

import subprocess
import sys


def test_cli_help_lists_commands():
    out = subprocess.run([sys.executable, "-m", "voice_interviewer", "--help"], capture_output=True, text=True, check=True)
    for command in ("analyze", "demo", "interview", "devices", "report"):
        assert command in out.stdout
