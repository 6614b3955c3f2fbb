from django.urls import path

from aftersales.workorders.views import board, orders, pdf

app_name = "workorders"
urlpatterns = [
    path("", orders.work_order_list, name="list"),
    path("board/", board.board, name="board"),
    path("board/assign/", board.assign, name="assign"),
    path("board/batch/", board.batch_assign, name="batch_assign"),
    path("workshop/", orders.workshop, name="workshop"),
    path("goods-register/", orders.goods_register, name="goods_register"),
    path("<int:pk>/", orders.work_order_detail, name="detail"),
    path("<int:pk>/voucher.pdf", pdf.voucher_pdf, name="voucher_pdf"),
    path("<int:pk>/receipt.pdf", pdf.receipt_pdf, name="receipt_pdf"),
    path("<int:pk>/repair-card.pdf", pdf.repair_card_pdf, name="repair_card_pdf"),
    path("<int:pk>/signatures/<slug:purpose>.png", orders.signature_image, name="signature"),
    path("<int:pk>/contact/", orders.contact, name="contact"),
    path("<int:pk>/set-out/", orders.set_out, name="set_out"),
    path("<int:pk>/check-in/", orders.check_in, name="check_in"),
    path("<int:pk>/complete/", orders.complete, name="complete"),
    path("<int:pk>/take-back/", orders.take_back, name="take_back"),
    path("<int:pk>/end-visit/", orders.end_visit, name="end_visit"),
    path("<int:pk>/escalate/", orders.escalate, name="escalate"),
    path("<int:pk>/start-repair/", orders.start_repair, name="start_repair"),
    path("<int:pk>/finish-repair/", orders.finish_repair, name="finish_repair"),
    path("<int:pk>/inspect/", orders.inspect, name="inspect"),
    path("<int:pk>/return/", orders.give_back, name="give_back"),
    path("<int:pk>/delay/", orders.report_delay, name="delay"),
    path("<int:pk>/waive-signature/", orders.waive_signature, name="waive_signature"),
    path("<int:pk>/cancel/", orders.cancel, name="cancel"),
    path("<int:pk>/location/", orders.set_location, name="location"),
    path("<int:pk>/reassign/", orders.reassign, name="reassign"),
]
