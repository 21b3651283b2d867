"""copylint: a copy-editing linter for article text."""

__version__ = "0.1.0"
