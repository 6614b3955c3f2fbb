"""API over the rest of the loop: quotations (accept, decline), payments, parts used, opinion cards, return visits,
contracts, complaints, goods returns, requisitions and score sheets.

Reads go through the same permission-checked selectors as the pages (a technician sees his own jobs' money, a branch
its own records); writes call the same services, so a refusal is the same message: 400 bad input (nothing written),
403 not allowed, 404 not found or not visible, 409 an illegal step or a stale ``version``. Every write accepts an
``Idempotency-Key`` header (``api.idempotency``): a retried request gets the first answer again instead of, say, a
second payment.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import BadRequest
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from aftersales.api.serializers import ErrorSerializer
from aftersales.billing import selectors as billing_selectors
from aftersales.billing import services as billing
from aftersales.billing.models import Payment, PaymentMethod, Quotation, QuotationLine
from aftersales.care.models import Satisfaction
from aftersales.care.selectors import visit_list
from aftersales.complaints.models import ComplaintKind, Market, Origin, PenaltyCause, Settlement
from aftersales.complaints.selectors import case_list
from aftersales.contracts.selectors import contract_list
from aftersales.feedback.models import Level
from aftersales.feedback.selectors import card_list
from aftersales.parts.models import RequisitionLine, WorkOrderPart
from aftersales.parts.selectors import requisitions_visible_to
from aftersales.performance.selectors import assessments_visible
from aftersales.returns.models import Reason
from aftersales.returns.selectors import return_list

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key", {"type": "string", "pattern": "^[!-~]{1,100}$"}, OpenApiParameter.HEADER, required=False,
    description="Any unique string of 1–100 visible ASCII characters (a UUID) per intended action: a retry with the same key "
                "and body returns the first answer; the same key with another body is refused (422).")

READ_ERRORS = {
    404: OpenApiResponse(ErrorSerializer, description="Not found, or not visible to you",
                         examples=[OpenApiExample("not found", value={"detail": "Not found.", "code": "not_found", "fields": {}})]),
}
WRITE_ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Bad input; nothing was written",
                         examples=[OpenApiExample("bad input", value={"detail": "Enter an amount above zero.", "code": "invalid",
                                                                     "fields": {"amount": ["Enter an amount above zero."]}})]),
    403: OpenApiResponse(ErrorSerializer, description="Not allowed",
                         examples=[OpenApiExample("not allowed", value={"detail": "You may not collect money for this job.",
                                                                       "code": "permission_denied", "fields": {}})]),
    **READ_ERRORS,
    409: OpenApiResponse(ErrorSerializer, description="Illegal step for the record's state, or someone changed it meanwhile",
                         examples=[OpenApiExample("conflict", value={"detail": "This quotation was already decided.", "code": "conflict",
                                                                    "fields": {}})]),
    422: OpenApiResponse(ErrorSerializer, description="The Idempotency-Key was used for another request"),
}


def _user_or_none(view):
    return None if getattr(view, "swagger_fake_view", False) else view.request.user


# Quotations ------------------------------------------------------------------------------------------------------


class QuotationLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = QuotationLine
        fields = ["id", "kind", "part", "description", "quantity", "unit_price", "tax_rate"]


class QuotationSerializer(serializers.ModelSerializer):
    lines = QuotationLineSerializer(many=True, read_only=True)

    class Meta:
        model = Quotation
        fields = ["id", "number", "customer", "work_order", "status", "valid_until", "note", "sent_at", "decided_at", "acceptance_signer",
                  "acceptance_note", "version", "lines"]


class QuotationDecisionSerializer(serializers.Serializer):
    signature = serializers.CharField(required=False, allow_blank=True, default="", max_length=400_000,
                                      help_text="The customer's drawn signature as a data:image/png;base64 URI")
    signer_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300,
                                 help_text="The clerk's note of an acceptance by phone, or why it was declined")
    version = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0, max_value=2**31 - 1)


@extend_schema_view(list=extend_schema(responses={200: QuotationSerializer(many=True)}),
                    retrieve=extend_schema(responses={200: QuotationSerializer, **READ_ERRORS}))
class QuotationViewSet(viewsets.ReadOnlyModelViewSet):
    """Quotations of jobs the user may see; the customer accepts (signature or a clerk's note) or declines."""

    serializer_class = QuotationSerializer

    def get_queryset(self):
        user = _user_or_none(self)
        if user is None:
            return Quotation.objects.none()
        return billing_selectors.quotations_visible_to(user).prefetch_related("lines").order_by("-id")

    @extend_schema(request=QuotationDecisionSerializer, parameters=[IDEMPOTENCY_KEY], responses={200: QuotationSerializer, **WRITE_ERRORS},
                   description="The customer accepts: ``signature`` + ``signer_name`` on site, or the clerk's ``note`` of a phone call.")
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        quotation = self.get_object()
        data = QuotationDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        result = billing.quotation_accept(actor=request.user, quotation=quotation, signature=d["signature"], signer_name=d["signer_name"],
                                          note=d["note"], expected_version=d["version"])
        return Response(QuotationSerializer(result).data)

    @extend_schema(request=QuotationDecisionSerializer, parameters=[IDEMPOTENCY_KEY], responses={200: QuotationSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        quotation = self.get_object()
        data = QuotationDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if not request.user.has_perm("billing.quote", quotation.work_order or quotation.customer):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        result = billing.quotation_decline(actor=request.user, quotation=quotation, note=data.validated_data["note"])
        return Response(QuotationSerializer(result).data)


# Payments and parts used (on the work order) -------------------------------------------------------------------------


class PaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Payment
        fields = ["id", "work_order", "amount", "method", "collected_by", "collected_at", "on_site", "reference", "handover"]


class PaymentInputSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    method = serializers.ChoiceField(choices=PaymentMethod.choices)
    reference = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    on_site = serializers.BooleanField(required=False, default=False)


class PartUsedSerializer(serializers.ModelSerializer):
    part_code = serializers.CharField(source="part.code", read_only=True)

    class Meta:
        model = WorkOrderPart
        fields = ["id", "part", "part_code", "warehouse", "quantity", "returned_quantity", "issued_at", "compatibility_override"]


class PaymentsMixin:
    """``/work-orders/{id}/payments/`` (GET the job's payments, POST one) and ``/work-orders/{id}/parts/``."""

    @extend_schema(methods=["GET"], responses={200: PaymentSerializer(many=True), **READ_ERRORS})
    @extend_schema(methods=["POST"], request=PaymentInputSerializer, parameters=[IDEMPOTENCY_KEY],
                   responses={201: PaymentSerializer, **WRITE_ERRORS},
                   description="Money received for the job: never more than is due; a technician records on-site money of his own job.")
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def payments(self, request, pk=None):
        wo = self.get_object()
        if not request.user.has_perm("billing.view", wo):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        if request.method == "GET":
            return Response(PaymentSerializer(wo.payments.order_by("collected_at", "id"), many=True).data)
        data = PaymentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        payment = billing.payment_record(actor=request.user, work_order=wo, amount=d["amount"], method=d["method"], reference=d["reference"],
                                         on_site=d["on_site"])
        return Response(PaymentSerializer(payment).data, status=201)

    @extend_schema(responses={200: PartUsedSerializer(many=True), **READ_ERRORS}, description="Parts used on the job, with returns.")
    @action(detail=True, methods=["get"], url_path="parts", pagination_class=None)
    def parts_used(self, request, pk=None):
        wo = self.get_object()
        return Response(PartUsedSerializer(WorkOrderPart.objects.filter(work_order=wo).select_related("part").order_by("id"), many=True).data)


# Read-only domains -----------------------------------------------------------------------------------------------


def _read_only(model_name: str, selector, fields: list[str], doc: str, *, extra_serializer_fields: dict | None = None,
               name: str = ""):
    """A read-only viewset over ``selector(user)`` (list and detail), documented with its 404."""
    from django.apps import apps

    model = apps.get_model(model_name)
    meta = type("Meta", (), {"model": model, "fields": fields})
    name = name or model.__name__
    serializer = type(f"{name}Serializer", (serializers.ModelSerializer,), {"Meta": meta, **(extra_serializer_fields or {})})

    @extend_schema_view(list=extend_schema(responses={200: serializer(many=True)}),
                        retrieve=extend_schema(responses={200: serializer, **READ_ERRORS}))
    class ReadOnly(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
        __doc__ = doc
        serializer_class = serializer

        def get_queryset(self):
            user = _user_or_none(self)
            return model.objects.none() if user is None else selector(user)

    ReadOnly.__name__ = ReadOnly.__qualname__ = f"{name}ViewSet"
    return ReadOnly


class RequisitionLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = RequisitionLine
        fields = ["part", "quantity", "approved_quantity"]


OpinionCardViewSet = _read_only(
    "feedback.OpinionCard", lambda user: card_list(user=user),
    ["id", "number", "request", "work_order", "technician", "customer", "service_center", "closed_on", "answered_at", "answered_via",
     "attitude", "skill", "arrival", "follow_through", "comment_kind", "comments"],
    "Opinion cards (意见卡) of the user's centre; a technician's own.")
ReturnVisitViewSet = _read_only(
    "care.ReturnVisit", lambda user: visit_list(user=user, status=""),
    ["id", "visit_type", "customer", "service_center", "equipment", "request", "event_date", "due_from", "due_until", "status", "assigned_to",
     "attempts", "done_at", "outcome", "satisfaction", "content"],
    "Return visits (回访) of the user's centre, every status.")
ContractViewSet = _read_only(
    "contracts.MaintenanceContract", lambda user: contract_list(user=user),
    ["id", "number", "customer", "start_date", "end_date", "fee", "covers_labour", "covers_parts", "covers_travel", "coverage_notes",
     "visits_per_year", "sla_level", "status"],
    "Maintenance contracts of the user's centre.")
ComplaintViewSet = _read_only(
    "complaints.ComplaintCase", lambda user: case_list(user=user),
    ["id", "number", "customer", "service_center", "origin", "kind", "market", "major", "subject", "description", "accepted_at", "due_at",
     "status", "closed_at", "version"],
    "Complaint cases of the user's centre, and those with a step of his.")
GoodsReturnViewSet = _read_only(
    "returns.ReturnRequest", lambda user: return_list(user=user),
    ["id", "number", "customer", "service_center", "reason", "quantity", "reported_on", "outcome", "credit_percent", "status",
     "quantity_approved", "arrived_on", "quantity_received", "credit_amount", "settled_at"],
    "Goods returns of the user's centre, judged by the return rules.", name="GoodsReturn")
RequisitionViewSet = _read_only(
    "parts.Requisition", lambda user: requisitions_visible_to(user).prefetch_related("lines").order_by("-id"),
    ["id", "number", "requested_by", "service_center", "to_warehouse", "from_warehouse", "work_order", "reason", "status", "decided_at",
     "decision_note", "transferred_at", "version", "lines"],
    "Parts requisitions: the requester's own, his centre's, and the central warehouse's keepers'.",
    extra_serializer_fields={"lines": RequisitionLineSerializer(many=True, read_only=True)})
ScoreSheetViewSet = _read_only(
    "performance.Assessment", lambda user: assessments_visible(user).order_by("-month", "id"),
    ["id", "person", "scheme", "month", "status", "self_reported_at", "reviewer", "reviewed_at", "submitted_at", "closed_at", "total",
     "grade", "version"],
    "Monthly score sheets (read-only): everyone his own, a supervisor his centre's, the service department all.")


# The monthly summary's figures (read-only) ------------------------------------------------------------------------


class SummaryLineSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    actual = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    target = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    direction = serializers.CharField(allow_blank=True)
    light = serializers.CharField(allow_blank=True, help_text="green, red, or empty without a target")


class MonthlySummarySerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    requests = serializers.IntegerField()
    closed = serializers.IntegerField()
    sla_compliance = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True)
    rework_rate = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True)
    first_time_fix = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True)
    revenue = serializers.DecimalField(max_digits=14, decimal_places=2)
    warranty_value = serializers.DecimalField(max_digits=14, decimal_places=2)
    parts_cost = serializers.DecimalField(max_digits=14, decimal_places=2)
    visits_due = serializers.IntegerField()
    visits_done = serializers.IntegerField()
    by_category = serializers.DictField(child=serializers.IntegerField())
    lines = SummaryLineSerializer(many=True)


class MonthlySummaryView(APIView):
    """The after-sales summary of a month (RPT-02..05), the figures of the report page: for those who read reports,
    over the centres they see."""

    @extend_schema(
        parameters=[
            OpenApiParameter("month", {"type": "string", "pattern": "^(19|20)[0-9]{2}-(0[1-9]|1[0-2])$"}, OpenApiParameter.QUERY,
                             description="The month, e.g. 2026-11 (default: last month)"),
            OpenApiParameter("center", {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}, OpenApiParameter.QUERY,
                             description="One service centre (head office only)"),
            OpenApiParameter("category", {"type": "string", "enum": ["A", "B", "C", "D"]}, OpenApiParameter.QUERY),
        ],
        responses={200: MonthlySummarySerializer, **WRITE_ERRORS},
    )
    def get(self, request):
        from django.core.exceptions import PermissionDenied

        from aftersales.reports.services import may_read
        from aftersales.reports.summary import filters_from, monthly_summary

        if not may_read(request.user):
            raise PermissionDenied
        params = {}
        for key in ("month", "center", "category"):
            values = request.query_params.getlist(key)
            if len(values) > 1 or values == [""]:
                raise BadRequest(_("Give %(name)s once, with a value.") % {"name": key})
            if values:
                params[key] = values[0]
        summary = monthly_summary(user=request.user, filters=filters_from(params))
        f = summary.filters
        return Response(MonthlySummarySerializer({
            "start": f.start, "end": f.end, "requests": summary.requests, "closed": summary.closed,
            "sla_compliance": summary.sla_compliance, "rework_rate": summary.rework_rate, "first_time_fix": summary.first_time_fix,
            "revenue": summary.revenue, "warranty_value": summary.warranty_value, "parts_cost": summary.parts_cost,
            "visits_due": summary.visits_due, "visits_done": summary.visits_done, "by_category": summary.by_category,
            "lines": [vars(line) for line in summary.lines],
        }).data)


# Writes on the back office's records: the same services as the pages -------------------------------------------


def _validated(serializer_class, request) -> dict:
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return data.validated_data



class CardAnswerSerializer(serializers.Serializer):
    attitude = serializers.ChoiceField(choices=Level.choices, required=False, allow_null=True, default=None)
    skill = serializers.ChoiceField(choices=Level.choices, required=False, allow_null=True, default=None)
    arrival = serializers.ChoiceField(choices=Level.choices, required=False, allow_null=True, default=None)
    follow_through = serializers.ChoiceField(choices=Level.choices, required=False, allow_null=True, default=None)
    comment_kind = serializers.ChoiceField(choices=["", "suggestion", "complaint"], required=False, default="", allow_blank=True)
    comments = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)
    via = serializers.ChoiceField(choices=["phone", "paper"], help_text="How the customer answered: on the phone with an agent, or on paper")


