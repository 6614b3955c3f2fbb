"""The notice list behind the bell in the header, and the outbox page for administrators."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftersales.core.errors import ConflictError
from aftersales.core.web import redirect_back
from aftersales.notifications.models import Channel, MessageStatus
from aftersales.notifications.outbox import message_retry
from aftersales.notifications.selectors import notice_list, outbox_counts, outbox_list
from aftersales.notifications.services import notice_mark_read

PAGE_SIZE = 50


@login_required
def notices(request):
    page = Paginator(notice_list(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def mark_all_read(request):
    notice_mark_read(user=request.user)
    return redirect("notifications:list")


@login_required
def open_notice(request, pk: int):
    """Mark one notice read and follow its link (only the recipient's own notices are found)."""
    notice = notice_list(user=request.user).filter(pk=pk).first()
    if notice is None:
        raise Http404("notice")
    notice_mark_read(user=request.user, notice_ids=[notice.pk])
    return redirect(notice.url or "notifications:list")


@login_required
def outbox(request):
    """Every message to customers and staff: waiting, sent, held by quiet hours, and dead letters to send again."""
    if not request.user.has_perm("notifications.manage_outbox"):
        raise PermissionDenied
    status, channel, query = request.GET.get("status", ""), request.GET.get("channel", ""), request.GET.get("q", "").strip()
    rows = outbox_list(user=request.user, status=status, channel=channel, query=query)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/outbox.html", {
        "page": page, "status": status, "channel": channel, "q": query, "counts": outbox_counts(user=request.user),
        "statuses": MessageStatus.choices, "channels": Channel.choices})


@login_required
@require_POST
def outbox_retry(request, pk: int):
    found = outbox_list(user=request.user).filter(pk=pk)
    if not found.exists():
        raise PermissionDenied
    try:
        message_retry(actor=request.user, message=get_object_or_404(found))
    except ConflictError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The message will be sent again."))
    return redirect_back(request, "notifications:outbox")
