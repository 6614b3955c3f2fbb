"""Who may enter attendance and read the service cost budgets (the services check the same roles)."""

from __future__ import annotations

import rules

from aftersales.accounts.rules import has_role, is_staff_member
from aftersales.performance.attendance import ATTENDANCE_ROLES
from aftersales.performance.costs import READ_ROLES

rules.add_perm("performance.enter_attendance", is_staff_member & has_role(*ATTENDANCE_ROLES))
rules.add_perm("performance.read_costs", is_staff_member & has_role(*READ_ROLES))
