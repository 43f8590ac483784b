"""A real SMTP server (aiosmtpd) on 127.0.0.1 that records what it receives, or refuses it."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller


@dataclass
class Recorder:
    received: list[EmailMessage] = field(default_factory=list)
    answer: str = ""  # e.g. "451 try later" or "550 no such user"; empty: accept
    on_message: Any = None  # called with each received message (auto-responders)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.answer:
            return self.answer
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.received.append(message)
        if self.on_message:
            self.on_message(message)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[Recorder]:
    recorder = Recorder()
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
        }
    }
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    try:
        yield recorder
    finally:
        controller.stop()
