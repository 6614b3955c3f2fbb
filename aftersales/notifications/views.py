"""The notice list behind the bell in the header."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from aftersales.notifications.selectors import notice_list
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
        return redirect("notifications:list")
    notice_mark_read(user=request.user, notice_ids=[notice.pk])
    return redirect(notice.url or "notifications:list")
