"""The admin check every content service makes before an admin-only action (one rule, ``ports.staff``)."""

from __future__ import annotations

from core.shared.errors import PermissionDenied
from ports.staff import ADMIN_ONLY_MESSAGE, StaffDirectory

__all__ = ("require_admin",)


async def require_admin(staff: StaffDirectory, actor_id: int) -> None:
    """403 ``You do not have permission to perform this action.`` unless ``actor_id`` is an administrator."""
    if not await staff.is_staff(actor_id):
        raise PermissionDenied(ADMIN_ONLY_MESSAGE)
