"""Transparency fixtures: an app pinned to 15 April 2026 and the fixture month in it."""

import pytest

from .month_data import fill_month


@pytest.fixture
def pinned(app_factory):
    return app_factory(CLOCK_NOW="2026-04-15T04:00:00", TIMEZONE="Asia/Shanghai")


@pytest.fixture
def world(pinned):
    with pinned.app_context():
        fill_month()
    return pinned
