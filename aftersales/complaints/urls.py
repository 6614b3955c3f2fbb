from django.urls import path

from aftersales.complaints import views

app_name = "complaints"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_create, name="create"),
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/confirm/", views.statistics_confirm, name="statistics_confirm"),
    path("slips/<id:slip_pk>/answer/", views.slip_answer, name="slip_answer"),
    path("slips/<id:slip_pk>/slip.pdf", views.slip_pdf, name="slip_pdf"),
    path("<id:pk>/", views.case_detail, name="detail"),
    path("<id:pk>/step/", views.step_complete, name="step"),
    path("<id:pk>/steps/<id:step_pk>/assign/", views.step_assign, name="step_assign"),
    path("<id:pk>/loss/", views.case_loss, name="loss"),
    path("<id:pk>/responsibility/", views.case_responsibility, name="responsibility"),
    path("<id:pk>/close/", views.case_close, name="close"),
    path("<id:pk>/survey/", views.case_survey, name="survey"),
    path("<id:pk>/improvement/", views.case_improvement, name="improvement"),
    path("<id:pk>/allowance.pdf", views.allowance_pdf, name="allowance_pdf"),
    path("<id:pk>/penalties/", views.penalties_approve, name="penalties"),
    path("<id:pk>/form.pdf", views.case_form_pdf, name="form_pdf"),
    path("<id:pk>/penalty-notice.pdf", views.penalty_notice_pdf, name="penalty_pdf"),
]
