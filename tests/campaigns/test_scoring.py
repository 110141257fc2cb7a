"""The contest arithmetic as a table of cases (campaigns/scoring.py): bonus cap, reserved share, final rule, stars,
ties, missing scores, the comment rule, the spread flag and the what-if view."""

from decimal import Decimal as D  # noqa: N817 - short for the tables

import pytest

from campaigns import scoring
from campaigns.scoring import Item, SetRules

MAIN = [Item(1, "1", D(20), group="1"), Item(2, "2", D(25), group="2"), Item(3, "3", D(50), group="3")]
BONUS = [Item(8, "T1", D(3), is_bonus=True, group="T"), Item(9, "T2", D(3), is_bonus=True, group="T")]
STARS = ((3, D(80)), (4, D(90)))
R95 = SetRules(final_rule="mean", bonus_cap=D(5), stars=STARS)
R90 = SetRules(final_rule="mean", reserved_points=D(10), stars=STARS)


@pytest.mark.parametrize(
    ("items", "finals", "rules", "upper", "expected_total", "expected_bonus", "missing"),
    [
        # full marks: 95 + bonus capped at 5 although 6 were earned
        (MAIN + BONUS, {1: 20, 2: 25, 3: 50, 8: 3, 9: 3}, R95, None, "100", "5", ()),
        # bonus under the cap counts in full
        (MAIN + BONUS, {1: 18, 2: 20, 3: 40, 8: 2, 9: 0}, R95, None, "80", "2", ()),
        # a score above a criterion's maximum is capped at the maximum (never counts more)
        (MAIN, {1: 25, 2: 25, 3: 50}, R95, None, "95", "0", ()),
        # a missing final counts 0 and is listed
        (MAIN + BONUS, {1: 20, 2: 25, 8: 1, 9: 1}, R95, None, "47", "2", (3,)),
        # reserved share of the upper level: added, capped at its size (the Bắc Kạn 90 + 10 pattern)
        (MAIN[:2] + [Item(3, "3", D(45), group="3")], {1: 15, 2: 20, 3: 43}, R90, D(12), "88", "0", ()),
        (MAIN[:2] + [Item(3, "3", D(45), group="3")], {1: 15, 2: 20, 3: 43}, R90, D(0), "78", "0", ()),
    ],
)
def test_total_table(items, finals, rules, upper, expected_total, expected_bonus, missing):
    result = scoring.total(items, {k: D(v) for k, v in finals.items()}, rules, upper=upper)
    assert result.total == D(expected_total)
    assert result.bonus == D(expected_bonus)
    assert result.missing == missing


def test_reserved_share_missing_is_incomplete():
    result = scoring.total(MAIN, {1: D(1), 2: D(1), 3: D(1)}, R90)
    assert result.reserved_missing and not result.complete


@pytest.mark.parametrize(
    ("values", "rule", "consensus", "expected"),
    [
        ([D(8), D(6), D(10)], "mean", None, D(8)),
        ([D(8), D(6), D(9)], "mean", None, D("7.67")),  # rounded half up to 0.01
        ([D(8), D(6), D(10)], "median", None, D(8)),
        ([D(2), D(9), D(10)], "median", None, D(9)),  # one outlier does not move the median
        ([D(6), D(9)], "median", None, D("7.5")),  # even count: mean of the middle two
        ([D(6), D(9)], "consensus", D(7), D(7)),  # the panel's agreed score, not any judge's
        ([D(6), D(9)], "consensus", None, None),  # no consensus yet: no final
        ([], "mean", None, None),  # nobody scored
        ([D(4), D(10)], "mean", None, D(7)),  # never silently the maximum
    ],
)
def test_final_rule_table(values, rule, consensus, expected):
    assert scoring.combine(values, rule, consensus=consensus) == expected


@pytest.mark.parametrize(
    ("points", "expected"),
    [(D("79.99"), 0), (D(80), 3), (D("89.5"), 3), (D(90), 4), (D(100), 4), (D(0), 0)],
)
def test_star_thresholds(points, expected):
    assert scoring.stars_for(points, STARS) == expected


