"""The demo data command: deterministic, every role and state, idempotent."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from aftersales.accounts.roles import ALL_ROLES
from aftersales.contracts.models import MaintenanceContract
from aftersales.dailyreports.models import SupervisorDailyReport, TechnicianDailyReport
from aftersales.servicedesk.models import ServiceRequest, Status
from aftersales.workorders.models import Status as WorkOrderStatus
from aftersales.workorders.models import WorkOrder


def test_seed_demo_loads_every_role_and_every_request_state_and_a_second_run_changes_nothing(db):
    out = StringIO()
    call_command("seed_demo", customers=40, quiet=True, stdout=out)
    assert {g.name for g in Group.objects.filter(user__isnull=False)} == set(ALL_ROLES)
    # "resolved" is passed through on the way to "closed" (the voucher closes the call at once).
    assert set(ServiceRequest.objects.values_list("status", flat=True)) == set(Status.values) - {Status.RESOLVED}
    assert set(WorkOrder.objects.values_list("status", flat=True)) == set(WorkOrderStatus.values)
    assert WorkOrder.objects.filter(escalated_at__isnull=False).exists()
    assert TechnicianDailyReport.objects.filter(status="reviewed").exists() and TechnicianDailyReport.objects.filter(status="submitted").exists()
    assert set(SupervisorDailyReport.objects.values_list("status", flat=True)) == {"received"}
    # parts and billing (issue 4): stock in every warehouse level, paid jobs quoted, invoiced and collected
    from aftersales.billing.models import CashHandover, ChargeLine, Invoice, Payment, PriceList, Quotation
    from aftersales.parts.models import BackOrder, Requisition, StockBalance, WarrantyClaim

    assert set(StockBalance.objects.filter(quantity__gt=0).values_list("warehouse__level", flat=True)) >= {"central", "center", "van"}
    assert PriceList.objects.exists() and Quotation.objects.filter(status="accepted").exists()
    assert ChargeLine.objects.filter(coverage="paid").exists() and ChargeLine.objects.filter(coverage="warranty").exists()
    assert Invoice.objects.exists() and Payment.objects.filter(on_site=True).exists() and CashHandover.objects.exists()
    assert set(Requisition.objects.values_list("status", flat=True)) == {"submitted", "partly_approved", "transferred"}
    assert BackOrder.objects.exists() and WarrantyClaim.objects.filter(status="submitted").exists()
    assert set(ServiceRequest.objects.values_list("category", flat=True)) >= {"A", "C"}
    # customer care (issue 5): opinion cards answered and waiting, visits due and done, reminders, a renewal task
    from aftersales.care.models import ReturnVisit
    from aftersales.contracts.models import RenewalTask
    from aftersales.feedback.models import FeedbackItem, FollowUpTask, OpinionCard
    from aftersales.notifications.models import Message

    assert OpinionCard.objects.filter(answered_at__isnull=False).exists() and OpinionCard.objects.filter(answered_at__isnull=True).exists()
    assert FeedbackItem.objects.filter(severity="serious", status="replied").exists() and FollowUpTask.objects.exists()
    assert ReturnVisit.objects.filter(status="due").exists() and ReturnVisit.objects.filter(status="done").exists()
    assert Message.objects.filter(purpose="care").exists() and Message.objects.filter(purpose="survey").exists()
    assert RenewalTask.objects.filter(done_at__isnull=True).exists()
    assert MaintenanceContract.objects.filter(previous__isnull=False).exists()
    # complaints, returns, 三包 (issue 6)
    from aftersales.complaints.models import ChaseSlip, ComplaintCase, Penalty, PenaltyInstalment
    from aftersales.complaints.selectors import current_step
    from aftersales.returns.models import ReturnRequest
    from aftersales.sanbao.entitlement import entitlement

    open_cases = ComplaintCase.objects.filter(status="open", parent__isnull=True)
    assert {current_step(c).code for c in open_cases} >= {"quality", "production", "manager", "sales_proposal", "consolidate", "approval", "execute"}
    assert ChaseSlip.objects.filter(kind="reminder").exists() and ComplaintCase.objects.filter(overdue_flagged_at__isnull=False).exists()
    assert Penalty.objects.exists() and PenaltyInstalment.objects.exists() and ComplaintCase.objects.filter(parent__isnull=False).exists()
    assert ReturnRequest.objects.order_by().values("rule").distinct().count() >= 5
    assert set(ReturnRequest.objects.values_list("status", flat=True)) >= {"requested", "approved", "arrived", "settled"}
    assert ReturnRequest.objects.filter(escalated_at__isnull=False).exists()
    from aftersales.equipment.models import Equipment

    levels = {entitlement(u).level for u in Equipment.objects.filter(product_model__category__code="appliance")}
    assert {"return", "exchange"} <= levels
    # performance and reports (issue 7): last month scored through the whole cycle and closed, this month open, costs, a summary
    from aftersales.accounts.models import User
    from aftersales.notifications.models import Notice
    from aftersales.performance.models import Assessment, CostEntry, ScoreCorrection
    from aftersales.performance.regions import regional_ranking
    from aftersales.reports.dashboard import dashboard
    from aftersales.reports.models import QuarterlySummary
    from aftersales.reports.summary import Filters, monthly_summary

    assert set(Assessment.objects.values_list("status", flat=True)) == {"closed", "open"}
    assert Assessment.objects.filter(status="closed").exclude(grade="").count() >= 5 and ScoreCorrection.objects.exists()
    assert CostEntry.objects.filter(source_key__startswith="parts:").exists() and Notice.objects.filter(kind="cost_warning").exists()
    assert QuarterlySummary.objects.exists() and ServiceRequest.objects.order_by().values("job_type").distinct().count() >= 4
    manager = User.objects.get(username="manager_zhou")
    board = dashboard(user=manager)
    assert board.open_calls > 0 and board.load and board.by_center
    today = timezone.localdate()
    summary = monthly_summary(user=manager, filters=Filters(start=today - dt.timedelta(days=30), end=today))
    assert summary.requests > 0 and summary.closed > 0 and summary.money and summary.cards["n"] > 0 and summary.cost_total > 0
    assert sum(r.total for r in regional_ranking(user=manager, month=today)) > 0
    counts = ServiceRequest.objects.count()
    call_command("seed_demo", customers=40, quiet=True, stdout=out)
    assert ServiceRequest.objects.count() == counts
    assert "already present" in out.getvalue() and "clerk_li" in out.getvalue()
