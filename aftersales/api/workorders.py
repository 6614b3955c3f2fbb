"""API of the service loop: work orders and their actions, daily reports (read-only).

Every action is a POST on the object (domain.md, API conventions) that calls one service:
400 for bad input, 403/404 for access, 409 for an illegal step or a stale ``version``.
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from aftersales.api.serializers import ErrorSerializer
from aftersales.core.params import id_param
from aftersales.dailyreports.models import ReportLine, SupervisorDailyReport, SupervisorReportRow, TechnicianDailyReport
from aftersales.dailyreports.selectors import supervisor_reports_visible_to, technician_reports_visible_to
from aftersales.workorders import selectors, services
from aftersales.workorders.models import GoodsReceipt, RepairCard, RepairCardPart, Visit, VisitResult, WorkOrder
from aftersales.workorders.models import Status as WorkOrderStatus
from aftersales.workorders.services.common import MAX_LABOUR_MINUTES
from aftersales.workorders.services.takeback import MAX_REPAIR_MINUTES
from aftersales.workorders.views.board import technician_by_pk

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Bad input; nothing was written"),
    403: OpenApiResponse(ErrorSerializer, description="Not allowed"),
    404: OpenApiResponse(ErrorSerializer, description="Not found or not visible to you"),
    409: OpenApiResponse(ErrorSerializer, description="Illegal step for the voucher's state, or a concurrent change"),
}


class VisitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Visit
        fields = ["id", "arrived_at", "latitude", "longitude", "location_accuracy_m", "finished_at", "work_done", "fault_cause",
                  "labour_minutes", "result", "result_note"]


class ReceiptSerializer(serializers.ModelSerializer):
    class Meta:
        model = GoodsReceipt
        fields = ["number", "item_description", "condition", "accessories", "issued_at", "location", "returned_at", "voided_at"]


class PartSerializer(serializers.ModelSerializer):
    quantity = serializers.IntegerField(min_value=1, max_value=10_000, default=1)

    class Meta:
        model = RepairCardPart
        fields = ["description", "quantity"]


class RepairCardSerializer(serializers.ModelSerializer):
    parts = PartSerializer(many=True, read_only=True)

    class Meta:
        model = RepairCard
        fields = ["number", "item_description", "fault", "started_at", "finished_at", "repair_minutes", "work_done",
                  "inspected_at", "inspection_note", "parts"]


class WorkOrderSerializer(serializers.ModelSerializer):
    request_number = serializers.CharField(source="request.number", read_only=True)
    technician_name = serializers.CharField(source="technician.__str__", read_only=True)
    service_center = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = WorkOrder
        fields = ["id", "number", "request", "request_number", "service_center", "technician", "technician_name", "assigned_at",
                  "assignment_override", "category", "category_reason", "status", "contacted_at", "appointment_at", "escalated_at",
                  "escalation_reason", "signature_waived_reason", "promised_return_at", "promised_return_confirmed",
                  "delay_reason", "completed_at", "archived_at", "cancel_reason", "version"]


class WorkOrderDetailSerializer(WorkOrderSerializer):
    visits = VisitSerializer(many=True, read_only=True)
    receipt = serializers.SerializerMethodField()
    repair_card = serializers.SerializerMethodField()
    signatures = serializers.SerializerMethodField()

    class Meta(WorkOrderSerializer.Meta):
        fields = [*WorkOrderSerializer.Meta.fields, "visits", "receipt", "repair_card", "signatures"]

    def get_receipt(self, obj) -> dict | None:
        receipt = getattr(obj, "receipt", None)
        return ReceiptSerializer(receipt).data if receipt else None

    def get_repair_card(self, obj) -> dict | None:
        card = getattr(obj, "repair_card", None)
        return RepairCardSerializer(card).data if card else None

    def get_signatures(self, obj) -> list[dict]:
        return [{"purpose": s.purpose, "signer_name": s.signer_name, "signed_at": s.signed_at} for s in obj.signatures.defer("image")]


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


class CheckInSerializer(VersionSerializer):
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True, default=None)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True, default=None)
    accuracy = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0)


class WorkSerializer(VersionSerializer):
    work_done = serializers.CharField(max_length=4000, required=False, default="", allow_blank=True)
    fault_cause = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)
    labour_minutes = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0, max_value=MAX_LABOUR_MINUTES)


class SignedSerializer(serializers.Serializer):
    signature = serializers.CharField(required=False, default="", allow_blank=True, help_text="PNG as a data URL or base64")
    signer_name = serializers.CharField(max_length=60, required=False, default="", allow_blank=True)


class CompleteSerializer(WorkSerializer, SignedSerializer):
    pass


class TakeBackSerializer(WorkSerializer, SignedSerializer):
    condition = serializers.CharField(max_length=2000, allow_blank=True)
    accessories = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)
    item_description = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)


class EndVisitSerializer(WorkSerializer):
    result = serializers.ChoiceField(choices=[VisitResult.REVISIT, VisitResult.ESCALATED])
    reason = serializers.CharField(max_length=300, allow_blank=True)
    waiting_for = serializers.ChoiceField(choices=["parts", "customer"], required=False, default="", allow_blank=True)


class FinishRepairSerializer(VersionSerializer):
    repair_minutes = serializers.IntegerField(min_value=1, max_value=MAX_REPAIR_MINUTES)
    work_done = serializers.CharField(max_length=4000, allow_blank=True)
    parts = PartSerializer(many=True, required=False, default=list)


class InspectSerializer(VersionSerializer):
    passed = serializers.BooleanField()
    note = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)


class ReturnSerializer(VersionSerializer, SignedSerializer):
    receipt_no = serializers.CharField(max_length=20, allow_blank=True)


class ReassignSerializer(VersionSerializer):
    technician = serializers.IntegerField()
    reason = serializers.CharField(max_length=300, allow_blank=True)
    override_reason = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)


class VoucherCancelSerializer(VersionSerializer):
    reason = serializers.CharField(max_length=300, allow_blank=True)
    cancel_call = serializers.BooleanField(required=False, default=False)


def _data(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _technician(pk: int):
    try:
        return technician_by_pk(pk)
    except Http404 as exc:
        raise serializers.ValidationError({"technician": ["unknown technician"]}) from exc


def _act(path: str, serializer_class, call, description: str, *, name: str = ""):
    """``POST /work-orders/{id}/<path>/``: parse with ``serializer_class``, run ``call(request, wo, data)``."""

    def handler(self, request, pk=None):
        wo = self.get_object()
        call(request, wo, _data(serializer_class, request))
        return Response(WorkOrderDetailSerializer(selectors.get_work_order_for_user(request.user, wo.pk)).data)

    handler.__name__ = name or path.replace("-", "_")
    handler = action(detail=True, methods=["post"], url_path=path)(handler)
    return extend_schema(request=serializer_class, responses={200: WorkOrderDetailSerializer, **ERRORS}, description=description)(handler)


@extend_schema_view(list=extend_schema(responses={200: WorkOrderSerializer(many=True), **ERRORS}),
                    retrieve=extend_schema(responses={200: WorkOrderDetailSerializer, **ERRORS}))
class WorkOrderViewSet(viewsets.ReadOnlyModelViewSet):
    """Service vouchers. A technician sees only his own; a branch only its centre's."""

    serializer_class = WorkOrderSerializer

    def get_queryset(self):
        p = self.request.query_params
        status = p.get("status", "")
        if status and status != "open" and status not in WorkOrderStatus.values:
            raise serializers.ValidationError({"status": ["unknown status"]})
        return selectors.work_order_list(user=self.request.user, status=status, q=p.get("q", ""),
                                         technician_id=id_param(p.get("technician"), "technician"))

    def get_object(self):
        return selectors.get_work_order_for_user(self.request.user, self.kwargs["pk"])

    def retrieve(self, request, *args, **kwargs):
        return Response(WorkOrderDetailSerializer(self.get_object()).data)

    check_in = _act("check-in", CheckInSerializer, lambda r, wo, d: services.work_order_check_in(
        actor=r.user, work_order=wo, latitude=d["latitude"], longitude=d["longitude"], accuracy=d["accuracy"], expected_version=d["version"]),
        "The technician arrives (REP-01); stops the call's arrival clock. 409 when already checked in.")
    complete = _act("complete", CompleteSerializer, lambda r, wo, d: services.work_order_complete(
        actor=r.user, work_order=wo, work_done=d["work_done"], fault_cause=d["fault_cause"], labour_minutes=d["labour_minutes"],
        signature=d["signature"], signer_name=d["signer_name"], expected_version=d["version"]),
        "Finished on site with the customer's signature; closes the call (注销) with its SLA result.")
    take_back = _act("take-back", TakeBackSerializer, lambda r, wo, d: services.work_order_take_back(
        actor=r.user, work_order=wo, condition=d["condition"], accessories=d["accessories"], item_description=d["item_description"],
        work_done=d["work_done"], fault_cause=d["fault_cause"], labour_minutes=d["labour_minutes"], signature=d["signature"],
        signer_name=d["signer_name"], expected_version=d["version"]), "Take the item back: goods receipt, register entry, repair card.")
    end_visit = _act("end-visit", EndVisitSerializer, lambda r, wo, d: services.work_order_end_visit(
        actor=r.user, work_order=wo, result=d["result"], reason=d["reason"], work_done=d["work_done"], fault_cause=d["fault_cause"],
        labour_minutes=d["labour_minutes"], waiting_for=d["waiting_for"], expected_version=d["version"]),
        "The visit ends unfinished: revisit (the call may wait for parts or the customer), or escalate (DISP-04).")
    start_repair = _act("start-repair", VersionSerializer, lambda r, wo, d: services.work_order_start_repair(
        actor=r.user, work_order=wo, expected_version=d["version"]), "Work starts on the taken-back item.")
    finish_repair = _act("finish-repair", FinishRepairSerializer, lambda r, wo, d: services.work_order_finish_repair(
        actor=r.user, work_order=wo, repair_minutes=d["repair_minutes"], work_done=d["work_done"],
        parts=[(p["description"], p["quantity"]) for p in d["parts"]], expected_version=d["version"]), "Record repair time and parts (REP-03).")
    inspect = _act("inspect", InspectSerializer, lambda r, wo, d: services.work_order_inspect(
        actor=r.user, work_order=wo, passed=d["passed"], note=d["note"], expected_version=d["version"]),
        "The supervisor's inspection (验讫). 403 for a technician.")
    give_back = _act("return", ReturnSerializer, lambda r, wo, d: services.work_order_give_back(
        actor=r.user, work_order=wo, receipt_no=d["receipt_no"], signature=d["signature"], signer_name=d["signer_name"],
        expected_version=d["version"]), "Return the inspected item against its receipt, which is voided; closes the call.", name="give_back")
    reassign = _act("reassign", ReassignSerializer, lambda r, wo, d: services.work_order_reassign(
        actor=r.user, work_order=wo, technician=_technician(d["technician"]), reason=d["reason"], override_reason=d["override_reason"],
        expected_version=d["version"]), "Give the voucher to another technician (reason required).")
    cancel = _act("cancel", VoucherCancelSerializer, lambda r, wo, d: services.work_order_cancel(
        actor=r.user, work_order=wo, reason=d["reason"], cancel_call=d["cancel_call"], expected_version=d["version"]),
        "Cancel before the job is done; the call returns to the queue or is cancelled too.")


