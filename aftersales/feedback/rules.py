"""Who may see, enter, answer and chase opinions (SURV-04..06)."""

import rules

from aftersales.accounts import roles
from aftersales.accounts.rules import has_role, in_scope, is_staff_member


@rules.predicate
def is_assignee(user, obj) -> bool:
    return obj is not None and (getattr(obj, "assigned_to_id", None) == user.pk or getattr(obj, "forwarded_to_id", None) == user.pk)


@rules.predicate
def is_serious(user, obj) -> bool:
    return obj is not None and getattr(obj, "severity", "") == "serious"


handles_general = has_role(*roles.FEEDBACK_GENERAL_ROLES)
handles_serious = has_role(*roles.FEEDBACK_SERIOUS_ROLES)
supervises = has_role(roles.SUPERVISOR, roles.SERVICE_MANAGER, roles.ADMINISTRATOR)

rules.add_perm("feedback.view", is_staff_member & in_scope)
rules.add_perm("feedback.enter", is_staff_member & has_role(*roles.CARE_ROLES) & in_scope)
# A serious opinion is the vice-GM's (or whoever he forwarded it to); a general one the service department's.
rules.add_perm("feedback.reply", is_staff_member & (is_assignee | (is_serious & handles_serious) | (~is_serious & handles_general)))
rules.add_perm("feedback.forward", is_staff_member & ((is_serious & handles_serious) | (~is_serious & handles_general)))
rules.add_perm("feedback.work_task", is_staff_member & (is_assignee | (supervises & in_scope)))
rules.add_perm("feedback.chase", is_staff_member & handles_general)
