"""Who registers, coordinates and sees complaints (CMP-05, CMP-23)."""

import rules

from aftersales.accounts import roles
from aftersales.accounts.rules import has_role, in_scope, is_staff_member

rules.add_perm("complaints.view", is_staff_member & in_scope)
rules.add_perm("complaints.register", is_staff_member & has_role(*roles.COMPLAINT_INTAKE_ROLES) & in_scope)
rules.add_perm("complaints.coordinate", is_staff_member & has_role(*roles.COMPLAINT_COORDINATOR_ROLES))
