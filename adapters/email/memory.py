"""A stateful in-memory mailer for tests."""

from __future__ import annotations

from ports.email import EmailMessage, TransientMailError

__all__ = ("InMemoryMailer",)


class InMemoryMailer:
    """Records sent messages in ``sent``; can be switched to fail.

    - ``down = True``: every ``send`` raises ``TransientMailError`` until it is set back to ``False``.
    - ``fail_next(n)``: the next ``n`` sends raise ``TransientMailError``, then sending works again.

    A failed send records nothing in ``sent``; ``attempts`` counts every call, failed or not.
    """

    __slots__ = ("_failures_left", "attempts", "down", "sent")

    def __init__(self) -> None:
        self.sent: list[EmailMessage] = []
        self.down = False
        self.attempts = 0
        self._failures_left = 0

    def fail_next(self, n: int = 1) -> None:
        if n < 0:
            raise ValueError("n must be >= 0")
        self._failures_left = n

    def to(self, address: str) -> list[EmailMessage]:
        """Messages sent to ``address`` (case-insensitive), oldest first."""
        wanted = address.casefold()
        return [m for m in self.sent if m.to.casefold() == wanted]

    async def send(self, message: EmailMessage) -> None:
        self.attempts += 1
        if self.down:
            raise TransientMailError("in-memory mailer is down")
        if self._failures_left > 0:
            self._failures_left -= 1
            raise TransientMailError("in-memory mailer: simulated failure")
        self.sent.append(message)
