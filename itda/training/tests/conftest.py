"""Training test fixtures: certificate PDFs need WeasyPrint and the full Pretendard GOV."""

import os

import pytest

from itda.training.certificates import fonts_missing


@pytest.fixture
def certificate_pdfs(pdf_engine, settings, tmp_path):
    """PDFs can be rendered, and are stored under a temporary media folder."""
    if missing := fonts_missing():
        message = f"certificate fonts are not installed (npm ci): {missing}"
        if os.environ.get("ITDA_REQUIRE_PDF") == "1":
            pytest.fail(message)
        pytest.skip(message)
    settings.MEDIA_ROOT = tmp_path
    return tmp_path
