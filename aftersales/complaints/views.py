"""Complaint pages: the case register, intake, the case with its routing, the coordinator's tools, penalties,
the monthly statistics and the printable forms (客户抱怨处理表, 催办单/洽办单, 奖罚通知单, 人事公布单)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.accounts.models import Department, User
from aftersales.complaints import selectors as sel
from aftersales.complaints import services
from aftersales.complaints.forms import ComplaintForm, LossForm, StepForm
from aftersales.complaints.models import CaseStatus, CaseStep, ChaseSlip, PenaltyCause, PenaltyKind, StepCode
from aftersales.core.errors import ConflictError, DomainError
from aftersales.core.pdf import pdf_response
from aftersales.core.web import apply_domain_errors
from aftersales.customers.selectors import get_customer_for_user

PAGE_SIZE = 50


@login_required
def case_list(request):
    status = request.GET.get("status", CaseStatus.OPEN)
    rows = sel.case_list(user=request.user, status=status if status != "all" else "", q=request.GET.get("q", ""),
                         overdue=request.GET.get("overdue") == "1")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "complaints/list.html", {"page": page, "status": status, "q": request.GET.get("q", ""), "now": timezone.now(),
                                                     "steps": sel.my_steps(request.user)[:20], "slips": sel.my_slips(request.user)[:20]})


def _source(request):
    """The opinion card or return visit a complaint is raised from (checked against the reader's scope)."""
    from aftersales.care.selectors import get_visit_for_user
    from aftersales.feedback.selectors import get_card_for_user

    card = get_card_for_user(request.user, int(request.GET["card"])) if request.GET.get("card", "").isdigit() else None
    visit = get_visit_for_user(request.user, int(request.GET["visit"])) if request.GET.get("visit", "").isdigit() else None
    return card, visit


@login_required
def case_create(request):
    card, visit = _source(request)
    customer_id = request.POST.get("customer") or request.GET.get("customer") or (card.customer_id if card else visit.customer_id if visit else "")
    customer = get_customer_for_user(request.user, int(customer_id)) if str(customer_id).isdigit() else None
    if customer is None:
        messages.error(request, _("Open the customer first, then register the complaint from there."))
        return redirect("customers:list")
    initial = {"customer": customer.pk, "origin": "opinion_card" if card else "return_visit" if visit else "phone",
               "description": (card.comments if card else visit.content if visit else "")}
    form = ComplaintForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            case = services.complaint_register(actor=request.user, data=services.ComplaintInput(
                customer=customer, subject=d["subject"], description=d["description"], kind=d["kind"], origin=d["origin"], market=d["market"],
                major=d["major"], lot_no=d["lot_no"], part_no=d["part_no"], ship_date=d["ship_date"], quantity=d["quantity"],
                defective_quantity=d["defective_quantity"], quantity_undetermined=d["quantity_undetermined"], customer_demand=d["customer_demand"],
                human_cause=d["human_cause"], opinion_card=card, return_visit=visit, request=card.request if card else None))
        except DomainError as exc:
            apply_domain_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Complaint %(no)s registered; it must be closed by %(due)s.") % {
                "no": case.number, "due": f"{timezone.localtime(case.due_at):%Y-%m-%d}"})
            return redirect("complaints:detail", pk=case.pk)
    return render(request, "complaints/form.html", {"form": form, "customer": customer})


@login_required
def case_detail(request, pk: int):
    case = sel.get_case_for_user(request.user, pk)
    steps = list(case.steps.select_related("owner", "done_by").prefetch_related("slips"))
    current = next((s for s in steps if s.is_open), None)
    coordinator = request.user.has_perm("complaints.coordinate")
    proposed = services.proposed_penalties(case)
    for p in proposed:
        p.kind_label = PenaltyKind(p.kind).label
    return render(request, "complaints/detail.html", {
        "case": case, "steps": steps, "current": current, "can_sign": current is not None and current.owner_id == request.user.pk,
        "step_form": StepForm(initial={"version": case.version, "kind": case.kind}), "coordinator": coordinator,
        "loss_form": LossForm(initial={"basis": case.loss_basis, "a_grade_price": case.a_grade_price, "resale_price": case.resale_price,
                                       "quantity": case.loss_quantity, "actual_loss": case.actual_loss}),
        "shares": list(case.responsibilities.select_related("person", "department")), "proposed": proposed,
        "penalties": list(case.penalties.select_related("person")), "users": User.objects.filter(is_active=True).order_by("username") if coordinator else [],
        "departments": Department.objects.all() if coordinator else [], "causes": PenaltyCause.choices, "now": timezone.now(),
        "can_approve_penalties": request.user.has_role("general_manager", "administrator"), "follow_ups": case.follow_ups.all(),
        "events": case.events.select_related("actor")})


