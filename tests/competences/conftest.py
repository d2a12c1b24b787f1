"""Fixtures of the competences tests live in tests/competences/fixtures.py, a plugin of
tests/conftest.py, so that the browser tests in tests/e2e/ can use them too."""
