from django.urls import path

from aftersales.returns import views

app_name = "returns"
urlpatterns = [
    path("", views.return_list, name="list"),
    path("rates/", views.rates, name="rates"),
    path("rules/", views.rules, name="rules"),
    path("new/<id:line_pk>/", views.return_create, name="create"),
    path("<id:pk>/", views.return_detail, name="detail"),
    path("<id:pk>/photo/", views.return_photo, name="photo"),
    path("<id:pk>/approve/", views.return_approve, name="approve"),
    path("<id:pk>/receive/", views.return_receive, name="receive"),
    path("<id:pk>/settle/", views.return_settle, name="settle"),
    path("<id:pk>/cancel/", views.return_cancel, name="cancel"),
    path("<id:pk>/return-note.pdf", views.return_note_pdf, name="note_pdf"),
    path("<id:pk>/allowance.pdf", views.allowance_pdf, name="allowance_pdf"),
]
