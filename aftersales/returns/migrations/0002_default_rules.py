"""The written return policy (退货管理制度, RET-02..09, RET-12) as rules, first match wins."""

from decimal import Decimal

from django.db import migrations

NON_RETURNABLE = ["seasonal", "custom", "special_price", "discontinued"]
# position, name, fields
RULES = [
    (10, "运输途中损坏：客户拒收，货物直接退回（RET-02）", {"reasons": ["transit_damage"], "outcome": "refuse_at_carrier", "freight": "carrier"}),
    (20, "非本公司销售的商品：不予退货，运费由客户负担（RET-06/07）", {"sold_by_us": False, "outcome": "not_returnable", "freight": "customer"}),
    (30, "出库超过6个月：不退货也不折价（RET-09）", {"min_days_shipped": 181, "outcome": "no_return", "freight": "customer"}),
    (40, "厂家支持的样品：出库3–6个月仍全额退（RET-09例外）", {"goods_classes": ["sample"], "min_days_shipped": 91, "max_days_shipped": 180,
                                                "outcome": "take_back", "freight": "company"}),
    (50, "出库超过3个月：按80%折价退货（RET-09）", {"min_days_shipped": 91, "max_days_shipped": 180, "outcome": "partial_credit", "credit_percent": 80,
                                          "freight": "customer"}),
    (60, "仓库拣错货：仓库不负责，业务确认型号价格后换货，业务员支付30元（RET-04）", {"reasons": ["wrong_item"], "outcome": "exchange", "freight": "company",
                                                               "fee": "30"}),
    (70, "业务下单错误：换货，责任人负担往返运费并罚款（RET-12）", {"reasons": ["order_error"], "outcome": "exchange", "freight": "company", "fee": "50"}),
    (80, "工厂批次不良：免费退货", {"reasons": ["batch_defect"], "outcome": "free_return", "freight": "company"}),
    (90, "大件商品：先提供照片，售后24小时内决定（核销/调价/退回），成套只退损坏件（RET-08）", {"goods_classes": ["large"], "outcome": "approval_24h",
                                                                    "freight": "company"}),
    (100, "保护膜已撕：不予退货（RET-06）", {"film_removed": True, "outcome": "not_returnable", "freight": "customer"}),
    (110, "季节性、订制、特价、停产商品：不予退货（采购经理签字者除外，RET-06/07）", {"goods_classes": NON_RETURNABLE, "unless_purchasing_signed": True,
                                                             "outcome": "not_returnable", "freight": "customer"}),
    (120, "收货3天内发现质量问题并附照片：免费退货（RET-03）", {"reasons": ["quality_defect"], "max_days_received": 3, "photo": True,
                                             "outcome": "free_return", "freight": "company"}),
    (130, "收货3天内的质量问题须先提供照片（RET-03）", {"reasons": ["quality_defect"], "max_days_received": 3, "photo": False, "outcome": "photo_required",
                                        "freight": "company"}),
    (140, "工艺品订单：7天内有问题公司收回（RET-05）", {"goods_classes": ["handicraft"], "max_days_received": 7, "outcome": "take_back", "freight": "company"}),
    (150, "手机、电器：非质量问题不退，质量问题一年内换货或维修（RET-06）", {"goods_classes": ["electrical"], "reasons": ["quality_defect"], "max_days_received": 365,
                                                   "outcome": "exchange_or_repair", "freight": "company"}),
    (160, "瓷器、锡器、手机、电器无质量问题：不予退货（RET-06）", {"goods_classes": ["fragile", "electrical"], "outcome": "not_returnable", "freight": "customer"}),
    (170, "实用商品1–3个月内的质量问题：按政策换货或维修（RET-05）", {"goods_classes": ["practical"], "reasons": ["quality_defect"], "min_days_received": 30,
                                              "max_days_received": 90, "outcome": "exchange_or_repair", "freight": "company"}),
    (180, "第4天起的短少或质量问题：由业务员自行处理（RET-04）", {"reasons": ["quality_defect", "shortage"], "min_days_received": 4,
                                              "outcome": "salesperson_resolves", "freight": "company"}),
    (190, "短少：补发", {"reasons": ["shortage"], "outcome": "salesperson_resolves", "freight": "company"}),
    (200, "客户不想要了：不予退货", {"reasons": ["not_wanted"], "outcome": "not_returnable", "freight": "customer"}),
]


def create(apps, schema_editor):
    ReturnRule = apps.get_model("returns", "ReturnRule")
    for position, name, fields in RULES:
        fields = dict(fields)
        if "fee" in fields:
            fields["fee"] = Decimal(fields["fee"])
        ReturnRule.objects.get_or_create(position=position, defaults={"name": name, **fields})


class Migration(migrations.Migration):
    dependencies = [("returns", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
