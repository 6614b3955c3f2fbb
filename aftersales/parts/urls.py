from django.urls import path

from aftersales.parts.views import catalogue, claims, stock

app_name = "parts"
urlpatterns = [
    path("", catalogue.part_list, name="list"),
    path("new/", catalogue.part_edit, name="create"),
    path("import/", catalogue.import_upload, name="import"),
    path("import/<str:key>/commit/", catalogue.import_commit, name="import_commit"),
    path("export.xlsx", catalogue.export_xlsx, name="export"),
    path("<id:pk>/", catalogue.part_detail, name="detail"),
    path("<id:pk>/edit/", catalogue.part_edit, name="edit"),
    path("<id:pk>/photo/", catalogue.part_photo, name="photo"),
    path("warehouses/", stock.warehouse_list, name="warehouses"),
    path("warehouses/<id:pk>/", stock.warehouse_detail, name="warehouse"),
    path("warehouses/<id:pk>/receive/", stock.receive, name="receive"),
    path("warehouses/<id:pk>/transfer/", stock.transfer, name="transfer"),
    path("warehouses/<id:pk>/scrap/", stock.scrap, name="scrap"),
    path("warehouses/<id:pk>/count/", stock.count_start, name="count_start"),
    path("movements/<id:pk>/correct/", stock.correct, name="correct"),
    path("counts/<id:pk>/", stock.count_detail, name="count"),
    path("requisitions/", stock.requisition_list, name="requisitions"),
    path("requisitions/new/", stock.requisition_new, name="requisition_new"),
    path("requisitions/<id:pk>/", stock.requisition_detail, name="requisition"),
    path("old-parts/", claims.old_part_list, name="old_parts"),
    path("claims/", claims.claim_list, name="claims"),
    path("claims/new/<id:work_order_pk>/", claims.claim_new, name="claim_new"),
    path("claims/<id:pk>/", claims.claim_detail, name="claim"),
    path("claims/<id:pk>/evidence/<id:attachment>/", claims.claim_attachment, name="claim_attachment"),
    path("back-orders/", claims.backorder_list, name="backorders"),
    path("back-orders/new/<id:work_order_pk>/", claims.backorder_new, name="backorder_new"),
    path("back-orders/<id:pk>/", claims.backorder_action, name="backorder_action"),
    path("reports/abc/", claims.abc_report, name="abc"),
    path("reports/low-stock/", claims.low_stock_report, name="low_stock"),
    path("reports/stock/", claims.stock_report, name="stock_report"),
]
