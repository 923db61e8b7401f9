"""Pure two-sided matching with capacities (the hospital–residents problem) for match rounds.

Plain data in, plain data out: numpy (and OR-Tools for fill-seats), no Django, no database, no
clock, no randomness (``itda/matching/tests/test_engine_purity.py`` enforces the import
boundary), so anyone can rerun a published round from its exported input:
``python -m itda.matching.engine solve INPUT.json [--algorithm …] [--explain]``.
"""

from .instance import InputError, input_sha256
from .solve import ALGORITHMS, ENGINE_VERSION, solve_json

__all__ = ["ALGORITHMS", "ENGINE_VERSION", "InputError", "input_sha256", "solve_json"]
