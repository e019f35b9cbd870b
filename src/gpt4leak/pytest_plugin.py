"""pytest plugin (entry point ``pytest11``): ``pytest --gpt4leak`` and fixtures. Filled in below."""

import pytest


def pytest_addoption(parser):
    group = parser.getgroup("gpt4leak")
    group.addoption("--gpt4leak", action="store_true", default=False,
                    help="collect every gpt4leak check as a test item, failing when its verdict differs "
                         "from the verdict pinned in the catalogue")


@pytest.fixture(scope="session")
def catalogue():
    """The shipped GPT-4 catalogue, loaded once per session."""
    import gpt4leak
    return gpt4leak.load_catalogue()
