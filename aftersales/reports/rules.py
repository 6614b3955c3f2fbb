"""Who reads the management reports (the monthly and quarterly summaries)."""

from __future__ import annotations

import rules

from aftersales.accounts.rules import has_role, is_staff_member
from aftersales.reports.services import READ_ROLES

rules.add_perm("reports.read", is_staff_member & has_role(*READ_ROLES))
