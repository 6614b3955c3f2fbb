from django.urls import path

from aftersales.sanbao import views

app_name = "sanbao"
urlpatterns = [
    path("", views.terms, name="terms"),
    path("equipment/<id:pk>/record.pdf", views.repair_record, name="record"),
]
