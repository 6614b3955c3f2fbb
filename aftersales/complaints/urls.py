from django.urls import path

from aftersales.complaints import views

app_name = "complaints"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_create, name="create"),
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/confirm/", views.statistics_confirm, name="statistics_confirm"),
    path("slips/<int:slip_pk>/answer/", views.slip_answer, name="slip_answer"),
    path("slips/<int:slip_pk>/slip.pdf", views.slip_pdf, name="slip_pdf"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/step/", views.step_complete, name="step"),
    path("<int:pk>/steps/<int:step_pk>/assign/", views.step_assign, name="step_assign"),
    path("<int:pk>/loss/", views.case_loss, name="loss"),
    path("<int:pk>/responsibility/", views.case_responsibility, name="responsibility"),
    path("<int:pk>/close/", views.case_close, name="close"),
    path("<int:pk>/survey/", views.case_survey, name="survey"),
    path("<int:pk>/improvement/", views.case_improvement, name="improvement"),
    path("<int:pk>/allowance.pdf", views.allowance_pdf, name="allowance_pdf"),
    path("<int:pk>/penalties/", views.penalties_approve, name="penalties"),
    path("<int:pk>/form.pdf", views.case_form_pdf, name="form_pdf"),
    path("<int:pk>/penalty-notice.pdf", views.penalty_notice_pdf, name="penalty_pdf"),
]
