"""The engine imports nothing from Django or the rest of itda."""

import subprocess
import sys
from pathlib import Path

ENGINE = Path(__file__).resolve().parent.parent


def test_engine_modules_import_no_django_and_no_itda_app():
    modules = sorted(p.stem for p in ENGINE.glob("*.py") if p.stem != "__init__")
    code = (
        "import sys\n"
        + "".join(f"import itda.evaluation.engine.{m}\n" for m in modules)
        + "bad = sorted(m for m in sys.modules if m.startswith('django') or "
        "(m.startswith('itda.') and not m.startswith('itda.evaluation.engine') "
        "and m != 'itda.evaluation'))\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
