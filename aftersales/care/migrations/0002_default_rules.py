"""The seeds' visit rules, visit types with scripts, reminder rules and holidays, as editable data (VIS-01..12)."""

import datetime as dt

from django.db import migrations

TYPES = [
    ("3dc", "3DC回访（修理交车后3–5天）", "3DC表", ["服务态度", "维修质量", "交机及时", "收费合理"],
     "您好，我是{公司}客户服务中心的回访专员。您前几天在我们这里修理的设备现在使用情况怎么样？\n1. 工程师的服务态度您满意吗？\n2. 修理质量怎么样，故障还有没有出现？\n"
     "3. 交机是否及时？\n4. 收费是否合理？\n如有问题我们会在一周内给您答复。感谢您的支持！"),
    ("7dc", "7DC回访（交付后第7天）", "7DC表", ["销售服务", "产品质量", "交付说明", "使用情况"],
     "您好，我是{公司}的回访专员。您的设备交付已经一周了，使用得还顺利吗？\n1. 销售人员的服务您满意吗？\n2. 产品质量怎么样？\n3. 交付时的使用说明清楚吗？\n4. 目前使用中有什么问题吗？"),
    ("install", "安装回访（安装后2–3天）", "售后安装单回访", ["安装质量", "生产使用情况", "人员服务"],
     "您好，我们的工程师前几天为您安装了设备。请问安装质量您满意吗？设备投入生产后运行情况如何？安装人员的服务怎么样？"),
    ("periodic", "定期回访（1个月/1年/季度抽样）", "定期回访记录表", ["产品使用", "服务满意度"],
     "您好，我是{公司}的回访专员，想了解一下您近期设备的使用情况和对我们服务的意见。"),
    ("vip", "VIP客户回访", "VIP回访记录", ["产品满意度", "服务满意度"], "您好，感谢您一直以来对我们的支持，我们想了解一下您最近的使用体验和需求。"),
    ("purchase", "购后关怀（1-3-10-30）", "购后关怀记录", ["使用体验"], "您好，感谢您的购买。请问使用中有没有需要我们帮助的地方？"),
]

# name, type, event, offset, window, audience, vip_min, vip_max, sample %, plan, role, active
RULES = [
    ("3DC：修理交车后3–5天", "3dc", "repair_handover", 3, 3, "all", 0, 9, 100, "routine", "", True),
    ("保修期内客户100%回访", "3dc", "repair_handover", 3, 3, "in_warranty", 0, 9, 100, "routine", "", True),
    ("7DC：交付后第7天（7–10天内）", "7dc", "delivery", 7, 4, "all", 0, 9, 100, "routine", "", True),
    ("7DC：二级网点销售发票后第10天", "7dc", "secondary_invoice", 10, 1, "all", 0, 9, 100, "routine", "", True),
    ("安装回访：安装后2–3天", "install", "installation", 2, 2, "all", 0, 9, 100, "routine", "", True),
    ("交付后1个月回访", "periodic", "delivery", 30, 7, "all", 0, 9, 100, "routine", "", True),
    ("交付后1年回访", "periodic", "delivery", 365, 14, "all", 0, 9, 100, "routine", "", True),
    ("总经办季度抽访：交付一个季度后的新客户", "periodic", "delivery", 90, 14, "all", 0, 9, 20, "key_account", "general_manager", True),
    ("客服部每月抽访：上月服务过的客户", "periodic", "monthly", 0, 10, "served_last_month", 0, 9, 10, "routine", "", True),
    ("新VIP卡客户3天内100%回访", "vip", "new_vip", 0, 3, "vip", 1, 9, 100, "key_account", "", True),
    ("五星VIP每月100%回访", "vip", "monthly", 0, 10, "vip", 5, 9, 100, "key_account", "", True),
    ("四星VIP每月50%回访", "vip", "monthly", 0, 10, "vip", 4, 4, 50, "key_account", "", True),
    ("1-3-10-30：购买后第1天", "purchase", "purchase", 1, 1, "all", 0, 9, 100, "routine", "", False),
    ("1-3-10-30：购买后第3天", "purchase", "purchase", 3, 1, "all", 0, 9, 100, "routine", "", False),
    ("1-3-10-30：购买后第10天", "purchase", "purchase", 10, 1, "all", 0, 9, 100, "routine", "", False),
    ("1-3-10-30：购买后第30天", "purchase", "purchase", 30, 1, "all", 0, 9, 100, "routine", "", False),
]

REMINDERS = [
    ("birthday", 3, "尊敬的{customer}，{company}提前祝您生日快乐，万事如意！"),
    ("holiday", 2, "{holiday}将至，{company}祝您节日快乐！如需服务请随时联系我们。"),
    ("maintenance", 7, "{customer}您好：您的{model}（编号{serial}）计划于{date}保养，我们将提前与您确认上门时间。"),
    ("inspection", 7, "{customer}您好：您的车辆{model}（{serial}）年检将于{date}到期，请提前安排。"),
    ("insurance", 7, "{customer}您好：您的车辆{model}（{serial}）保险将于{date}到期，续保请联系我们。"),
    ("warranty", 30, "{customer}您好：您的{model}（编号{serial}）整机保修将于{date}到期，欢迎咨询延保或保养合同。"),
]

HOLIDAYS = [
    ("元旦", "2026-01-01"), ("情人节", "2026-02-14"), ("春节", "2026-02-17"), ("劳动节", "2026-05-01"), ("中秋节", "2026-09-25"),
    ("国庆节", "2026-10-01"), ("元旦", "2027-01-01"), ("春节", "2027-02-06"), ("情人节", "2027-02-14"), ("劳动节", "2027-05-01"),
    ("中秋节", "2027-09-15"), ("国庆节", "2027-10-01"),
]


def create(apps, schema_editor):
    VisitType = apps.get_model("care", "VisitType")
    VisitRule = apps.get_model("care", "VisitRule")
    ReminderRule = apps.get_model("care", "ReminderRule")
    Holiday = apps.get_model("care", "Holiday")
    types = {}
    for code, name, form, items, script in TYPES:
        types[code], _created = VisitType.objects.get_or_create(code=code, defaults={"name": name, "form_name": form, "items": items, "script": script})
    for name, code, event, offset, window, audience, vmin, vmax, sample, plan, role, active in RULES:
        VisitRule.objects.get_or_create(name=name, defaults={
            "visit_type": types[code], "event": event, "offset_days": offset, "window_days": window, "audience": audience, "vip_min": vmin,
            "vip_max": vmax, "sample_percent": sample, "plan_type": plan, "assigned_role": role, "active": active})
    for kind, days, text in REMINDERS:
        ReminderRule.objects.get_or_create(kind=kind, defaults={"days_before": days, "text": text})
    for name, day in HOLIDAYS:
        Holiday.objects.get_or_create(date=dt.date.fromisoformat(day), defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("care", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
