"""Who requests, approves, receives and settles returns (RET-01: after-sales owns the returns)."""

import rules

from aftersales.accounts import roles
from aftersales.accounts.rules import has_role, in_scope, is_staff_member

rules.add_perm("returns.view", is_staff_member & in_scope)
rules.add_perm("returns.request", is_staff_member & has_role(roles.SALES, roles.DESK_CLERK, roles.SUPERVISOR, roles.SERVICE_MANAGER, roles.ADMINISTRATOR)
               & in_scope)
rules.add_perm("returns.approve", is_staff_member & has_role(roles.SUPERVISOR, roles.SERVICE_MANAGER, roles.ADMINISTRATOR) & in_scope)
rules.add_perm("returns.receive", is_staff_member & has_role(roles.WAREHOUSE, roles.SUPERVISOR, roles.SERVICE_MANAGER, roles.ADMINISTRATOR) & in_scope)
rules.add_perm("returns.settle", is_staff_member & has_role(roles.ACCOUNTANT, roles.SERVICE_MANAGER, roles.ADMINISTRATOR) & in_scope)
