"""Imports follow the pipeline: an app imports only from apps earlier in it (DESIGN.md, "Import
direction"). Read with ast, so an import inside a function counts as much as one at the top."""

import ast
from pathlib import Path

import itda

PIPELINE = [
    "accounts",
    "notifications",
    "programs",
    "recruitment",
    "evaluation",
    "training",
    "internships",
    "matching",
    "payments",
    "outcomes",
    "privacy",
]
# lib serves every app and imports none; demo and api sit on top of the whole pipeline.
LIB = "lib"
ON_TOP = {"demo", "api"}
# Pure engines import nothing (no Django, no itda module; each has its purity test and
# ``test_pure_engines_import_nothing`` below), so any stage may call one without an import
# cycle: the money engine is payments', and internships shows a month's amount with it.
PURE = ("itda.payments.engine",)
ROOT = Path(itda.__file__).parent


def _modules():
    """(app, module name, path) of every non-test, non-migration module of an app or lib."""
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if len(parts) < 2 or "tests" in parts or "migrations" in parts:
            continue
        if parts[0] in PIPELINE or parts[0] == LIB:
            yield parts[0], ".".join(("itda", *parts)), path


def _imported(module: str, path: Path) -> set[str]:
    """Every itda module ``module`` imports, anywhere in its body; relative imports resolved."""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in found if name.startswith("itda.")}


def _app_of(name: str) -> str:
    return name.split(".")[1]


def _is_pure(name: str) -> bool:
    return any(name == p or name.startswith(f"{p}.") for p in PURE)


def _violations() -> list[str]:
    wrong = set()
    for app, module, path in _modules():
        for target in sorted(_imported(module, path)):
            other = _app_of(target)
            if other == app or other not in PIPELINE + [LIB, *ON_TOP]:
                continue
            if _is_pure(target):
                continue
            if app == LIB:
                allowed = False  # lib imports no app
            elif other == LIB:
                allowed = True
            else:
                allowed = other in PIPELINE and PIPELINE.index(other) < PIPELINE.index(app)
            if not allowed:
                wrong.add(f"{module} → itda.{other}")
    return sorted(wrong)


def test_apps_import_only_earlier_stages():
    assert _violations() == []


def test_pure_engines_import_nothing():
    """The exception above holds only while a pure engine imports no itda module but itself."""
    found = {
        (module, target)
        for _app, module, path in _modules()
        if _is_pure(module)
        for target in _imported(module, path)
        if not _is_pure(target)
    }
    assert found == set()


def test_the_check_sees_imports_inside_functions(tmp_path, monkeypatch):
    """A lazy import inside a function body is found, and a relative one is resolved."""
    module = tmp_path / "itda" / "programs" / "probe.py"
    module.parent.mkdir(parents=True)
    module.write_text(
        "def f():\n    from itda.payments.selectors import x\n    from ..training import models\n"
    )
    assert _imported("itda.programs.probe", module) == {
        "itda.payments.selectors",
        "itda.payments.selectors.x",
        "itda.training",
        "itda.training.models",
    }


def test_every_app_directory_is_placed():
    """A new app must take its place in the pipeline (or be declared on top of it)."""
    apps = {p.parent.name for p in ROOT.glob("*/apps.py")}
    assert apps <= set(PIPELINE) | ON_TOP, apps - set(PIPELINE) - ON_TOP
