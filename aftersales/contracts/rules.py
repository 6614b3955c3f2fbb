"""Who manages maintenance contracts: salespeople, supervisors and head office (CON-01, CON-02)."""

import rules

from aftersales.accounts import roles
from aftersales.accounts.rules import has_role, in_scope, is_staff_member

rules.add_perm("contracts.view", is_staff_member & in_scope)
rules.add_perm("contracts.manage", is_staff_member & has_role(*roles.CONTRACT_ROLES) & in_scope)
