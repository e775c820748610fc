"""Fixtures shared by more than one room's tests."""

import pytest

from tests import motoserver


@pytest.fixture(scope="session")
def moto_url():
    """One moto server (server mode, loopback) for the whole session."""
    yield motoserver.url()


@pytest.fixture
def aws(moto_url, monkeypatch):
    """A fresh moto account with the AWS environment pointed at it."""
    motoserver.reset()
    motoserver.env(monkeypatch)
    return moto_url
