"""Fixtures shared by the unit tests."""

from __future__ import annotations

import pytest

from pvserver.session import Session


@pytest.fixture
def session() -> Session:
    return Session()