def _act(request, call, success: str) -> bool:
    try:
        call()
    except DomainError as exc:
        messages.error(request, " ".join(exc.messages))
    except ConflictError as exc:
        messages.error(request, exc.message)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("You may not do this."))
    else:
        messages.success(request, success)
        return True
    return False


@login_required
@require_POST
def step_complete(request, pk: int):
    case = sel.get_case_for_user(request.user, pk)
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("complaints:detail", pk=case.pk)
    d = form.cleaned_data
    step = sel.current_step(case)
    if step is None:
        messages.error(request, _("Every step is done."))
        return redirect("complaints:detail", pk=case.pk)
    data = services.StepInput(opinion=d["opinion"], kind=d["kind"], cause_finding=d["cause_finding"], responsible_unit=d["responsible_unit"],
                              human_cause=d["human_cause"], needs_rnd=d["needs_rnd"], joint_survey=d["joint_survey"],
                              major=d["major"] if step.code == StepCode.QUALITY else None, countermeasure=d["countermeasure"],
                              human_negligence=d["human_negligence"], settlement=d["settlement"], amount=d["amount"], customer_answer=d["customer_answer"],
                              customer_accepted=d["customer_accepted"], handling_satisfaction=d["handling_satisfaction"])
    _act(request, lambda: services.complaint_step_complete(actor=request.user, step=step, data=data, expected_version=d["version"]), _("Signed."))
    return redirect("complaints:detail", pk=case.pk)


@login_required
@require_POST
def step_assign(request, pk: int, step_pk: int):
    case = sel.get_case_for_user(request.user, pk)
    step = get_object_or_404(CaseStep, pk=step_pk, case=case)
    to = User.objects.filter(pk=request.POST.get("to") or 0).first()
    if to is None:
        messages.error(request, _("Choose an active colleague."))
    else:
        _act(request, lambda: services.complaint_step_assign(actor=request.user, step=step, to=to), _("Handed over."))
    return redirect("complaints:detail", pk=case.pk)


@login_required
@require_POST
def case_loss(request, pk: int):
    case = sel.get_case_for_user(request.user, pk)
    form = LossForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        _act(request, lambda: services.complaint_set_loss(actor=request.user, case=case, basis=d["basis"], a_grade_price=d["a_grade_price"],
                                                          resale_price=d["resale_price"], quantity=d["quantity"], actual_loss=d["actual_loss"]), _("Saved."))
    else:
        messages.error(request, _("Check the numbers."))
    return redirect("complaints:detail", pk=case.pk)


def _shares(request) -> list:
    shares = []
    for n in range(4):
        party, percent = request.POST.get(f"party_{n}", ""), request.POST.get(f"percent_{n}", "").strip()
        if not party and not percent:
            continue
        try:
            value = Decimal(percent)
        except InvalidOperation:
            value = Decimal("0")
        kind, _sep, ident = party.partition(":")
        person = User.objects.filter(pk=ident).first() if kind == "u" and ident.isdigit() else None
        department = Department.objects.filter(pk=ident).first() if kind == "d" and ident.isdigit() else None
        shares.append(services.ShareInput(percent=value, cause=request.POST.get(f"cause_{n}", ""), person=person, department=department))
    return shares


@login_required
@require_POST
def case_responsibility(request, pk: int):
    case = sel.get_case_for_user(request.user, pk)
    _act(request, lambda: services.complaint_set_responsibility(actor=request.user, case=case, shares=_shares(request)), _("Saved."))
    return redirect("complaints:detail", pk=case.pk)


@login_required
@require_POST
def case_survey(request, pk: int):
    case = sel.get_case_for_user(request.user, pk)
    _act(request, lambda: services.complaint_survey_report(actor=request.user, case=case, report=request.POST.get("report", "")), _("Saved."))
    return redirect("complaints:detail", pk=case.pk)


@login_required
@require_POST
def case_improvement(request, pk: int):
    case = sel.get_case_for_user(request.user, pk)
    _act(request, lambda: services.complaint_record_improvement(actor=request.user, case=case, result=request.POST.get("result", "")), _("Saved."))
    return redirect("complaints:detail", pk=case.pk)


