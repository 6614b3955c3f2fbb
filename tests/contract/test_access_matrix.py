"""Who may open what: every URL with an object in its path, asked by every kind of user about his own object, a
colleague's and another branch's.

The matrix is generated from the URL configuration: each pattern with an id is looked up in ``EXPECTED`` (its object
kind and who may read it). A pattern added to a ``urls.py`` without a row here fails the first test, so a new page is
never left out. On the demo database (every kind of record in three branches) each URL is requested — GET, or an empty
POST where the page only accepts POST — inside a transaction rolled back afterwards, so a request that should have
been refused changes nothing even when it is not.

What is asserted, per URL:

- Another branch's object is refused (403 or 404) to every branch user: the desk, supervisor, technician, warehouse,
  accountant, care agent and salesman of Shanghai asking about a Suzhou record, and Suzhou's asking about Shanghai's.
- A colleague's object is refused to a field technician where the kind belongs to a job (the job, its bill,
  quotations, invoices, payments, claims, back orders, his daily report, his score sheet, an opinion card about him).
  What a technician does read of his branch (customers, equipment, calls, contracts, complaints, …) is listed in
  ``BRANCH_READABLE_BY_TECHNICIAN`` with the reason.
- A personal record (a notice, an export) is refused to everyone but its owner.
- Nobody logged out gets anything but the login page (or 403/404/405).
- And so that none of this can pass because an id is wrong: the object's reader (head office, or the owner) gets
  something other than 404 for every URL, and a field technician opens his own job's pages (200).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from aftersales.accounts.models import ServiceCenter, User

pytestmark = pytest.mark.django_db(transaction=False)

DENIED = {403, 404}


@dataclass(frozen=True)
class Kind:
    model: str  # "app_label.Model"
    centre: str | None  # path to the service centre; None: shared by every branch (the parts catalogue …)
    technician: str | None = None  # path to the technician whose job it is: a field technician sees only his own
    owner: str | None = None  # path to the one user it belongs to (a notice, an export)
    where: tuple = ()  # extra filter (a work order that has a signature …)
    participant: str | None = None  # path to users who take part in it wherever it is (a complaint step's owner)


KINDS = {
    "request": Kind("servicedesk.ServiceRequest", "service_center"),
    "customer": Kind("customers.Customer", "service_center"),
    "merge": Kind("customers.MergeCandidate", "customer__service_center"),
    "equipment": Kind("equipment.Equipment", "customer__service_center"),
    "equipment_with_invoice": Kind("equipment.Equipment", "customer__service_center", where=(("invoice_photo__gt", ""),)),
    "notice": Kind("notifications.Notice", "recipient__service_center", owner="recipient"),
    "message": Kind("notifications.Message", "to_customer__service_center"),
    "work_order": Kind("workorders.WorkOrder", "service_center", technician="technician"),
    "received_work_order": Kind("workorders.WorkOrder", "service_center", technician="technician",
                                where=(("receipt__isnull", False),)),
    "carded_work_order": Kind("workorders.WorkOrder", "service_center", technician="technician",
                              where=(("repair_card__isnull", False),)),
    "signed_work_order": Kind("workorders.WorkOrder", "service_center", technician="technician",
                              where=(("signatures__purpose", "completion"),)),
    "job_photo": Kind("workorders.JobPhoto", "work_order__service_center", technician="work_order__technician"),
    "tech_report": Kind("dailyreports.TechnicianDailyReport", "service_center", technician="technician"),
    "centre_report": Kind("dailyreports.SupervisorDailyReport", "service_center"),
    "part": Kind("parts.Part", None),
    "part_with_photo": Kind("parts.Part", None, where=(("photo__gt", ""),)),
    "warehouse": Kind("parts.Warehouse", "service_center", where=(("level", "center"),)),
    "movement": Kind("parts.StockMovement", "warehouse__service_center"),
    "count": Kind("parts.StockCount", "warehouse__service_center"),
    "requisition": Kind("parts.Requisition", "service_center"),
    "claim": Kind("parts.WarrantyClaim", "work_order__service_center", technician="work_order__technician"),
    "claim_attachment": Kind("parts.ClaimAttachment", "claim__work_order__service_center", technician="claim__work_order__technician"),
    "backorder": Kind("parts.BackOrder", "work_order__service_center", technician="work_order__technician"),
    "quotation": Kind("billing.Quotation", "customer__service_center", technician="work_order__technician"),
    "payment": Kind("billing.Payment", "work_order__service_center", technician="work_order__technician",
                    where=(("receipt_photo__gt", ""),)),
    "invoice": Kind("billing.Invoice", "customer__service_center", technician="work_order__technician"),
    "card": Kind("feedback.OpinionCard", "service_center", technician="technician"),
    "opinion": Kind("feedback.FeedbackItem", "service_center"),
    "task": Kind("feedback.FollowUpTask", "service_center"),
    "contract": Kind("contracts.MaintenanceContract", "customer__service_center"),
    "visit": Kind("care.ReturnVisit", "service_center"),
    # A complaint crosses branches: whoever owns one of its steps (quality, production, sales …) works on it.
    "complaint": Kind("complaints.ComplaintCase", "service_center", participant="steps__owner"),
    "step": Kind("complaints.CaseStep", "case__service_center", participant="case__steps__owner"),
    "slip": Kind("complaints.ChaseSlip", "step__case__service_center", participant="step__case__steps__owner"),
    "return": Kind("returns.ReturnRequest", "service_center"),
    "return_with_photo": Kind("returns.ReturnRequest", "service_center", where=(("photo__gt", ""),)),
    "shipment_line": Kind("returns.ShipmentLine", "shipment__customer__service_center"),
    "export": Kind("reports.ExportJob", None, owner="requested_by"),
    "sheet": Kind("performance.Assessment", "person__service_center", technician="person"),
    "year": Kind("core.HolidayYear", None),
}

# URL name → (kind of the object in its path, other path arguments). Every URL with an id must be here.
EXPECTED: dict[str, tuple[str, dict]] = {
    "servicedesk:detail": ("request", {}), "servicedesk:override": ("request", {}), "servicedesk:cancel": ("request", {}),
    "servicedesk:chase": ("request", {}),
    "customers:duplicate_merge": ("merge", {}), "customers:duplicate_dismiss": ("merge", {}),
    "customers:detail": ("customer", {}), "customers:edit": ("customer", {}), "customers:add_phone": ("customer", {}),
    "customers:add_address": ("customer", {}), "customers:equipment_create": ("customer", {}), "customers:labels": ("customer", {}),
    "customers:equipment": ("equipment", {}), "customers:equipment_label": ("equipment", {}),
    "customers:equipment_reissue_label": ("equipment", {}),
    "notifications:open": ("notice", {}), "notifications:outbox_retry": ("message", {}),
    **{f"workorders:{name}": ("work_order", {}) for name in (
        "detail", "voucher_pdf", "contact", "set_out", "check_in", "complete", "take_back",
        "end_visit", "escalate", "start_repair", "finish_repair", "inspect", "give_back", "delay", "waive_signature", "cancel",
        "location", "reassign")},
    "workorders:receipt_pdf": ("received_work_order", {}), "workorders:repair_card_pdf": ("carded_work_order", {}),
    "workorders:signature": ("signed_work_order", {"purpose": "completion"}),
    "mobile:job": ("work_order", {}),
    "mobile:bill": ("work_order", {}),
    "workorders:add_photo": ("work_order", {}), "workorders:photo": ("job_photo", {}),
    "customers:equipment_invoice": ("equipment_with_invoice", {}),
    "dailyreports:technician": ("tech_report", {}), "dailyreports:technician_action": ("tech_report", {"action": "submit"}),
    "dailyreports:centre": ("centre_report", {}), "dailyreports:centre_action": ("centre_report", {"action": "submit"}),
    "parts:detail": ("part", {}), "parts:edit": ("part", {}), "parts:photo": ("part_with_photo", {}),
    "parts:warehouse": ("warehouse", {}), "parts:receive": ("warehouse", {}), "parts:transfer": ("warehouse", {}),
    "parts:scrap": ("warehouse", {}), "parts:count_start": ("warehouse", {}), "parts:correct": ("movement", {}),
    "parts:count": ("count", {}), "parts:requisition": ("requisition", {}),
    "parts:claim_new": ("work_order", {}), "parts:claim": ("claim", {}), "parts:claim_attachment": ("claim_attachment", {}),
    "parts:backorder_new": ("work_order", {}), "parts:backorder_action": ("backorder", {}),
    "billing:job": ("work_order", {}), "billing:job_action": ("work_order", {"action": "price"}),
    "billing:payment_receipt": ("payment", {}), "billing:quotation": ("quotation", {}), "billing:quotation_pdf": ("quotation", {}),
    "feedback:card_enter": ("card", {}),
    **{f"feedback:{name}": ("opinion", {}) for name in ("item", "item_reply", "item_forward", "item_chase", "item_letter")},
    **{f"feedback:{name}": ("task", {}) for name in ("task", "task_done", "task_assign", "task_chase")},
    "contracts:create": ("customer", {}),
    **{f"contracts:{name}": ("contract", {}) for name in ("detail", "renew", "decline", "terminate", "expiry_notice")},
    "care:visit": ("visit", {}), "care:take": ("visit", {}), "care:skip": ("visit", {}),
    "complaints:slip_answer": ("slip", {}), "complaints:slip_pdf": ("slip", {}),
    **{f"complaints:{name}": ("complaint", {}) for name in (
        "detail", "step", "loss", "responsibility", "close", "survey", "improvement", "allowance_pdf", "penalties", "form_pdf",
        "penalty_pdf")},
    "complaints:step_assign": ("step", {}),
    "returns:create": ("shipment_line", {}),
    "returns:photo": ("return_with_photo", {}),
    **{f"returns:{name}": ("return", {}) for name in ("detail", "approve", "receive", "settle", "cancel", "note_pdf",
                                                       "allowance_pdf")},
    "sanbao:record": ("equipment", {}),
    "reports:export": ("export", {}), "reports:export_download": ("export", {}),
    "performance:sheet": ("sheet", {}), "performance:sheet_pdf": ("sheet", {}), "performance:sheet_xlsx": ("sheet", {}),
    "performance:sheet_action": ("sheet", {"action": "submit"}),
    "configuration:confirm": ("year", {}), "configuration:reopen": ("year", {}), "configuration:day": ("year", {}),
    # The API (session authentication here; tokens behave alike).
    "service-center-detail": ("centre", {}), "product-model-detail": ("product_model", {}),
    "customer-detail": ("customer", {}), "equipment-detail": ("equipment", {}),
    **{name: ("request", {}) for name in ("service-request-detail", "service-request-cancel", "service-request-dispatch-call",
                                          "service-request-override-category")},
    **{f"work-order-{name}": ("work_order", {}) for name in (
        "detail", "cancel", "charges", "check-in", "complete", "end-visit", "finish-repair", "give-back", "inspect", "reassign",
        "start-repair", "take-back", "use-part")},
    "part-detail": ("part", {}), "warehouse-detail": ("warehouse", {}), "warehouse-stock": ("warehouse", {}),
    "invoice-detail": ("invoice", {}), "technician-daily-report-detail": ("tech_report", {}),
    "supervisor-daily-report-detail": ("centre_report", {}),
    **{name: ("quotation", {}) for name in ("quotation-detail", "quotation-accept", "quotation-decline")},
    "work-order-payments": ("work_order", {}), "work-order-parts-used": ("work_order", {}),
    "opinion-card-detail": ("card", {}), "return-visit-detail": ("visit", {}), "contract-detail": ("contract", {}),
    "complaint-detail": ("complaint", {}), "goods-return-detail": ("return", {}), "requisition-detail": ("requisition", {}),
    "score-sheet-detail": ("sheet", {}),
    "opinion-card-answer": ("card", {}), "return-visit-record": ("visit", {}), "contract-renew": ("contract", {}),
    "complaint-close": ("complaint", {}), "complaint-step": ("complaint", {}), "goods-return-approve": ("return", {}), "goods-return-receive": ("return", {}),
    "requisition-decide": ("requisition", {}),
}
KINDS["centre"] = Kind("accounts.ServiceCenter", "pk")
KINDS["product_model"] = Kind("equipment.ProductModel", None)

# URLs with two ids: the object's parent comes first (a complaint's step, a claim's piece of evidence).
PARENT_ID = {"complaints:step_assign": "case_id", "parts:claim_attachment": "claim_id", "workorders:photo": "work_order_id"}

# What a field technician reads of his whole branch, and why (the rest of a branch's records are his jobs' only).
BRANCH_READABLE_BY_TECHNICIAN = {
    "customer": "he looks a customer up when one calls him or stops by; the archive's export is refused",
    "equipment": "the unit's history and warranty, by its plate, before he touches it",
    "equipment_with_invoice": "the purchase invoice the unit's warranty is judged from",
    "request": "a call's page, to see what was said before he was sent",
    "merge": "a duplicate flag of his centre's customers (merging it is the desk's, by role)",
    "warehouse": "his centre's store, where he takes parts from",
    "movement": "movements of his centre's store",
    "count": "stock counts of his centre's store",
    "requisition": "requisitions of his centre",
    "contract": "a customer's contract and its service level, on site",
    "visit": "return visits are the care desk's; reading one does no harm",
    "complaint": "complaints about his centre; he may own a step",
    "step": "a complaint step he may be given",
    "slip": "a chase slip he may have to answer",
    "return": "goods returns of his centre",
    "return_with_photo": "the photo of a goods return of his centre",
    "shipment_line": "shipments of his centre",
    "opinion": "opinions of his centre",
    "task": "follow-up tasks of his centre",
    "centre_report": "his centre's daily report lists every technician's minutes",
    "message": "outbox of his centre",
    "centre": "his own centre",
}

# A field technician's own job, its bill and his papers open for him (200): the refusals above are not a blanket refusal.
OWN_JOB_PAGES = ("workorders:detail", "mobile:job", "mobile:bill", "workorders:photo", "billing:job", "workorders:voucher_pdf", "billing:quotation",
                 "billing:quotation_pdf", "dailyreports:technician", "performance:sheet", "work-order-detail", "work-order-charges",
                 "technician-daily-report-detail", "billing:payment_receipt", "quotation-detail", "work-order-payments",
                 "work-order-parts-used")

SHANGHAI_STAFF = ("clerk_li", "supervisor_wang", "tech_zhang", "warehouse_zhao", "accountant_qian", "agent_he", "sales_ma")
SUZHOU_STAFF = ("clerk_chen", "supervisor_liu", "tech_huang")


def url_patterns(resolver=None, prefix="", namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}".strip(":") if pattern.namespace else namespace
            yield from url_patterns(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield name, prefix + str(pattern.pattern)


def routes_with_an_object():
    """(name, route) of every pattern with an id in its path (the API's format-suffix twins left out)."""
    seen = {}
    for name, route in url_patterns():
        if route.startswith("admin/") or "(?P<format>" in route:
            continue
        if re.search(r"<(?:id|int):\w+>|\(\?P<pk>\[0-9\]", route):
            name = (name or route).removeprefix("api:").removeprefix("v1:")
            seen.setdefault(name, route)
    return sorted(seen.items())


def concrete(route: str, pk: int, extra: dict, second: int | None = None) -> str:
    ids = iter([pk, second or pk])
    url = re.sub(r"<(?:id|int):\w+>", lambda _m: str(next(ids)), route, count=1)
    url = re.sub(r"<(?:id|int):\w+>", lambda _m: str(next(ids)), url)
    url = re.sub(r"\(\?P<pk>\[0-9\]\{1,18\}\)", str(pk), url)
    url = re.sub(r"<(?:str|slug):(\w+)>", lambda m: extra[m.group(1)], url)
    return "/" + url.replace("^", "").replace("$", "")


def ask(client: Client, url: str) -> int:
    """The status of GET ``url`` (an empty POST where only POST is allowed), with every change rolled back."""
    with transaction.atomic():
        status = client.get(url).status_code
        if status == 405:
            status = client.post(url, {}).status_code
        transaction.set_rollback(True)
    return status


def pick(kind: Kind, *, centre=None, technician=None, not_technician=None, owner=None, not_owner=None):
    qs = apps.get_model(kind.model).objects.filter(**dict(kind.where))
    if kind.centre and centre is not None:
        qs = qs.filter(**{kind.centre: centre})
    if technician is not None:
        qs = qs.filter(**{kind.technician: technician})
    if not_technician is not None:
        qs = qs.exclude(**{kind.technician: not_technician}).exclude(**{f"{kind.technician}__isnull": True})
    if owner is not None:
        qs = qs.filter(**{kind.owner: owner})
    if not_owner is not None:
        qs = qs.exclude(**{kind.owner: not_owner})
    if kind.model == "core.HolidayYear":
        return qs.order_by("year").values_list("year", flat=True).first()
    return qs.order_by("pk").values_list("pk", flat=True).first()


def every_kind_in_every_branch() -> None:
    """The demo plays complaints, returns, claims and invoices in Shanghai; the matrix needs Suzhou's too, and a
    colleague's claim and back order, made here through the same services."""
    import base64
    import datetime as dt
    from decimal import Decimal

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from aftersales.billing.models import Payment
    from aftersales.billing.services import QuoteItem, amount_due, invoice_issue, quotation_create
    from aftersales.complaints.services.cases import ComplaintInput, complaint_register
    from aftersales.complaints.services.sweep import complaint_sweep
    from aftersales.customers.models import Customer, MergeCandidate
    from aftersales.dailyreports.services import supervisor_report_open
    from aftersales.demo.builder import demo_signature
    from aftersales.parts import services as parts
    from aftersales.parts.models import Part, Supplier, Warehouse
    from aftersales.reports.services import export_request
    from aftersales.reports.summary import Filters
    from aftersales.returns.models import Shipment, ShipmentLine
    from aftersales.returns.services import ReturnInput, return_request_create
    from aftersales.workorders.models import WorkOrder

    staff = {u.username: u for u in User.objects.all()}
    suzhou = ServiceCenter.objects.get(code="SZ")
    today, now = timezone.localdate(), timezone.now()
    sz_customers = list(Customer.objects.filter(service_center=suzhou).order_by("pk")[:3])
    sh_customers = list(Customer.objects.filter(service_center__code="SH").order_by("pk")[:2])
    for pair in (sh_customers, sz_customers[:2]):
        MergeCandidate.objects.create(customer=pair[0], other=pair[1], phone="13900000000")
    manager = staff["manager_zhou"]
    job = next(wo for wo in WorkOrder.objects.filter(service_center=suzhou, status__in=("completed", "closed", "returned"))
               if amount_due(wo) > 0 and not wo.invoices.exists())
    invoice_issue(actor=manager, work_order=job, kind="vat_normal", number="MATRIX0001", issued_on=today, title="苏州")
    complaint_register(actor=manager, now=now - dt.timedelta(days=20), data=ComplaintInput(
        customer=sz_customers[0], subject="维修不及时", description="客户反映维修不及时"))
    complaint_sweep(now)
    supervisor_report_open(actor=staff["supervisor_liu"], center=suzhou, day=today)
    part = Part.objects.filter(is_main_part=False).first()
    for keeper, centre in ((staff["warehouse_zhao"], "SH"), (manager, "SZ")):
        parts.stock_count_start(actor=keeper, warehouse=Warehouse.objects.get(level="center", service_center__code=centre))
    parts.requisition_create(actor=staff["tech_huang"], to_warehouse=parts.van_warehouse(staff["tech_huang"]),
                             from_warehouse=parts.center_warehouse(suzhou), lines=[(part, Decimal("1"))], reason="补充")
    maker = Supplier.objects.filter(is_manufacturer=True).first()
    picture = ContentFile(base64.b64decode(demo_signature().split(",", 1)[1]), name="defect.png")
    for order in (WorkOrder.objects.filter(service_center__code="SH", technician=staff["tech_qian"]).order_by("pk").first(),
                  WorkOrder.objects.filter(service_center=suzhou).order_by("pk").first()):
        parts.backorder_create(actor=manager, work_order=order, part=part, quantity=1, expected_on=today + dt.timedelta(days=10))
        claim = parts.claim_create(actor=manager, work_order=order, manufacturer=maker, labour_minutes=60, labour_amount=Decimal("150"))
        parts.claim_attach(actor=manager, claim=claim, upload=picture, caption="照片")
    own_job = WorkOrder.objects.filter(technician=staff["tech_zhang"], status__in=("completed", "closed")).order_by("pk").first()
    quotation_create(actor=staff["tech_zhang"], customer=own_job.request.customer, work_order=own_job,
                     items=[QuoteItem(kind="labour", description="维修工时", quantity=Decimal("1"), unit_price=Decimal("150"))])
    shipment = Shipment.objects.create(number="CHMATRIX1", customer=sz_customers[1], salesperson=manager,
                                       shipped_on=today - dt.timedelta(days=3), received_on=today - dt.timedelta(days=2))
    line = ShipmentLine.objects.create(shipment=shipment, item_code="SP-1", description="冷却泵", goods_class="regular",
                                       quantity=Decimal("5"), unit_price=Decimal("100"), unit_cost=Decimal("60"))
    return_request_create(actor=manager, data=ReturnInput(line=line, reason="quality_defect", quantity=Decimal("1"), reported_on=today,
                                                          photo=ContentFile(picture.getvalue() if hasattr(picture, "getvalue") else
                                                                            base64.b64decode(demo_signature().split(",", 1)[1]), name="r.png")))
    Part.objects.filter(pk=part.pk).first().photo.save("part.png", ContentFile(base64.b64decode(demo_signature().split(",", 1)[1])))
    for payment in (Payment.objects.filter(work_order__technician=staff["tech_zhang"]).first(),
                    Payment.objects.filter(work_order__technician=staff["tech_qian"]).first(),
                    Payment.objects.filter(work_order__service_center=suzhou).first()):
        payment.receipt_photo.save("receipt.png", ContentFile(base64.b64decode(demo_signature().split(",", 1)[1])))
    export_request(actor=manager, kind="calls", filters=Filters(start=today.replace(day=1), end=today))
    from aftersales.workorders.models import JobPhoto

    for order in (WorkOrder.objects.filter(service_center__code="SH", technician=staff["tech_zhang"]).order_by("pk").first(),
                  WorkOrder.objects.filter(service_center__code="SH", technician=staff["tech_qian"]).order_by("pk").first(),
                  WorkOrder.objects.filter(service_center=suzhou).order_by("pk").first()):
        photo = JobPhoto(work_order=order, kind="before", taken_by=order.technician)
        photo.image.save("before.png", ContentFile(base64.b64decode(demo_signature().split(",", 1)[1])))
        unit = order.request.equipment
        if unit is not None and not unit.invoice_photo:
            unit.invoice_photo.save("invoice.png", ContentFile(base64.b64decode(demo_signature().split(",", 1)[1])))


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", customers=40, quiet=True)
        every_kind_in_every_branch()
        yield
        transaction.set_rollback(True)


def test_every_url_with_an_object_has_a_row_in_the_matrix():
    names = [name for name, _route in routes_with_an_object()]
    assert len(names) > 140
    assert [name for name in names if name not in EXPECTED] == []
    assert [name for name in EXPECTED if name not in names] == []  # no row for a page that is gone
    branch_wide = {name for name, kind in KINDS.items() if kind.centre and not kind.technician and not kind.owner}
    assert sorted(branch_wide - set(BRANCH_READABLE_BY_TECHNICIAN)) == []  # each kind: his jobs' only, or why the branch's


def test_nobody_sees_another_branchs_or_a_colleagues_records(demo):
    users = {u.username: u for u in User.objects.filter(username__in=(*SHANGHAI_STAFF, *SUZHOU_STAFF, "tech_qian", "manager_zhou"))}
    shanghai, suzhou = ServiceCenter.objects.get(code="SH").pk, ServiceCenter.objects.get(code="SZ").pk
    clients = {}
    for username, user in users.items():
        clients[username] = Client(raise_request_exception=False)
        clients[username].force_login(user)
    anonymous = Client(raise_request_exception=False)
    leaks, missing, unreachable = [], [], []
    for name, route in routes_with_an_object():
        kind_name, extra = EXPECTED[name]
        kind = KINDS[kind_name]
        second = None
        if kind.owner:  # personal: only its owner; everybody else is refused
            pk = pick(kind, owner=users["manager_zhou"]) or pick(kind)
            if pk is None:
                missing.append((name, "any"))
                continue
            owner_id = apps.get_model(kind.model).objects.filter(pk=pk).values_list(kind.owner, flat=True).get()
            url = concrete(route, pk, extra)
            for username, client in clients.items():
                status = ask(client, url)
                if users[username].pk != owner_id and status not in DENIED:
                    leaks.append((username, "someone else's", url, status))
            continue
        if kind.centre is None:  # shared by every branch: only logged-in users, and the reader sees it
            pk = pick(kind)
            if pk is None:
                missing.append((name, "any"))
                continue
            url = concrete(route, pk, extra)
            if ask(clients["manager_zhou"], url) == 404:
                unreachable.append(("manager_zhou", url))
            status = ask(anonymous, url)
            if status == 200:
                leaks.append(("anonymous", "shared", url, status))
            continue
        objects = {"shanghai": pick(kind, centre=shanghai, technician=users["tech_zhang"] if kind.technician else None),
                   "suzhou": pick(kind, centre=suzhou)}
        if kind.technician:
            objects["colleague"] = pick(kind, centre=shanghai, not_technician=users["tech_zhang"])
        for flavour, pk in objects.items():
            if pk is None:
                missing.append((name, flavour))
                continue
            if name in PARENT_ID:  # two ids in the path: the parent's, then the object's
                parent_id = apps.get_model(kind.model).objects.filter(pk=pk).values_list(PARENT_ID[name], flat=True).get()
                url = concrete(route, parent_id, extra, second=pk)
            else:
                url = concrete(route, pk, extra, second=second)
            if ask(clients["manager_zhou"], url) == 404:
                unreachable.append(("manager_zhou", url))
            outsiders = SUZHOU_STAFF if flavour != "suzhou" else SHANGHAI_STAFF
            if kind.participant:
                taking_part = set(apps.get_model(kind.model).objects.filter(pk=pk).values_list(f"{kind.participant}__username", flat=True))
                outsiders = [username for username in outsiders if username not in taking_part]
            for username in outsiders:
                status = ask(clients[username], url)
                if status not in DENIED:
                    leaks.append((username, flavour, url, status))
            if flavour == "shanghai" and name in OWN_JOB_PAGES and ask(clients["tech_zhang"], url) != 200:
                unreachable.append(("tech_zhang", url))
            if flavour == "colleague":
                status = ask(clients["tech_zhang"], url)
                if status not in DENIED:
                    leaks.append(("tech_zhang", flavour, url, status))
            status = ask(anonymous, url)
            if status == 200:
                leaks.append(("anonymous", flavour, url, status))
    assert sorted(set((KINDS[EXPECTED[n][0]].model, f) for n, f in missing)) == []
    assert unreachable == []
    assert leaks == []
