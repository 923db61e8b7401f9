"""itda is a plain Python package: importing it pulls in no Django."""

import subprocess
import sys


def test_top_level_package_imports_nothing_from_django():
    code = "import sys, itda; print(sorted(m for m in sys.modules if m.startswith('django')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
