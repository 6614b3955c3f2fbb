"""Who manages the outbox (sees failed messages and sends them again)."""

import rules

from aftersales.accounts import roles
from aftersales.accounts.rules import has_role, is_staff_member

rules.add_perm("notifications.manage_outbox", is_staff_member & has_role(roles.ADMINISTRATOR, roles.SERVICE_MANAGER))
