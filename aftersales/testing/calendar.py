"""Test data for the working calendar: a notice for 2027 written as the State Council writes them.

The real 2027 notice is not out when this is written; this one is the test data of the confirmation flow (its days
differ from the statutory prediction in the ways a real notice does: bridged weekends, make-up working days), not a
claim about the real 2027 holidays.
"""

from __future__ import annotations

NOTICE_2027 = """国务院办公厅关于2027年部分节假日安排的通知
国办发明电〔2026〕99号
一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月5日（农历除夕、周五）至12日（农历正月初七、周五）放假调休，共8天。2月20日（周六）上班。
三、清明节：4月3日（周六）至5日（周一）放假，共3天。
四、劳动节：5月1日（周六）至5日（周三）放假调休，共5天。4月25日（周日）上班。
五、端午节：6月9日（周三）放假1天，不调休。
六、中秋节：9月15日（周三）放假1天，不调休。
七、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。
"""


def confirm_2027(actor, text: str = NOTICE_2027):
    """Confirm the test notice for 2027 as ``actor`` (an administrator); returns (year, change)."""
    from aftersales.core.holidays.services import holiday_notice_confirm

    return holiday_notice_confirm(actor=actor, text=text)
