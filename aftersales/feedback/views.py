"""Pages of opinion cards: the customer's card (public, by token), the agents' list and phone entry,
the vice-GM's and service department's queues, follow-up tasks and technicians' ratings."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.accounts.models import User
from aftersales.core.errors import ConflictError, DomainError
from aftersales.core.pdf import pdf_response
from aftersales.core.web import apply_domain_errors
from aftersales.feedback import selectors as sel
from aftersales.feedback import services
from aftersales.feedback.forms import AgentCardForm, CardForm, ForwardForm, ReplyForm, TaskAssignForm, TaskDoneForm
from aftersales.feedback.models import CRITERIA, AnsweredVia, ItemStatus, ReplyVia, Severity

PAGE_SIZE = 50


def _answer(request, card, form, via: str, actor=None):
    d = form.cleaned_data
    return services.opinion_card_answer(card=card, ratings={c: d.get(c) for c, _label in CRITERIA}, comment_kind=d.get("comment_kind") or "",
                                        comments=d.get("comments") or "", via=via, actor=actor)


def card(request, token: str):
    """The customer's card, opened from the link in his message. Answered once; a second answer changes nothing."""
    opinion = sel.card_by_token(token)
    if opinion.is_answered:
        return render(request, "feedback/card_thanks.html", {"card": opinion, "again": request.method == "POST"},
                      status=409 if request.method == "POST" else 200)
    form = CardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _answer(request, opinion, form, AnsweredVia.LINK)
        except DomainError as exc:
            apply_domain_errors(form, exc)
        except ConflictError:
            opinion.refresh_from_db()
            return render(request, "feedback/card_thanks.html", {"card": opinion, "again": True}, status=409)
        else:
            opinion.refresh_from_db()
            return render(request, "feedback/card_thanks.html", {"card": opinion})
    return render(request, "feedback/card.html", {"card": opinion, "form": form})


@login_required
def cards(request):
    answered = {"yes": True, "no": False}.get(request.GET.get("answered", ""))
    rows = sel.card_list(user=request.user, answered=answered, q=request.GET.get("q", ""))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    return render(request, "feedback/cards.html", {
        "page": page, "answered": request.GET.get("answered", ""), "q": request.GET.get("q", ""),
        "week": sel.card_counts(user=request.user, day_from=today - dt.timedelta(days=7), day_to=today)})


@login_required
def card_enter(request, pk: int):
    """A call-back agent enters the answers given on the phone (or on a paper card)."""
    opinion = sel.get_card_for_user(request.user, pk)
    if not request.user.has_perm("feedback.enter", opinion):
        raise PermissionDenied
    form = AgentCardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _answer(request, opinion, form, form.cleaned_data["via"], actor=request.user)
        except DomainError as exc:
            apply_domain_errors(form, exc)
        except ConflictError as exc:
            messages.error(request, exc.message)
            return redirect("feedback:cards")
        else:
            messages.success(request, _("Answers recorded."))
            return redirect("feedback:cards")
    return render(request, "feedback/card_enter.html", {"card": opinion, "form": form})


@login_required
def items(request):
    severity = request.GET.get("severity", "")
    open_only = request.GET.get("all") != "1"
    page = Paginator(sel.item_list(user=request.user, severity=severity, open_only=open_only), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "feedback/items.html", {"page": page, "severity": severity, "open_only": open_only, "severities": Severity.choices,
                                                   "now": timezone.now()})


@login_required
def item(request, pk: int):
    opinion = sel.get_item_for_user(request.user, pk)
    colleagues = User.objects.filter(is_active=True).exclude(pk=request.user.pk).order_by("username") if request.user.has_perm(
        "feedback.forward", opinion) else []
    return render(request, "feedback/item.html", {
        "item": opinion, "can_reply": request.user.has_perm("feedback.reply", opinion) and opinion.status != ItemStatus.REPLIED,
        "can_forward": request.user.has_perm("feedback.forward", opinion) and opinion.status != ItemStatus.REPLIED,
        "can_chase": request.user.has_perm("feedback.chase") and opinion.status != ItemStatus.REPLIED,
        "reply_form": ReplyForm(initial={"version": opinion.version, "via": ReplyVia.LETTER if opinion.severity == Severity.SERIOUS else ReplyVia.PHONE}),
        "colleagues": colleagues})


def _perform(request, call, success: str):
    try:
        call()
    except DomainError as exc:
        messages.error(request, " ".join(exc.messages))
    except ConflictError as exc:
        messages.error(request, exc.message)
    except User.DoesNotExist:
        messages.error(request, _("Choose an active colleague."))
    else:
        messages.success(request, success)


