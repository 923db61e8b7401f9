"""itda (잇다): education → linkage → employment. Imports nothing from Django on purpose."""

import os

# openpyxl reads with lxml whenever lxml is installed (python-hwpx brings it): lxml lets a NUL
# byte and other malformed sheet XML through where the standard parser refuses the file. The
# uploads are read with the standard parser (recruitment's hostile-file tests hold it).
os.environ["OPENPYXL_LXML"] = "False"

__version__ = "0.1.0"
