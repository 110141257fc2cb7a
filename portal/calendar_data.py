"""The government's decreed working-day exceptions that the ``holidays`` package does not model.

Loaded into :class:`portal.models.CalendarDay` by a data migration; an administrator adds each new year's schedule
in the admin ("Lịch nghỉ lễ và ngày làm bù"). The package already knows the statutory holidays, the decreed Tết
and Quốc khánh ranges, and the swapped weekdays 29/04/2024, 02/05/2025 and 31/08/2026; what it lacks are the
make-up Saturdays (it never counts a Saturday as a working day) and 02/01/2026.
"""

import datetime as dt

DAY_OFF = "day_off"
WORKING_DAY = "working_day"

DECREED_EXCEPTIONS: list[tuple[dt.date, str, str, str]] = [
    (dt.date(2024, 5, 4), WORKING_DAY, "Làm bù cho ngày nghỉ 29/04/2024", "Công văn 2450/VPCP-KGVX"),
    (dt.date(2025, 4, 26), WORKING_DAY, "Làm bù cho ngày nghỉ 02/05/2025", "Thông báo 6150/TB-BLĐTBXH"),
    (
        dt.date(2026, 1, 2),
        DAY_OFF,
        "Nghỉ Tết Dương lịch (hoán đổi, làm bù thứ Bảy 10/01/2026)",
        "Công văn 12729/VPCP-KGVX",
    ),
    (dt.date(2026, 1, 10), WORKING_DAY, "Làm bù cho ngày nghỉ 02/01/2026", "Công văn 12729/VPCP-KGVX"),
    (
        dt.date(2026, 8, 22),
        WORKING_DAY,
        "Làm bù cho ngày nghỉ 31/08/2026",
        "Lịch nghỉ Quốc khánh 2026 (Bộ Nội vụ)",
    ),
]
