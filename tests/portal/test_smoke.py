import datetime as dt

from portal import workdays


def test_consultation_window_of_seed_000_ends_on_20_march_2024(db):
    # Publicized 29/02/2024, at least 20 days: the window runs to 20/03/2024 (a Wednesday).
    assert workdays.period_end(dt.date(2024, 2, 29), 20) == dt.date(2024, 3, 20)
