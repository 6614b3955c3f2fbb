"""Photos of a job (KB-03: on-site result and photo upload): before, after, the nameplate."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from aftersales.core.errors import ConflictError, DomainError
from aftersales.core.uploads import accept_image
from aftersales.workorders.models import JobPhoto, PhotoKind, Status, WorkOrder, WorkOrderEvent
from aftersales.workorders.services.common import require

PHOTO_STATES = (Status.ASSIGNED, Status.ON_SITE, Status.TAKEN_BACK, Status.IN_REPAIR, Status.REPAIRED, Status.INSPECTED)


def work_order_add_photo(*, actor, work_order: WorkOrder, kind: str, image, note: str = "") -> JobPhoto:
    """Keep a photo with the job. The file is checked by its content (JPEG, PNG or WebP) and re-encoded before anything
    is written; a bad file stores nothing. Photos are taken while the job is open."""
    require(actor, "workorders.work", work_order)
    if kind not in PhotoKind.values:
        raise DomainError({"kind": [_("Say what the photo shows: before, after or the nameplate.")]})
    if image is None:
        raise DomainError({"image": [_("Take or choose a photo.")]})
    clean = accept_image(image, field="image")
    with transaction.atomic():
        current = WorkOrder.objects.select_for_update().get(pk=work_order.pk)
        if current.status not in PHOTO_STATES:
            raise ConflictError(_("Voucher %(no)s is “%(state)s”; photos are taken while the job is open.")
                                % {"no": current.number, "state": current.get_status_display()}, code="closed")
        photo = JobPhoto(work_order=current, kind=kind, note=(note or "").strip()[:200], taken_by=actor)
        photo.image.save(f"{current.number}-{kind}.{clean.name.rsplit('.', 1)[-1] if clean.name else 'jpg'}", clean, save=False)
        photo.save()
        WorkOrderEvent.objects.create(work_order=current, actor=actor, kind="photo", note=PhotoKind(kind).label)
    return photo
