"""Who may enter attendance (the import checks the same roles as the service)."""

from __future__ import annotations

import rules

from aftersales.accounts.rules import has_role, is_staff_member
from aftersales.performance.attendance import ATTENDANCE_ROLES

rules.add_perm("performance.enter_attendance", is_staff_member & has_role(*ATTENDANCE_ROLES))
