"""API of parts and billing: the catalogue, warehouses and their stock, a job's charges, using a part, invoices."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from aftersales.api.workorders import ERRORS, WorkOrderViewSet
from aftersales.billing import selectors as billing_selectors
from aftersales.billing.models import ChargeLine, Invoice
from aftersales.billing.services import work_order_use_part
from aftersales.parts import selectors as parts_selectors
from aftersales.parts.models import Part, StockBalance, Warehouse


class PartSerializer(serializers.ModelSerializer):
    compatible_models = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Part
        fields = ["id", "code", "name", "specification", "unit", "compatible_models", "is_main_part", "sale_price", "cost", "reorder_point",
                  "is_active"]


class WarehouseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Warehouse
        fields = ["id", "code", "name", "level", "service_center", "technician"]


class BalanceSerializer(serializers.ModelSerializer):
    part_code = serializers.CharField(source="part.code")

    class Meta:
        model = StockBalance
        fields = ["part", "part_code", "quantity"]


class ChargeLineSerializer(serializers.ModelSerializer):
    net = serializers.SerializerMethodField()
    tax = serializers.SerializerMethodField()
    total = serializers.SerializerMethodField()

    class Meta:
        model = ChargeLine
        fields = ["id", "kind", "description", "quantity", "unit", "unit_price", "tax_rate", "discount", "coverage", "coverage_reason", "cost",
                  "net", "tax", "total", "invoice"]

    def get_net(self, obj) -> str:
        return str(obj.amounts.net)

    def get_tax(self, obj) -> str:
        return str(obj.amounts.tax)

    def get_total(self, obj) -> str:
        return str(obj.amounts.total)


class BillSerializer(serializers.Serializer):
    lines = ChargeLineSerializer(many=True)
    net = serializers.DecimalField(max_digits=12, decimal_places=2)
    tax = serializers.DecimalField(max_digits=12, decimal_places=2)
    total = serializers.DecimalField(max_digits=12, decimal_places=2)
    paid = serializers.DecimalField(max_digits=12, decimal_places=2)
    due = serializers.DecimalField(max_digits=12, decimal_places=2)
    company_cost = serializers.DecimalField(max_digits=12, decimal_places=2)


class InvoiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Invoice
        fields = ["id", "kind", "number", "issued_on", "due_on", "title", "tax_no", "work_order", "settlement", "customer", "net", "tax", "total",
                  "voided_at", "void_reason"]


class UsePartSerializer(serializers.Serializer):
    part_code = serializers.CharField(max_length=40)
    quantity = serializers.DecimalField(max_digits=12, decimal_places=2)
    warehouse = serializers.IntegerField(required=False, allow_null=True, default=None)
    override_reason = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)


class PartViewSet(viewsets.ReadOnlyModelViewSet):
    """The part catalogue (``?q=`` searches code, name and specification)."""

    serializer_class = PartSerializer

    def get_queryset(self):
        return parts_selectors.part_list(q=self.request.query_params.get("q", ""))


class WarehouseViewSet(viewsets.ReadOnlyModelViewSet):
    """Warehouses the user may see, and what each holds."""

    serializer_class = WarehouseSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Warehouse.objects.none()
        return parts_selectors.warehouses_visible_to(self.request.user)

    @extend_schema(responses={200: BalanceSerializer(many=True), **ERRORS})
    @action(detail=True, methods=["get"], pagination_class=None)
    def stock(self, request, pk=None):
        warehouse = self.get_object()
        return Response(BalanceSerializer(parts_selectors.balances(warehouse=warehouse), many=True).data)


class InvoiceViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = InvoiceSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Invoice.objects.none()
        return billing_selectors.invoices_visible_to(self.request.user)


def _part(code: str) -> Part:
    part = Part.objects.filter(code=code.strip().upper(), is_active=True).first()
    if part is None:
        raise serializers.ValidationError({"part_code": ["unknown part"]})
    return part


class WorkOrderBillingViewSet(WorkOrderViewSet):
    """Work orders with their charges and the use of parts (PART-02)."""

    @extend_schema(responses={200: BillSerializer, **ERRORS}, description="The job's charge lines with coverage, totals, paid and due.")
    @action(detail=True, methods=["get"])
    def charges(self, request, pk=None):
        bill = billing_selectors.job_bill(self.get_object())
        return Response(BillSerializer({"lines": bill.lines, "net": bill.net, "tax": bill.tax, "total": bill.total, "paid": bill.paid,
                                        "due": bill.due, "company_cost": bill.company_cost}).data)

    @extend_schema(request=UsePartSerializer, responses={201: ChargeLineSerializer, **ERRORS},
                   description="Use a part from the technician's van (or the given warehouse); 400 when stock is short, 409 before check-in.")
    @action(detail=True, methods=["post"], url_path="use-part")
    def use_part(self, request, pk=None):
        wo = self.get_object()
        data = UsePartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        warehouse = None
        if d["warehouse"]:
            try:
                warehouse = parts_selectors.get_warehouse_for_user(request.user, d["warehouse"])
            except Http404 as exc:
                raise serializers.ValidationError({"warehouse": ["unknown warehouse"]}) from exc
        line = work_order_use_part(actor=request.user, work_order=wo, part=_part(d["part_code"]), quantity=d["quantity"], warehouse=warehouse,
                                   override_reason=d["override_reason"])
        return Response(ChargeLineSerializer(line).data, status=201)
