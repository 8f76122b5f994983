"""assemble: turn a quarter's submissions into the Quarterly Update (Word and PDF)."""

__version__ = "0.1.0"