class OpinionCardWrites(OpinionCardViewSet):
    @extend_schema(request=CardAnswerSerializer, parameters=[IDEMPOTENCY_KEY], responses={200: OpinionCardViewSet.serializer_class, **WRITE_ERRORS},
                   description="An agent enters the customer's answer given on the phone or on paper (SURV-03); a second answer is a 409.")
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        from aftersales.feedback.services import opinion_card_answer

        card = self.get_object()
        d = _validated(CardAnswerSerializer, request)
        ratings = {key: d[key] for key in ("attitude", "skill", "arrival", "follow_through")}
        card = opinion_card_answer(card=card, ratings=ratings, comment_kind=d["comment_kind"], comments=d["comments"], via=d["via"],
                                   actor=request.user)
        return Response(self.get_serializer(card).data)


class VisitRecordSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=["reached", "no_answer", "wrong_number", "refused"])
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices, required=False, allow_null=True, default=None)
    content = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)
    reasons = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)
    actions = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)
    promised_by = serializers.DateField(required=False, allow_null=True, default=None)
    complaint = serializers.BooleanField(required=False, default=False)


@extend_schema_view(list=extend_schema(parameters=[OpenApiParameter(
    "status", {"type": "string", "enum": ["due", "done", "blocked", "skipped"]}, OpenApiParameter.QUERY,
    description="``due``: the due list — visits due today or overdue; otherwise visits in that status; absent: all")]))
