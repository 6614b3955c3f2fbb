"""Object permissions as ``rules`` predicates. Lists are filtered by ``scoping.scope_by_center``."""

from __future__ import annotations

import rules

from aftersales.accounts import roles


def _center_id_of(obj) -> int | None:
    """The service centre an object belongs to (a centre belongs to itself)."""
    from aftersales.accounts.models import ServiceCenter

    if obj is None:
        return None
    if isinstance(obj, ServiceCenter):
        return obj.pk
    return getattr(obj, "service_center_id", None)


@rules.predicate
def in_scope(user, obj) -> bool:
    """The object's service centre is the user's own, or the user sees every centre."""
    if obj is None:
        return True
    return user.has_global_scope or (_center_id_of(obj) is not None and _center_id_of(obj) == user.service_center_id)


def has_role(*codes: str):
    @rules.predicate(name=f"has_role({','.join(codes)})")
    def predicate(user) -> bool:
        return bool(user and user.is_authenticated and user.has_role(*codes))

    return predicate


is_intake = has_role(*roles.INTAKE_ROLES)
may_override_category = has_role(*roles.CLASSIFY_OVERRIDE_ROLES)
may_import = has_role(*roles.IMPORT_ROLES)
is_staff_member = rules.is_authenticated & rules.is_active

rules.add_perm("customers.view", is_staff_member & in_scope)
rules.add_perm("customers.change", is_intake & in_scope)
rules.add_perm("customers.import", may_import)
rules.add_perm("customers.export", has_role(*roles.CUSTOMER_EXPORT_ROLES))
rules.add_perm("servicedesk.view", is_staff_member & in_scope)
rules.add_perm("servicedesk.register", is_intake & in_scope)
rules.add_perm("servicedesk.override_category", may_override_category & in_scope)
rules.add_perm("servicedesk.cancel", is_intake & in_scope)
# The national working calendar and the rules are the company's: the service department and administrators own them.
rules.add_perm("core.manage_calendar", has_role(roles.SERVICE_MANAGER, roles.ADMINISTRATOR))
rules.add_perm("core.view_calendar", is_staff_member)
rules.add_perm("configuration.change_rules", has_role(roles.SERVICE_MANAGER, roles.ADMINISTRATOR))
rules.add_perm("configuration.view_rules", has_role(roles.SERVICE_MANAGER, roles.ADMINISTRATOR, roles.GENERAL_MANAGER, roles.SUPERVISOR))