def test_ties_share_a_rank_and_skip_the_next():
    ranks = scoring.rank([("a", D(90)), ("b", D(85)), ("c", D(90)), ("d", D(70)), ("e", None)])
    assert ranks == {"a": 1, "c": 1, "b": 3, "d": 4}


@pytest.mark.parametrize(
    ("item", "kwargs", "expected"),
    [
        (Item(1, "1.1", D(6), "fixed", levels=(D(0), D(3), D(6))), {"points": "3"}, D(3)),
        (
            Item(1, "1.1", D(6), "fixed", levels=(D(0), D(3), D(6))),
            {"points": "4"},
            "chỉ chấm một trong các mức",
        ),
        (Item(1, "1.2", D(8), "scale", step=D("0.5")), {"points": "7,5".replace(",", ".")}, D("7.5")),
        (Item(1, "1.2", D(8), "scale", step=D("0.5")), {"points": "7.3"}, "theo bước 0,5"),
        (Item(1, "1.2", D(8), "scale", step=D("0.5")), {"points": "9"}, "từ 0 đến 8"),
        (Item(1, "2.2", D(10), "yes_no"), {"points": "10"}, D(10)),
        (Item(1, "2.2", D(10), "yes_no"), {"points": "5"}, "chỉ chấm 0"),
        (Item(1, "1.3", D(6), "count", per_item=D(1)), {"count": 4}, D(4)),
        (Item(1, "1.3", D(6), "count", per_item=D(1)), {"count": 9}, D(6)),  # capped at the maximum
        (Item(1, "1.3", D(6), "count", per_item=D(1)), {"count": -1}, "số nguyên không âm"),
        (Item(1, "1.2", D(8)), {"points": "abc"}, "phải là một số"),
        (Item(1, "1.2", D(8)), {"points": ""}, "chưa nhập điểm"),
    ],
)
def test_criterion_points_table(item, kwargs, expected):
    if isinstance(expected, str):
        with pytest.raises(scoring.ScoreError, match=expected):
            scoring.criterion_points(item, **kwargs)
    else:
        assert scoring.criterion_points(item, **kwargs) == expected


@pytest.mark.parametrize(
    ("self_points", "judge", "allowance", "needed"),
    [
        (D(8), D(6), D(2), False),
        (D(8), D("5.5"), D(2), True),
        (D(8), D("10.5"), D(2), True),
        (None, D(0), D(2), False),
    ],
)
def test_comment_rule(self_points, judge, allowance, needed):
    assert scoring.needs_comment(self_points, judge, allowance) is needed


@pytest.mark.parametrize(
    ("values", "threshold", "flagged"),
    [
        ([D(5), D(9)], D(3), True),
        ([D(5), D(8)], D(3), False),
        ([D(5)], D(0), False),
        ([D(5), None], D(0), False),
    ],
)
def test_spread_flag(values, threshold, flagged):
    assert scoring.spread_flagged(values, threshold) is flagged


def test_what_if_points_to_missing_evidence_first_then_largest_gains():
    current = {1: D(15), 2: D(20), 3: D(42), 8: D(0), 9: D(0)}  # 77 points: below 3 stars (80)
    result = scoring.what_if(MAIN + BONUS, current, R95, without_evidence={2})
    assert (result.stars, result.next_stars, result.gap) == (0, 3, D(3))
    assert result.lifts[0].code == "2" and result.lifts[0].reason == "evidence"
    assert result.reachable


def test_what_if_counts_bonus_only_up_to_its_cap():
    current = {
        1: D(20),
        2: D(25),
        3: D(40),
        8: D(3),
        9: D(2),
    }  # 85 + bonus 5 (capped) = 90 → 4 stars, top level
    assert scoring.what_if(MAIN + BONUS, current, R95).next_stars is None
    current = {1: D(20), 2: D(25), 3: D(40), 8: D(0), 9: D(0)}  # 85: gap 5 to 4 stars
    result = scoring.what_if(MAIN + BONUS, current, R95)
    assert result.gap == D(5) and result.reachable
    assert sum(lift.gain for lift in result.lifts) >= D(5)


def test_fmt_uses_decimal_comma():
    assert (scoring.fmt(D("7.50")), scoring.fmt(D(20)), scoring.fmt(None)) == ("7,5", "20", "—")
