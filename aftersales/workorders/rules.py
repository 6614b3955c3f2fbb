"""Who may do what with a work order (the object is a WorkOrder or, for dispatch, a ServiceRequest)."""

from __future__ import annotations

import rules

from aftersales.accounts import roles
from aftersales.accounts.rules import has_role, in_scope, is_staff_member


@rules.predicate
def is_assigned_technician(user, work_order) -> bool:
    return work_order is not None and getattr(work_order, "technician_id", None) == user.pk


is_dispatcher = has_role(*roles.DISPATCH_ROLES)
is_desk = has_role(*roles.INTAKE_ROLES)

rules.add_perm("workorders.dispatch", is_staff_member & is_dispatcher & in_scope)
# The technician does his own job; a supervisor may record a step for him (a phone call from site).
rules.add_perm("workorders.work", is_staff_member & (is_assigned_technician | (is_dispatcher & in_scope)))
rules.add_perm("workorders.inspect", is_staff_member & is_dispatcher & in_scope)
rules.add_perm("workorders.waive_signature", is_staff_member & is_dispatcher & in_scope)
# The item goes back through the technician or the desk (REP-04: the clerk logs the return).
rules.add_perm("workorders.give_back", is_staff_member & (is_assigned_technician | ((is_dispatcher | is_desk) & in_scope)))
rules.add_perm("workorders.cancel", is_staff_member & is_dispatcher & in_scope)