class ReturnVisitWrites(ReturnVisitViewSet):
    def get_queryset(self):
        user = _user_or_none(self)
        if user is None or self.action != "list":
            return super().get_queryset()
        values = self.request.query_params.getlist("status")
        if len(values) > 1 or (values and values[0] not in ("due", "done", "blocked", "skipped")):
            raise BadRequest(_("“%(value)s” is not a valid %(name)s.") % {"value": values[-1][:30], "name": "status"})
        return visit_list(user=user, status=values[0] if values else "")

    @extend_schema(request=VisitRecordSerializer, parameters=[IDEMPOTENCY_KEY], responses={200: ReturnVisitViewSet.serializer_class, **WRITE_ERRORS},
                   description="Record a visit call (VIS): no answer keeps it due; any other outcome closes it.")
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        from aftersales.care.services import VisitRecord, return_visit_record

        visit = self.get_object()
        d = _validated(VisitRecordSerializer, request)
        visit = return_visit_record(actor=request.user, visit=visit, record=VisitRecord(**d))
        return Response(self.get_serializer(visit).data)


class RenewSerializer(serializers.Serializer):
    start_date = serializers.DateField(required=False, allow_null=True, default=None)
    end_date = serializers.DateField(required=False, allow_null=True, default=None)
    fee = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, required=False, allow_null=True, default=None)
    visits_per_year = serializers.IntegerField(min_value=0, max_value=52, required=False, allow_null=True, default=None)


