import pytest


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a block's on-commit callbacks at its end, as its commit would: the change is counted then."""

    def block():
        return django_capture_on_commit_callbacks(execute=True)

    return block
