"""The outgoing SMTP server the outbox delivers to (shared with the outbox's tests)."""

from tests.mailout.conftest import smtp_server

__all__ = ["smtp_server"]