class ContractWrites(ContractViewSet):
    @extend_schema(request=RenewSerializer, parameters=[IDEMPOTENCY_KEY], responses={201: ContractViewSet.serializer_class, **WRITE_ERRORS},
                   description="Renew the contract (CON-02): the next period follows this one unless dates are given.")
    @action(detail=True, methods=["post"])
    def renew(self, request, pk=None):
        from aftersales.contracts.services import contract_renew

        contract = self.get_object()
        renewed = contract_renew(actor=request.user, contract=contract, **_validated(RenewSerializer, request))
        return Response(self.get_serializer(renewed).data, status=201)


class VersionInputSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0, max_value=2**31 - 1)


class ComplaintWrites(ComplaintViewSet):
    @extend_schema(request=VersionInputSerializer, parameters=[IDEMPOTENCY_KEY], responses={200: ComplaintViewSet.serializer_class, **WRITE_ERRORS},
                   description="Close the case once every step is signed (CMP-09): the coordinators only.")
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        from aftersales.complaints.services import complaint_close

        case = self.get_object()
        case = complaint_close(actor=request.user, case=case, expected_version=_validated(VersionInputSerializer, request)["version"])
        return Response(self.get_serializer(case).data)


class ApproveReturnSerializer(serializers.Serializer):
    quantity = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, required=False, allow_null=True, default=None)


