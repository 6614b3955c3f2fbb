"""Roles are Django groups (created by migration 0002). Codes are stable identifiers."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

DESK_CLERK = "desk_clerk"
SUPERVISOR = "supervisor"
TECHNICIAN = "technician"
WAREHOUSE = "warehouse"
ACCOUNTANT = "accountant"
QUALITY = "quality"
SERVICE_MANAGER = "service_manager"
GENERAL_MANAGER = "general_manager"
BRANCH_MANAGER = "branch_manager"
ADMINISTRATOR = "administrator"
VICE_GM = "vice_gm"
CARE_AGENT = "care_agent"
SALES = "sales"
PRODUCTION = "production"
RND = "rnd"

ROLE_LABELS = {
    DESK_CLERK: _("Desk clerk (业务员/客服)"),
    SUPERVISOR: _("Service supervisor (服务主任)"),
    TECHNICIAN: _("Technician (技术员)"),
    WAREHOUSE: _("Warehouse keeper (仓管员)"),
    ACCOUNTANT: _("Accountant (会计)"),
    QUALITY: _("Quality (品质)"),
    SERVICE_MANAGER: _("Service department (服务部)"),
    GENERAL_MANAGER: _("General manager (总经理)"),
    BRANCH_MANAGER: _("Branch manager (分公司经理)"),
    ADMINISTRATOR: _("Administrator (系统管理员)"),
    VICE_GM: _("Vice general manager (副总经理)"),
    CARE_AGENT: _("Return-visit agent (回访专员)"),
    SALES: _("Salesperson (销售员)"),
    PRODUCTION: _("Producing unit (生产单位)"),
    RND: _("R&D (研发)"),
}
ALL_ROLES = tuple(ROLE_LABELS)

# Roles that see every service centre's data. Everyone else sees their own centre only.
GLOBAL_ROLES = frozenset({SERVICE_MANAGER, GENERAL_MANAGER, ADMINISTRATOR, QUALITY, VICE_GM, PRODUCTION, RND})
# Roles that may register calls and edit the customer archive.
INTAKE_ROLES = frozenset({DESK_CLERK, SUPERVISOR, SERVICE_MANAGER, ADMINISTRATOR})
# Roles that may override a request's classification (with a reason).
CLASSIFY_OVERRIDE_ROLES = frozenset({SUPERVISOR, SERVICE_MANAGER, ADMINISTRATOR})
# Roles that dispatch, reassign, inspect (验讫) and waive signatures (DISP-01, REP-04).
DISPATCH_ROLES = frozenset({SUPERVISOR, SERVICE_MANAGER, ADMINISTRATOR})
# Roles that see their whole centre's jobs. A user who is only a technician sees only his own jobs.
CENTER_ROLES = frozenset({DESK_CLERK, SUPERVISOR, WAREHOUSE, ACCOUNTANT, BRANCH_MANAGER, CARE_AGENT, SALES})
# Roles that sign branch supervisors' daily reports before they go to the service department (DRPT-03).
REPORT_SIGN_ROLES = frozenset({BRANCH_MANAGER, SERVICE_MANAGER, ADMINISTRATOR})
# Roles that may download the customer archive (names, phones, addresses) as a workbook: those who keep it and answer
# for it; a technician looks customers up one at a time and never takes the branch's list home.
CUSTOMER_EXPORT_ROLES = frozenset({DESK_CLERK, SUPERVISOR, BRANCH_MANAGER, SERVICE_MANAGER, GENERAL_MANAGER, ADMINISTRATOR})
# Roles that may import the archive in bulk.
IMPORT_ROLES = frozenset({SERVICE_MANAGER, ADMINISTRATOR, SUPERVISOR})
# Roles that work the opinion cards and return visits: enter answers from calls, make visits (SURV, VIS).
CARE_ROLES = frozenset({CARE_AGENT, DESK_CLERK, SUPERVISOR, SERVICE_MANAGER, ADMINISTRATOR})
# Who handles general opinions and replies to them (SURV-04: the service department).
FEEDBACK_GENERAL_ROLES = frozenset({SERVICE_MANAGER, ADMINISTRATOR})
# Who reviews serious opinions and replies by letter, or forwards them (SURV-04: the vice-GM).
FEEDBACK_SERIOUS_ROLES = frozenset({VICE_GM, GENERAL_MANAGER, ADMINISTRATOR})
# Who manages maintenance contracts and works renewal tasks (CON-01, CON-02).
CONTRACT_ROLES = frozenset({SALES, SUPERVISOR, SERVICE_MANAGER, ADMINISTRATOR})
# Who registers complaints and coordinates them (CMP-05 the GM office / CMP-23 the customer-service department).
COMPLAINT_COORDINATOR_ROLES = frozenset({SERVICE_MANAGER, ADMINISTRATOR})
# Who may register a complaint on a customer's behalf (any staff member may raise one, CMP-23).
COMPLAINT_INTAKE_ROLES = frozenset({DESK_CLERK, SUPERVISOR, CARE_AGENT, SALES, SERVICE_MANAGER, ADMINISTRATOR, QUALITY})
