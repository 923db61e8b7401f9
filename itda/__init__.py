"""itda (잇다): education → linkage → employment. Imports nothing from Django on purpose."""

__version__ = "0.1.0"
