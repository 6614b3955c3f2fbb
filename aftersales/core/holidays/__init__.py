"""The national working calendar as data: festivals, the statutory prediction, the State Council notice.

- ``festivals``: the seven public holidays, their names in the notice, in the holiday package and on screen.
- ``statutory``: what the national regulation (全国年节及纪念日放假办法, 2024 revision, in force from 2025) fixes
  for any year — the statutory days and the compensatory weekdays (补假) owed for those that fall on a weekend.
  Years without an official notice are *predicted* from it; make-up working days (调休上班) cannot be predicted.
- ``notice``: a parser for the annual notice of the General Office of the State Council
  (《国务院办公厅关于20XX年部分节假日安排的通知》) that reports every line it could not read.

Everything here is pure (no database); the rows live in ``core.models.HolidayYear``/``HolidayDay`` and the
running calendar reads them through ``core.national``.
"""
