"""Pure selection maths: aggregation and ranking, evaluator assignment.

Plain data in, plain data out: no Django, no database, no clock, no unseeded randomness
(``tests/test_purity.py`` enforces it), so anyone can recompute a published result.
"""
