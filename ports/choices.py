"""The catalogue of valid options (behaviors Appendix A): industries, company sizes, timezones, …"""

from __future__ import annotations

from typing import Protocol

__all__ = ("ChoiceCatalogue",)


class ChoiceCatalogue(Protocol):
    async def values(self, category: str) -> list[str]:
        """The valid values of one category (``industry``, ``company_size``, ``timezones``, …), in order.

        An unknown category has no values.
        """
        ...