class ReceiveReturnSerializer(serializers.Serializer):
    quantity = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    arrived_on = serializers.DateField()
    inspection = serializers.CharField(max_length=2000)


class GoodsReturnWrites(GoodsReturnViewSet):
    @extend_schema(request=ApproveReturnSerializer, parameters=[IDEMPOTENCY_KEY], responses={200: GoodsReturnViewSet.serializer_class, **WRITE_ERRORS},
                   description="After-sales approves the return (all, or the given quantity).")
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        from aftersales.returns.services import return_approve

        request_ = self.get_object()
        return Response(self.get_serializer(return_approve(actor=request.user, request=request_,
                                                           **_validated(ApproveReturnSerializer, request))).data)

    @extend_schema(request=ReceiveReturnSerializer, parameters=[IDEMPOTENCY_KEY], responses={200: GoodsReturnViewSet.serializer_class, **WRITE_ERRORS},
                   description="The warehouse receives the goods and records its inspection.")
    @action(detail=True, methods=["post"])
    def receive(self, request, pk=None):
        from aftersales.returns.services import return_receive

        request_ = self.get_object()
        return Response(self.get_serializer(return_receive(actor=request.user, request=request_,
                                                           **_validated(ReceiveReturnSerializer, request))).data)


class DecisionLineSerializer(serializers.Serializer):
    line = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    approved_quantity = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)


