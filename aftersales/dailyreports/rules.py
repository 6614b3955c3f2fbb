"""Who may review, sign and receive daily reports (the object is a report or a service centre)."""

from __future__ import annotations

import rules

from aftersales.accounts import roles
from aftersales.accounts.rules import has_role, in_scope, is_staff_member

rules.add_perm("dailyreports.review", is_staff_member & has_role(*roles.DISPATCH_ROLES) & in_scope)
rules.add_perm("dailyreports.sign", is_staff_member & has_role(*roles.REPORT_SIGN_ROLES) & in_scope)
rules.add_perm("dailyreports.receive", is_staff_member & has_role(roles.SERVICE_MANAGER, roles.ADMINISTRATOR))
