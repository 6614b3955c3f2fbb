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
    path("<id:pk>/", orders.work_order_detail, name="detail"),
    path("<id:pk>/voucher.pdf", pdf.voucher_pdf, name="voucher_pdf"),
    path("<id:pk>/receipt.pdf", pdf.receipt_pdf, name="receipt_pdf"),
    path("<id:pk>/repair-card.pdf", pdf.repair_card_pdf, name="repair_card_pdf"),
    path("<id:pk>/signatures/<slug:purpose>.png", orders.signature_image, name="signature"),
    path("<id:pk>/contact/", orders.contact, name="contact"),
    path("<id:pk>/set-out/", orders.set_out, name="set_out"),
    path("<id:pk>/check-in/", orders.check_in, name="check_in"),
    path("<id:pk>/complete/", orders.complete, name="complete"),
    path("<id:pk>/take-back/", orders.take_back, name="take_back"),
    path("<id:pk>/end-visit/", orders.end_visit, name="end_visit"),
    path("<id:pk>/escalate/", orders.escalate, name="escalate"),
    path("<id:pk>/start-repair/", orders.start_repair, name="start_repair"),
    path("<id:pk>/finish-repair/", orders.finish_repair, name="finish_repair"),
    path("<id:pk>/inspect/", orders.inspect, name="inspect"),
    path("<id:pk>/return/", orders.give_back, name="give_back"),
    path("<id:pk>/delay/", orders.report_delay, name="delay"),
    path("<id:pk>/waive-signature/", orders.waive_signature, name="waive_signature"),
    path("<id:pk>/cancel/", orders.cancel, name="cancel"),
    path("<id:pk>/location/", orders.set_location, name="location"),
    path("<id:pk>/reassign/", orders.reassign, name="reassign"),
    path("<id:pk>/photos/", orders.add_photo, name="add_photo"),
    path("<id:pk>/photos/<id:photo_pk>/", orders.photo, name="photo"),
]
