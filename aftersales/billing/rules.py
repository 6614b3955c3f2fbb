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


@rules.predicate
def money_of_own_job(user, obj) -> bool:
    """A field-only technician reads the money of his own jobs only (obj: a work order, or a record with one)."""
    from aftersales.accounts.scoping import is_field_only

    if obj is None or not is_field_only(user):
        return True
    work_order = obj if hasattr(obj, "technician_id") else getattr(obj, "work_order", None)
    return work_order is not None and work_order.technician_id == user.pk


rules.add_perm("billing.view", is_staff_member & in_scope & money_of_own_job)


@rules.predicate
def sees_whole_centre(user) -> bool:
    from aftersales.accounts.scoping import is_field_only

    return not is_field_only(user)


# The office's sheets (discounts, parts agreements, parts cost by warranty) list the whole centre's money.
rules.add_perm("billing.view_office", is_staff_member & sees_whole_centre)
rules.add_perm("billing.manage_prices", is_staff_member & has_role(roles.SERVICE_MANAGER, roles.ADMINISTRATOR))
