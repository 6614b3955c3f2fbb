from django.urls import path

from aftersales.returns import views

app_name = "returns"
urlpatterns = [
    path("", views.return_list, name="list"),
    path("rates/", views.rates, name="rates"),
    path("rules/", views.rules, name="rules"),
    path("new/<int:line_pk>/", views.return_create, name="create"),
    path("<int:pk>/", views.return_detail, name="detail"),
    path("<int:pk>/approve/", views.return_approve, name="approve"),
    path("<int:pk>/receive/", views.return_receive, name="receive"),
    path("<int:pk>/settle/", views.return_settle, name="settle"),
    path("<int:pk>/cancel/", views.return_cancel, name="cancel"),
    path("<int:pk>/return-note.pdf", views.return_note_pdf, name="note_pdf"),
    path("<int:pk>/allowance.pdf", views.allowance_pdf, name="allowance_pdf"),
]