@login_required
def allowance_pdf(request, pk: int):
    """销货折让证明单 for an allowance settled on a complaint (RET-15: two copies, manager and GM approval, the customer's seal)."""
    case = sel.get_case_for_user(request.user, pk)
    if case.settlement != "allowance":
        messages.error(request, _("This case was not settled by an allowance."))
        return redirect("complaints:detail", pk=case.pk)
    return pdf_response("pdf/complaint_allowance.html", {"case": case, "copies": ["第一联 业务", "第二联 会计"]}, filename=f"allowance-{case.number}.pdf")


@login_required
@require_POST
def case_close(request, pk: int):
    case = sel.get_case_for_user(request.user, pk)
    _act(request, lambda: services.complaint_close(actor=request.user, case=case), _("Case closed."))
    return redirect("complaints:detail", pk=case.pk)


@login_required
@require_POST
def penalties_approve(request, pk: int):
    case = sel.get_case_for_user(request.user, pk)
    majors = list(User.objects.filter(pk__in=[int(v) for v in request.POST.getlist("major") if v.isdigit()]))
    _act(request, lambda: services.penalties_approve(actor=request.user, case=case, major_demerit=majors), _("Penalties approved."))
    return redirect("complaints:detail", pk=case.pk)


@login_required
@require_POST
def slip_answer(request, slip_pk: int):
    slip = get_object_or_404(ChaseSlip.objects.select_related("step__case"), pk=slip_pk)
    if slip.to_user_id != request.user.pk:
        sel.get_case_for_user(request.user, slip.step.case_id)  # a case the reader may not see is not found
    _act(request, lambda: services.chase_slip_answer(actor=request.user, slip=slip, answer=request.POST.get("answer", "")), _("Recorded."))
    return redirect("complaints:detail", pk=slip.step.case_id)


def _month(request) -> dt.date:
    try:
        return dt.date.fromisoformat((request.POST.get("month") or request.GET.get("month", "")) + "-01")
    except ValueError:
        today = timezone.localdate()
        return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


@login_required
def statistics(request):
    """客户投诉案件统计表 of last month (due by the 10th), with the confirmations of Manufacturing, QA and R&D."""
    stats = sel.monthly_statistics(user=request.user, month=_month(request))
    chart = {"tooltip": {"trigger": "item"}, "series": [{"type": "pie", "radius": "65%", "data": [{"name": n, "value": v} for n, v in stats.by_cause]}]}
    return render(request, "complaints/statistics.html", {"s": stats, "chart": chart, "today": timezone.localdate()})


@login_required
@require_POST
def statistics_confirm(request):
    month = _month(request)
    _act(request, lambda: services.statistics_confirm(actor=request.user, month=month, note=request.POST.get("note", "")), _("Confirmed."))
    return redirect(f"{reverse('complaints:statistics')}?month={month:%Y-%m}")


@login_required
def case_form_pdf(request, pk: int):
    """客户抱怨处理表 in its five copies (QA, Manufacturing, Sales, Accounting, GM office), CMP-08."""
    case = sel.get_case_for_user(request.user, pk)
    copies = ["第一联 品保", "第二联 制造", "第三联 业务（执行）", "第四联 会计", "第五联 总经办"]
    return pdf_response("pdf/complaint_form.html", {"case": case, "steps": case.steps.select_related("owner", "done_by"), "copies": copies,
                                                    "shares": case.responsibilities.select_related("person", "department")},
                        filename=f"complaint-{case.number}.pdf")


@login_required
def slip_pdf(request, slip_pk: int):
    slip = get_object_or_404(ChaseSlip.objects.select_related("step__case__customer", "to_user", "copy_to"), pk=slip_pk)
    sel.get_case_for_user(request.user, slip.step.case_id)
    return pdf_response("pdf/complaint_slip.html", {"slip": slip, "case": slip.step.case}, filename=f"slip-{slip.pk}.pdf")


@login_required
def penalty_notice_pdf(request, pk: int):
    """奖罚通知单 (3 copies: kept, Accounting, the penalised department, CMP-14) and 人事公布单 for administrative penalties (CMP-13)."""
    case = sel.get_case_for_user(request.user, pk)
    penalties = list(case.penalties.select_related("person__department", "approved_by"))
    if not penalties:
        messages.error(request, _("No penalties were approved for this case."))
        return redirect("complaints:detail", pk=case.pk)
    administrative = [p for p in penalties if p.kind != PenaltyKind.DEDUCTION]
    return pdf_response("pdf/penalty_notice.html", {"case": case, "penalties": penalties, "administrative": administrative,
                                                    "copies": ["第一联 存查", "第二联 会计", "第三联 受罚部门"]}, filename=f"penalty-{case.number}.pdf")