class DispatchSerializer(serializers.Serializer):
    technician = serializers.IntegerField()
    override_reason = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)
    version = serializers.IntegerField(required=False, allow_null=True, default=None)


def dispatch_request(request, service_request) -> WorkOrder:
    d = _data(DispatchSerializer, request)
    return services.work_order_assign(actor=request.user, request=service_request, technician=_technician(d["technician"]),
                                      override_reason=d["override_reason"], expected_version=d["version"])


class ReportLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportLine
        fields = ["source", "work_order", "category", "minutes", "description"]


class TechnicianReportSerializer(serializers.ModelSerializer):
    lines = ReportLineSerializer(many=True, read_only=True)

    class Meta:
        model = TechnicianDailyReport
        fields = ["id", "technician", "service_center", "day", "status", "due_at", "submitted_at", "reviewed_at", "reviewed_by",
                  "review_note", "lines"]


class SupervisorRowSerializer(serializers.ModelSerializer):
    class Meta:
        model = SupervisorReportRow
        fields = ["technician", "technician_report", "minutes_a", "minutes_b", "minutes_c", "minutes_d", "jobs"]


class SupervisorReportSerializer(serializers.ModelSerializer):
    rows = SupervisorRowSerializer(many=True, read_only=True)

    class Meta:
        model = SupervisorDailyReport
        fields = ["id", "service_center", "day", "author", "status", "due_at", "note", "submitted_at", "signed_at", "signed_by",
                  "received_at", "received_by", "rows"]


class TechnicianReportViewSet(viewsets.ReadOnlyModelViewSet):
    """技术员工作日报表 (read-only): ``?day=YYYY-MM-DD`` filters."""

    serializer_class = TechnicianReportSerializer

    def get_queryset(self):
        qs = technician_reports_visible_to(self.request.user).prefetch_related("lines").order_by("-day", "technician_id")
        from aftersales.api.views import date_query

        day = date_query(self.request.query_params, "day")
        return qs.filter(day=day) if day else qs


class SupervisorReportViewSet(viewsets.ReadOnlyModelViewSet):
    """服务主任日报表 (read-only): ``?day=YYYY-MM-DD`` filters."""

    serializer_class = SupervisorReportSerializer

    def get_queryset(self):
        qs = supervisor_reports_visible_to(self.request.user).prefetch_related("rows").order_by("-day", "service_center_id")
        from aftersales.api.views import date_query

        day = date_query(self.request.query_params, "day")
        return qs.filter(day=day) if day else qs
