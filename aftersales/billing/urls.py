from django.urls import path

from aftersales.billing.views import jobs, office

app_name = "billing"
urlpatterns = [
    path("", office.invoicing_desk, name="desk"),
    path("cash/receive/", office.receive_cash, name="receive_cash"),
    path("receivables/", office.receivables, name="receivables"),
    path("discounts/", office.discount_sheet, name="discounts"),
    path("price-list/", office.price_list, name="price_list"),
    path("agreements/", office.agreement_list, name="agreements"),
    path("agreements/action/", office.agreement_action, name="agreement_action"),
    path("reports/parts-cost/", office.parts_cost_report, name="parts_cost"),
    path("jobs/<id:pk>/", jobs.job_bill, name="job"),
    path("jobs/<id:pk>/<slug:action>/", jobs.job_action, name="job_action"),
    path("payments/<id:pk>/receipt/", jobs.payment_receipt, name="payment_receipt"),
    path("quotations/", jobs.quotation_list, name="quotations"),
    path("quotations/new/", jobs.quotation_new, name="quotation_new"),
    path("quotations/<id:pk>/", jobs.quotation_detail, name="quotation"),
    path("quotations/<id:pk>/quotation.pdf", jobs.quotation_pdf, name="quotation_pdf"),
]
