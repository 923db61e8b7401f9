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


@pytest.fixture
def company_a(company):
    """The company manager's company, at the smart-factory level of factories.employee_cohort
    (the 재직자 nomination tests)."""
    firm = company.companies.get()
    firm.smart_factory_level = "intermediate1"
    firm.save(update_fields=["smart_factory_level"])
    return firm
