"""Who may keep which warehouse, manage the catalogue, and handle claims."""

from __future__ import annotations

import rules

from aftersales.accounts import roles
from aftersales.accounts.rules import has_role, is_staff_member

STOCK_ROLES = (roles.WAREHOUSE, roles.SERVICE_MANAGER, roles.ADMINISTRATOR)


@rules.predicate
def keeps_warehouse(user, warehouse) -> bool:
    """A warehouse keeper keeps his centre's warehouses (its vans and old-parts store included);
    head-office keepers (no centre) keep the central warehouse; managers keep them all."""
    if warehouse is None:
        return True
    if user.has_global_scope:
        return True
    if warehouse.level == "central":
        return user.service_center_id is None
    return warehouse.service_center_id == user.service_center_id


is_stock_keeper = has_role(*STOCK_ROLES)
handles_claims = has_role(roles.SUPERVISOR, roles.QUALITY, roles.SERVICE_MANAGER, roles.ADMINISTRATOR)

rules.add_perm("parts.keep_stock", is_staff_member & is_stock_keeper & keeps_warehouse)
rules.add_perm("parts.manage_catalogue", is_staff_member & is_stock_keeper)
rules.add_perm("parts.view", is_staff_member)
rules.add_perm("parts.handle_claims", is_staff_member & handles_claims)
rules.add_perm("parts.decide_claims", is_staff_member & has_role(roles.QUALITY, roles.SERVICE_MANAGER, roles.ADMINISTRATOR))
