"""The matching engine imports nothing from Django or the rest of itda."""

import subprocess
import sys
from pathlib import Path

ENGINE = Path(__file__).resolve().parent.parent / "engine"


def test_engine_modules_import_no_django_and_no_itda_app():
    modules = sorted(p.stem for p in ENGINE.glob("*.py") if p.stem != "__init__")
    assert "deferred_acceptance" in modules and "__main__" in modules
    code = (
        "import sys\n"
        # Django made unimportable, so an import anywhere below fails loudly, not just shows.
        "sys.modules['django'] = None\n"
        + "".join(f"import itda.matching.engine.{m}\n" for m in modules if m != "__main__")
        + "import runpy; runpy.run_module('itda.matching.engine.__main__', run_name='probe')\n"
        # Lazy imports too: run every algorithm once.
        "from itda.matching.engine import ALGORITHMS, solve_json\n"
        "data = {'trainees': [{'id': 'T1', 'ranking': ['P1']}], "
        "'positions': [{'id': 'P1', 'capacity': 1, 'ranking': []}]}\n"
        "for a in ALGORITHMS: solve_json(data, a, explain=True)\n"
        "bad = sorted(m for m, mod in sys.modules.items() if mod is not None and ("
        "m.startswith('django') or (m.startswith('itda.') and "
        "not m.startswith('itda.matching.engine') and m != 'itda.matching')))\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
