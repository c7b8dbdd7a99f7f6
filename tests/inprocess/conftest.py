"""Fixtures shared by the tests of ``simple`` on the built-in session (no server)."""

from __future__ import annotations

import pytest


@pytest.fixture
def simple(simple_state):
    """``simple`` on a fresh built-in session."""
    simple_state.Connect()
    return simple_state
