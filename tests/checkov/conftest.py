"""One checkov run for every fixture (checkov takes seconds to start): session-scoped."""

from __future__ import annotations

import pytest

from byside.checkov_bridge import runner

from . import fixtures


@pytest.fixture(scope="session")
def checkov_bin():
    if not runner.CHECKOV_BIN.is_file():
        pytest.fail(f"{runner.CHECKOV_BIN} is missing: run `make checkov-env` (make test does)")
    return runner.CHECKOV_BIN


@pytest.fixture(scope="session")
def fixture_run(checkov_bin):
    return runner.run_checkov(fixtures.resources(), checkov_bin=checkov_bin)
