"""The demo stores one file (a PBL deliverable, itda.demo.employment): keep it out of the data
folder while the demo tests generate it."""

import pytest
from django.test.utils import override_settings


@pytest.fixture(scope="session", autouse=True)
def _media_in_tmp(tmp_path_factory):
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("demo-media")):
        yield
