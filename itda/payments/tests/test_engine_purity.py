"""The money engine imports nothing from Django or the rest of itda."""

import subprocess
import sys
from pathlib import Path

ENGINE = Path(__file__).resolve().parent.parent / "engine"


def test_engine_modules_import_no_django_and_no_itda_app():
    modules = sorted(p.stem for p in ENGINE.glob("*.py") if p.stem != "__init__")
    assert "arithmetic" in modules
    code = (
        "import sys\n"
        "sys.modules['django'] = None\n"
        + "".join(f"import itda.payments.engine.{m}\n" for m in modules)
        + "from itda.payments import engine\n"
        "engine.payable(engine.training_allowance(amount_krw=400000, full_rate='0.8', "
        "shortfall='prorate', credited=13, planned=21), cap_krw=400000, income_class='other')\n"
        "bad = sorted(m for m, mod in sys.modules.items() if mod is not None and ("
        "m.startswith('django') or (m.startswith('itda.') and "
        "not m.startswith('itda.payments.engine') and m != 'itda.payments')))\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
