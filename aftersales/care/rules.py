"""Who makes return visits: visit agents, desk clerks, supervisors of the customer's centre, and head office;
a rule's ``assigned_role`` (e.g. the GM office's quarterly sampling) lets that role make its visits too."""

import rules

from aftersales.accounts import roles
from aftersales.accounts.rules import has_role, in_scope, is_staff_member


@rules.predicate
def holds_rule_role(user, visit) -> bool:
    role = getattr(getattr(visit, "rule", None), "assigned_role", "")
    return bool(role) and user.has_role(role)


rules.add_perm("care.view", is_staff_member & in_scope)
rules.add_perm("care.visit", is_staff_member & ((has_role(*roles.CARE_ROLES) & in_scope) | holds_rule_role))
