"""Demo data: the fixed tables the demo is built from (centres, models, staff, faults …)."""

from __future__ import annotations

from aftersales.accounts import roles
from aftersales.equipment.models import WarrantyBasis

DEMO_PASSWORD = "demo-pass-2026"  # demo only; printed by the demo command, never used in production
SEED = 20261125
# KPI-11: the job types of the demo calls (emergency repairs most often).
JOB_TYPES = ["emergency"] * 5 + ["maintenance"] * 2 + ["receipt", "acceptance", "commissioning", "assembly", "patrol"]

CENTERS = [
    # code, name, region, address, urban districts, suburban districts
    ("SH", "上海服务中心", "上海市", "上海市闵行区莘庄工业区申富路88号", ["黄浦区", "徐汇区", "静安区", "长宁区", "普陀区", "虹口区", "杨浦区", "浦东新区"], ["闵行区", "嘉定区", "松江区", "青浦区", "奉贤区", "金山区"]),
    ("SZ", "苏州服务组", "江苏省苏州市", "苏州市工业园区星湖街218号", ["姑苏区", "工业园区", "虎丘区"], ["吴中区", "相城区", "吴江区", "昆山市"]),
    ("HZ", "杭州分公司服务组", "浙江省杭州市", "杭州市余杭区文一西路1500号", ["上城区", "拱墅区", "西湖区", "滨江区"], ["萧山区", "余杭区", "临平区", "富阳区"]),
]
CATEGORIES = [("machine-tool", "机床"), ("farm", "农业机械"), ("appliance", "家用电器"), ("vehicle", "车辆"), ("it", "IT设备")]
# Fault codes per family (None: any machine), as a service department would start its list.
FAULT_CODES = [
    ("machine-tool", "MT01", "主轴异响/振动"), ("machine-tool", "MT02", "数控系统报警"), ("machine-tool", "MT03", "液压/润滑漏油"),
    ("machine-tool", "MT04", "精度超差"), ("farm", "FM01", "发动机难启动"), ("farm", "FM02", "液压提升失灵"), ("farm", "FM03", "脱粒/割台堵塞"),
    ("appliance", "AP01", "不制冷/不制热"), ("appliance", "AP02", "漏水"), ("appliance", "AP03", "显示故障代码"),
    ("vehicle", "VH01", "发动机故障灯亮"), ("vehicle", "VH02", "制动异响"), ("it", "IT01", "无法开机"), ("it", "IT02", "网络不通"),
    (None, "GN01", "外观损坏"), (None, "GN99", "其他（请在故障原因中说明）"),
]
MODELS = [
    ("沈阳机床", "CAK6150", "数控车床", "machine-tool", 12, 36, WarrantyBasis.INSTALL, ["主轴", "数控系统", "伺服电机"]),
    ("大连机床", "VDL-850", "立式加工中心", "machine-tool", 12, 24, WarrantyBasis.INSTALL, ["主轴", "数控系统"]),
    ("杭州机床", "M7130", "平面磨床", "machine-tool", 12, 0, WarrantyBasis.DELIVERY, []),
    ("雷沃", "M1104-D", "轮式拖拉机", "farm", 12, 24, WarrantyBasis.INVOICE, ["发动机", "变速箱", "后桥"]),
    ("久保田", "4LZ-4J", "联合收割机", "farm", 12, 24, WarrantyBasis.INVOICE, ["发动机", "脱粒滚筒"]),
    ("海尔", "KFR-35GW", "壁挂式空调", "appliance", 36, 72, WarrantyBasis.INSTALL, ["压缩机"]),
    ("美的", "MG100V", "滚筒洗衣机", "appliance", 36, 120, WarrantyBasis.INVOICE, ["变频电机"]),
    ("上汽大众", "帕萨特2025", "轿车", "vehicle", 36, 36, WarrantyBasis.INVOICE, ["发动机", "变速器"]),
    ("联想", "ThinkSystem SR650", "服务器", "it", 36, 0, WarrantyBasis.DELIVERY, []),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英建华文辉志强海燕红梅玉兰国庆春生晓东"
COMPANY_WORDS = ["精密", "重工", "机械", "电器", "农机", "汽配", "模具", "科技", "制造", "五金"]
STREETS = ["中山路", "人民路", "解放路", "建设路", "长江路", "黄河路", "学院路", "工业路", "新华路", "环城北路"]
STAFF = [
    # username, full name, role, centre code (None = head office)
    ("clerk_li", "李静", roles.DESK_CLERK, "SH"),
    ("supervisor_wang", "王建国", roles.SUPERVISOR, "SH"),
    ("tech_zhang", "张伟", roles.TECHNICIAN, "SH"),
    ("tech_qian", "钱进", roles.TECHNICIAN, "SH"),
    ("warehouse_zhao", "赵敏", roles.WAREHOUSE, "SH"),
    ("accountant_qian", "钱芳", roles.ACCOUNTANT, "SH"),
    ("quality_sun", "孙磊", roles.QUALITY, None),
    ("manager_zhou", "周海燕", roles.SERVICE_MANAGER, None),
    ("gm_wu", "吴国庆", roles.GENERAL_MANAGER, None),
    ("admin", "系统管理员", roles.ADMINISTRATOR, None),
    ("clerk_chen", "陈丽", roles.DESK_CLERK, "SZ"),
    ("supervisor_liu", "刘强", roles.SUPERVISOR, "SZ"),
    ("tech_huang", "黄勇", roles.TECHNICIAN, "SZ"),
    ("clerk_xu", "徐红梅", roles.DESK_CLERK, "HZ"),
    ("supervisor_he", "何志强", roles.SUPERVISOR, "HZ"),
    ("manager_zheng", "郑海", roles.BRANCH_MANAGER, "HZ"),
    ("tech_lin", "林涛", roles.TECHNICIAN, "HZ"),
    ("vice_gm_feng", "冯志远", roles.VICE_GM, None),
    ("agent_he", "何晓雯", roles.CARE_AGENT, "SH"),
    ("sales_ma", "马超", roles.SALES, "SH"),
    ("prod_li", "李明", roles.PRODUCTION, None),
    ("rnd_zheng", "郑博", roles.RND, None),
]
CLERKS = {"SH": "clerk_li", "SZ": "clerk_chen", "HZ": "clerk_xu"}
SUPERVISORS = {"SH": "supervisor_wang", "SZ": "supervisor_liu", "HZ": "supervisor_he"}
TECHNICIANS = {"SH": ["tech_zhang", "tech_qian"], "SZ": ["tech_huang"], "HZ": ["tech_lin"]}
WORK_DONE = ["更换主轴皮带并调整张紧", "清洗液压阀并更换密封", "重新设定参数并回零", "补充冷媒并检漏", "更换轴承并润滑", "更新固件并测试"]
CAUSES = ["皮带老化", "密封件磨损", "参数丢失", "冷媒泄漏", "润滑不足", "软件缺陷"]
FAULTS = {  # by product category
    "machine-tool": ["主轴异响，加工时振动明显", "数控系统报警 ALM-401，无法回零", "液压站漏油", "导轨润滑不足，出现划痕", "需要年度保养"],
    "farm": ["发动机启动困难，冒黑烟", "收割时脱粒不净", "液压提升无力", "需要年度保养"],
    "appliance": ["空调不制冷，外机不转", "洗衣机脱水时剧烈抖动", "开机无显示", "漏水"],
    "vehicle": ["仪表盘故障灯亮", "刹车异响", "空调不出冷风", "需要常规保养"],
    "it": ["服务器风扇告警，温度过高", "硬盘告警，阵列降级", "开机无显示"],
}
