"""Default schemes, grades and job-type points from the seeds (KPI-02/03/07/09/11), editable by an administrator."""

from decimal import Decimal

from django.db import migrations

D = Decimal
TECHNICIAN = [("日常工作", "70", "daily_work", "0", None, [], "服务主任", "", False), ("出勤", "30", "attendance", "0", None, [], "人事", "", False)]
FIELD_REP = [
    ("业务能力", "10", "manual", "0", None, [], "服务部", "service_manager", True),
    ("联络畅通", "10", "occurrences", "2", "10", [], "服务部", "service_manager", False),
    ("用户投诉", "10", "complaints", "2", "10", [], "客服部", "service_manager", False),
    ("索赔单质量", "10", "claims", "0", None, [], "索赔组", "", False),
    ("配件计划", "10", "occurrences", "1", "10", [], "配件部", "warehouse", False),
    ("经销商评价", "10", "manual", "0", None, [], "经销商", "service_manager", True),
    ("走访报告与月度计划总结", "10", "manual", "0", None, [], "服务部", "service_manager", False),
    ("培训", "10", "occurrences", "3", "10", [], "培训部", "service_manager", False),
    ("服务活动", "10", "manual", "0", None, [], "市场部", "service_manager", False),
    ("批量质量信息反馈", "10", "occurrences", "1", "5", [], "质量部", "quality", False),
    ("虚假索赔", "0", "occurrences", "10", None, [10, 30], "索赔组", "service_manager", True),
]
GRADES = [("A", "95", "5", False), ("B", "85", "2", False), ("C", "75", "0", False), ("D", "60", "-50", True), ("E", "0", "-100", True)]
JOB_POINTS = [("receipt", 10), ("acceptance", 10), ("commissioning", 20), ("emergency", 10), ("assembly", 30), ("maintenance", 10), ("patrol", 5)]


def create(apps, schema_editor):
    Scheme = apps.get_model("performance", "KpiScheme")
    Item = apps.get_model("performance", "KpiItem")
    for code, name, role, pay, items in (("technician", "技术员月度考评（日常工作70%＋出勤30%）", "technician", "performance", TECHNICIAN),
                                          ("field_rep", "现场服务代表考评（10项100分）", "field_rep", "composition", FIELD_REP)):
        scheme, created = Scheme.objects.get_or_create(code=code, defaults={"name": name, "role": role, "pay_rule": pay})
        if created:
            for position, (item, weight, source, deduction, cap, steps, assessor, role_code, comment) in enumerate(items, start=1):
                Item.objects.create(scheme=scheme, position=position, name=item, weight=D(weight), source=source, deduction=D(deduction),
                                    deduction_cap=D(cap) if cap else None, deduction_steps=steps, assessor=assessor, assessor_role=role_code,
                                    comment_required=comment)
    for code, low, bonus, probation in GRADES:
        apps.get_model("performance", "GradeBand").objects.get_or_create(code=code, defaults={"min_score": D(low), "bonus_percent": D(bonus),
                                                                                              "probation": probation})
    for job_type, points in JOB_POINTS:
        apps.get_model("performance", "JobTypePoints").objects.get_or_create(job_type=job_type, defaults={"points": points})


class Migration(migrations.Migration):
    dependencies = [("performance", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
