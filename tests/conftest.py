import pytest

from assemble.plan import load_plan


@pytest.fixture(scope="session")
def plan():
    return load_plan()