@login_required
@require_POST
def item_reply(request, pk: int):
    opinion = sel.get_item_for_user(request.user, pk)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the answer given to the customer."))
    else:
        d = form.cleaned_data
        _perform(request, lambda: services.feedback_reply(actor=request.user, item=opinion, text=d["text"], via=d["via"],
                                                          expected_version=d["version"]), _("Answer recorded."))
    return redirect("feedback:item", pk=opinion.pk)


@login_required
@require_POST
def item_forward(request, pk: int):
    opinion = sel.get_item_for_user(request.user, pk)
    form = ForwardForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        _perform(request, lambda: services.feedback_forward(actor=request.user, item=opinion, to=User.objects.get(pk=d["to"]), note=d["note"],
                                                            expected_version=d["version"]), _("Forwarded."))
    else:
        messages.error(request, _("Choose an active colleague."))
    return redirect("feedback:item", pk=opinion.pk)


@login_required
@require_POST
def item_chase(request, pk: int):
    opinion = sel.get_item_for_user(request.user, pk)
    _perform(request, lambda: services.feedback_chase(actor=request.user, item=opinion), _("Chased (催办)."))
    return redirect("feedback:item", pk=opinion.pk)


@login_required
def item_letter(request, pk: int):
    """The letter answering a serious opinion (SURV-04), printable."""
    opinion = sel.get_item_for_user(request.user, pk)
    if opinion.status != ItemStatus.REPLIED:
        messages.error(request, _("Record the answer first; the letter prints it."))
        return redirect("feedback:item", pk=opinion.pk)
    return pdf_response("pdf/feedback_letter.html", {"item": opinion, "card": opinion.card}, filename=f"reply-{opinion.card.number}.pdf")


@login_required
def tasks(request):
    open_only = request.GET.get("all") != "1"
    page = Paginator(sel.task_list(user=request.user, open_only=open_only), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "feedback/tasks.html", {"page": page, "open_only": open_only, "today": timezone.localdate()})


@login_required
def task(request, pk: int):
    followup = sel.get_task_for_user(request.user, pk)
    can_work = request.user.has_perm("feedback.work_task", followup) and followup.done_at is None
    colleagues = User.objects.filter(is_active=True, service_center=followup.service_center).order_by("username") if can_work else []
    return render(request, "feedback/task.html", {"task": followup, "can_work": can_work, "done_form": TaskDoneForm(), "colleagues": colleagues,
                                                  "can_chase": request.user.has_perm("feedback.chase") and followup.done_at is None})


@login_required
@require_POST
def task_done(request, pk: int):
    followup = sel.get_task_for_user(request.user, pk)
    _perform(request, lambda: services.followup_complete(actor=request.user, task=followup, outcome=request.POST.get("outcome", "")),
             _("Recorded."))
    return redirect("feedback:task", pk=followup.pk)


@login_required
@require_POST
def task_assign(request, pk: int):
    followup = sel.get_task_for_user(request.user, pk)
    form = TaskAssignForm(request.POST)
    if form.is_valid():
        _perform(request, lambda: services.followup_assign(actor=request.user, task=followup, to=User.objects.get(pk=form.cleaned_data["to"])),
                 _("Handed over."))
    return redirect("feedback:task", pk=followup.pk)


@login_required
@require_POST
def task_chase(request, pk: int):
    followup = sel.get_task_for_user(request.user, pk)
    _perform(request, lambda: services.feedback_chase(actor=request.user, task=followup), _("Chased (催办)."))
    return redirect("feedback:task", pk=followup.pk)


def _month(request) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("month", "") + "-01")
    except ValueError:
        return timezone.localdate().replace(day=1)


@login_required
def ratings(request):
    """SURV-01: technicians' ratings of the month, as a table and a chart, for the monthly appraisal."""
    month = _month(request)
    rows = sel.technician_ratings(user=request.user, month=month)
    chart = {
        "tooltip": {"trigger": "axis"}, "legend": {"top": 0}, "grid": {"left": 40, "right": 10, "bottom": 30, "top": 40},
        "xAxis": {"type": "category", "data": [r.name for r in rows]}, "yAxis": {"type": "value", "min": 0, "max": 4},
        "series": [{"name": str(label), "type": "bar", "data": [float(r.averages[c] or 0) for r in rows]} for c, label in CRITERIA],
    }
    return render(request, "feedback/ratings.html", {"rows": rows, "month": month, "criteria": CRITERIA, "chart": chart})