class RequisitionDecisionSerializer(VersionInputSerializer):
    lines = DecisionLineSerializer(many=True)
    note = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)


class RequisitionWrites(RequisitionViewSet):
    @extend_schema(request=RequisitionDecisionSerializer, parameters=[IDEMPOTENCY_KEY],
                   responses={200: RequisitionViewSet.serializer_class, **WRITE_ERRORS},
                   description="The keeper decides each line: in full, in part or not at all (a refusal needs its note).")
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        from aftersales.parts.services import requisition_decide

        requisition = self.get_object()
        d = _validated(RequisitionDecisionSerializer, request)
        approved = {item["line"]: item["approved_quantity"] for item in d["lines"]}
        result = requisition_decide(actor=request.user, requisition=requisition, approved=approved, note=d["note"],
                                    expected_version=d["version"])
        return Response(self.get_serializer(result).data)


# Registering records: a complaint, a contract, a goods return; signing a complaint's step ----------------------


def _visible(getter, user, pk, field: str):
    """The record ``pk`` through its permission-checked getter; one the user may not see is a 400 on ``field``."""
    from django.http import Http404

    try:
        return getter(user, pk)
    except Http404 as exc:
        raise serializers.ValidationError({field: [_("Not found, or not visible to you.")]}) from exc


class ComplaintRegisterSerializer(serializers.Serializer):
    customer = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    subject = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=4000)
    kind = serializers.ChoiceField(choices=ComplaintKind.choices, default=ComplaintKind.NON_QUALITY)
    origin = serializers.ChoiceField(choices=Origin.choices, default=Origin.PHONE)
    market = serializers.ChoiceField(choices=Market.choices, default=Market.DOMESTIC)
    major = serializers.BooleanField(default=False)
    lot_no = serializers.CharField(max_length=40, required=False, default="", allow_blank=True)
    part_no = serializers.CharField(max_length=40, required=False, default="", allow_blank=True)
    quantity = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, required=False, allow_null=True, default=None)
    defective_quantity = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, required=False, allow_null=True, default=None)
    customer_demand = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)


class StepSignSerializer(VersionInputSerializer):
    opinion = serializers.CharField(max_length=4000)
    kind = serializers.ChoiceField(choices=[("", "—"), *ComplaintKind.choices], required=False, default="", allow_blank=True)
    cause_finding = serializers.CharField(max_length=4000, required=False, default="", allow_blank=True)
    responsible_unit = serializers.CharField(max_length=80, required=False, default="", allow_blank=True)
    human_cause = serializers.ChoiceField(choices=[("", "—"), *PenaltyCause.choices], required=False, default="", allow_blank=True)
    needs_rnd = serializers.BooleanField(default=False)
    joint_survey = serializers.BooleanField(default=False)
    major = serializers.BooleanField(required=False, allow_null=True, default=None)
    countermeasure = serializers.CharField(max_length=4000, required=False, default="", allow_blank=True)
    human_negligence = serializers.BooleanField(default=False)
    settlement = serializers.ChoiceField(choices=[("", "—"), *Settlement.choices], required=False, default="", allow_blank=True)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, required=False, allow_null=True, default=None)
    customer_answer = serializers.CharField(max_length=4000, required=False, default="", allow_blank=True)
    customer_accepted = serializers.BooleanField(required=False, allow_null=True, default=None)
    handling_satisfaction = serializers.IntegerField(min_value=1, max_value=4, required=False, allow_null=True, default=None)


