"""Who prices jobs, issues invoices, collects and receives money (objects are work orders or invoices)."""

from __future__ import annotations

import rules

from aftersales.accounts import roles
from aftersales.accounts.rules import has_role, in_scope, is_staff_member
from aftersales.workorders.rules import is_assigned_technician

is_accountant = has_role(roles.ACCOUNTANT, roles.SERVICE_MANAGER, roles.ADMINISTRATOR)
prices_jobs = has_role(roles.DESK_CLERK, roles.SUPERVISOR, roles.ACCOUNTANT, roles.SERVICE_MANAGER, roles.ADMINISTRATOR)

rules.add_perm("billing.price", is_staff_member & prices_jobs & in_scope)
rules.add_perm("billing.quote", is_staff_member & (prices_jobs | has_role(roles.TECHNICIAN)) & in_scope)
rules.add_perm("billing.invoice", is_staff_member & is_accountant & in_scope)
rules.add_perm("billing.collect", is_staff_member & (is_assigned_technician | (is_accountant & in_scope)))
rules.add_perm("billing.view", is_staff_member & in_scope)
rules.add_perm("billing.manage_prices", is_staff_member & has_role(roles.SERVICE_MANAGER, roles.ADMINISTRATOR))