class ComplaintFullWrites(ComplaintWrites):
    @extend_schema(request=ComplaintRegisterSerializer, parameters=[IDEMPOTENCY_KEY],
                   responses={201: ComplaintViewSet.serializer_class, **WRITE_ERRORS},
                   description="Register a complaint (CMP-05): numbered, routed, due in 13 days (17 abroad).")
    def create(self, request):
        from aftersales.complaints.services import ComplaintInput, complaint_register
        from aftersales.customers.selectors import get_customer_for_user

        d = dict(_validated(ComplaintRegisterSerializer, request))
        d["customer"] = _visible(get_customer_for_user, request.user, d["customer"], "customer")
        case = complaint_register(actor=request.user, data=ComplaintInput(**d))
        return Response(self.get_serializer(case).data, status=201)

    @extend_schema(request=StepSignSerializer, parameters=[IDEMPOTENCY_KEY], responses={200: ComplaintViewSet.serializer_class, **WRITE_ERRORS},
                   description="The owner of the current step signs it with his findings (CMP-06..08); anyone else is refused.")
    @action(detail=True, methods=["post"])
    def step(self, request, pk=None):
        from aftersales.complaints.selectors import current_step
        from aftersales.complaints.services import StepInput, complaint_step_complete
        from aftersales.core.errors import ConflictError

        case = self.get_object()
        d = dict(_validated(StepSignSerializer, request))
        version = d.pop("version")
        step = current_step(case)
        if step is None:
            raise ConflictError(_("Every step is done."), code="done")
        complaint_step_complete(actor=request.user, step=step, data=StepInput(**d), expected_version=version)
        case.refresh_from_db()
        return Response(self.get_serializer(case).data)


class ContractRegisterSerializer(serializers.Serializer):
    customer = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    equipment = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), max_length=500)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    fee = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, default=Decimal("0.00"))
    covers_labour = serializers.BooleanField(default=True)
    covers_parts = serializers.BooleanField(default=False)
    covers_travel = serializers.BooleanField(default=True)
    visits_per_year = serializers.IntegerField(min_value=0, max_value=52, default=2)
    coverage_notes = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)


class ContractFullWrites(ContractWrites):
    @extend_schema(request=ContractRegisterSerializer, parameters=[IDEMPOTENCY_KEY],
                   responses={201: ContractViewSet.serializer_class, **WRITE_ERRORS},
                   description="Register a maintenance contract over some of the customer's machines (CON-01).")
    def create(self, request):
        from aftersales.contracts.services import contract_create
        from aftersales.customers.selectors import get_customer_for_user
        from aftersales.equipment.selectors import get_equipment_for_user

        d = dict(_validated(ContractRegisterSerializer, request))
        customer = _visible(get_customer_for_user, request.user, d.pop("customer"), "customer")
        units = [_visible(get_equipment_for_user, request.user, pk, "equipment") for pk in d.pop("equipment")]
        contract = contract_create(actor=request.user, customer=customer, equipment=units, **d)
        return Response(self.get_serializer(contract).data, status=201)


class ReturnRequestSerializer(serializers.Serializer):
    line = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="The shipment line the goods came on")
    reason = serializers.ChoiceField(choices=Reason.choices)
    quantity = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    reported_on = serializers.DateField()
    description = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)
    film_removed = serializers.BooleanField(default=False)
    missing_bags = serializers.IntegerField(min_value=0, max_value=10_000, default=0)
    missing_boxes = serializers.IntegerField(min_value=0, max_value=10_000, default=0)
    purchasing_signed = serializers.BooleanField(default=False)


class GoodsReturnFullWrites(GoodsReturnWrites):
    @extend_schema(request=ReturnRequestSerializer, parameters=[IDEMPOTENCY_KEY],
                   responses={201: GoodsReturnViewSet.serializer_class, **WRITE_ERRORS},
                   description="Request a return, judged at once by the return rules; a refusal says why and records nothing. "
                               "Photos, where a rule asks for them, are added on the page.")
    def create(self, request):
        from aftersales.returns.selectors import get_line_for_user
        from aftersales.returns.services import ReturnInput, return_request_create

        d = dict(_validated(ReturnRequestSerializer, request))
        d["line"] = _visible(get_line_for_user, request.user, d["line"], "line")
        result = return_request_create(actor=request.user, data=ReturnInput(**d))
        return Response(self.get_serializer(result).data, status=201)
