"""The contest arithmetic as pure functions: no database, no clock (tested as a table of cases).

- a raw input per criterion becomes points by the criterion's scoring kind (:func:`criterion_points`);
- the judges' points for one criterion become the final points by the set's rule (:func:`combine`): mean, median or
  the panel's consensus, never silently the maximum;
- the finals add up to a total (:func:`total`): main criteria each capped at their maximum, bonus capped by the set's
  bonus cap, the upper level's reserved share capped by its size;
- a total gets its star level from the set's thresholds (:func:`stars_for`), participants are ranked with ties sharing
  a rank (:func:`rank`), judges' disagreement is flagged (:func:`spread_flagged`), a departure from the self-score
  beyond the allowance needs a comment (:func:`needs_comment`), and :func:`what_if` lists what would lift a
  participant to the next star level.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
CENT = Decimal("0.01")


COUNT_MAX = 999_999_999  # a count typed longer than nine digits is a slip, not a count
NUMBER = re.compile(r"[+-]?[0-9]{1,7}(?:[.,][0-9]{1,4})?")  # "7", "7,5", "-1" (refused below as out of range)
WHOLE = re.compile(r"[+-]?[0-9]{1,12}")


class ScoreError(ValueError):
    """A score that the criterion does not allow; the message is shown to the person as is."""


def q(value: Decimal | int | float | str) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def fmt(value: Decimal | None) -> str:
    """Vietnamese number format: decimal comma, no trailing zeros ("12,5", "20")."""
    if value is None:
        return "—"
    text = f"{q(value):f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


@dataclass(frozen=True)
class Item:
    """A scored (leaf) criterion as the arithmetic sees it."""

    id: int
    code: str
    max_points: Decimal
    scoring: str = "scale"
    is_bonus: bool = False
    group: str = ""
    step: Decimal | None = None
    levels: tuple[Decimal, ...] = ()
    per_item: Decimal | None = None


@dataclass(frozen=True)
class SetRules:
    final_rule: str
    bonus_cap: Decimal = ZERO
    reserved_points: Decimal = ZERO
    stars: tuple[tuple[int, Decimal], ...] = ()
    spread_threshold: Decimal = ZERO
    max_departure: Decimal = ZERO


def criterion_points(item: Item, *, points=None, count=None) -> Decimal:
    """The points for one criterion from what the person entered; refuses what the criterion does not allow."""
    label = f"Tiêu chí {item.code}"
    if item.scoring == "count":
        n = _whole(count)
        if n is None or n < 0:
            raise ScoreError(f"{label}: nhập số lượng (số nguyên không âm).")
        if n > COUNT_MAX:
            raise ScoreError(f"{label}: số lượng tối đa {COUNT_MAX:,}.".replace(",", "."))
        return min(q(Decimal(n) * (item.per_item or ZERO)), item.max_points)
    if points is None or points == "":
        raise ScoreError(f"{label}: chưa nhập điểm.")
    if isinstance(points, str):
        if not NUMBER.fullmatch(points.strip()):
            raise ScoreError(
                f"{label}: điểm phải là một số từ 0 đến {fmt(item.max_points)} (ví dụ 7 hoặc 7,5)."
            )
        points = points.strip().replace(",", ".")
    try:
        value = q(points)
    except (ArithmeticError, ValueError) as exc:
        raise ScoreError(f"{label}: điểm phải là một số.") from exc
    if not value.is_finite():
        raise ScoreError(f"{label}: điểm phải là một số.")
    if value < 0 or value > item.max_points:
        raise ScoreError(f"{label}: điểm phải từ 0 đến {fmt(item.max_points)}.")
    if item.scoring == "yes_no" and value not in (ZERO, item.max_points):
        raise ScoreError(f"{label}: chỉ chấm 0 (không đạt) hoặc {fmt(item.max_points)} (đạt).")
    if item.scoring == "fixed" and item.levels and value not in {q(v) for v in item.levels}:
        allowed = ", ".join(fmt(v) for v in item.levels)
        raise ScoreError(f"{label}: chỉ chấm một trong các mức {allowed}.")
    if item.scoring == "scale" and item.step and (value / item.step) % 1 != 0:
        raise ScoreError(f"{label}: điểm chấm theo bước {fmt(item.step)}.")
    return value


def _whole(value) -> int | None:
    """A whole number from what was typed (an int, or text of digits), else None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    text = str(value).strip()
    return int(text) if WHOLE.fullmatch(text) else None


def combine(values: Sequence[Decimal], rule: str, *, consensus: Decimal | None = None) -> Decimal | None:
    """The final points of one criterion from the judges' points. None while nothing can be concluded."""
    if rule == "consensus":
        return None if consensus is None else q(consensus)
    present = [Decimal(v) for v in values if v is not None]
    if not present:
        return None
    if rule == "mean":
        return q(sum(present, ZERO) / len(present))
    if rule == "median":
        return q(statistics.median(present))
    raise ValueError(f"unknown final rule {rule!r}")


def spread(values: Iterable[Decimal | None]) -> Decimal:
    present = [v for v in values if v is not None]
    return q(max(present) - min(present)) if len(present) > 1 else ZERO


def spread_flagged(values: Iterable[Decimal | None], threshold: Decimal) -> bool:
    """Judges disagree when their points for one criterion differ by more than the set's threshold."""
    return spread(values) > threshold


def needs_comment(self_points: Decimal | None, judge_points: Decimal, allowance: Decimal) -> bool:
    """A judge who departs from the self-score by more than the allowance must say why."""
    if self_points is None:
        return False
    return abs(Decimal(judge_points) - Decimal(self_points)) > allowance


@dataclass(frozen=True)
class Total:
    main: Decimal
    bonus_raw: Decimal
    bonus: Decimal
    reserved: Decimal
    total: Decimal
    by_group: dict[str, Decimal] = field(default_factory=dict)
    missing: tuple[int, ...] = ()
    reserved_missing: bool = False

    @property
    def complete(self) -> bool:
        return not self.missing and not self.reserved_missing


def total(
    items: Sequence[Item],
    finals: Mapping[int, Decimal | None],
    rules: SetRules,
    *,
    upper: Decimal | None = None,
) -> Total:
    """Add up the final points. A criterion without a final counts 0 and is listed in ``missing``."""
    main = bonus = ZERO
    by_group: dict[str, Decimal] = {}
    missing = []
    for item in items:
        value = finals.get(item.id)
        if value is None:
            missing.append(item.id)
            value = ZERO
        value = min(max(Decimal(value), ZERO), item.max_points)
        if item.is_bonus:
            bonus += value
        else:
            main += value
        by_group[item.group] = by_group.get(item.group, ZERO) + value
    capped_bonus = min(bonus, rules.bonus_cap)
    reserved = ZERO if upper is None else min(max(Decimal(upper), ZERO), rules.reserved_points)
    return Total(
        main=q(main),
        bonus_raw=q(bonus),
        bonus=q(capped_bonus),
        reserved=q(reserved),
        total=q(main + capped_bonus + reserved),
        by_group={k: q(v) for k, v in by_group.items()},
        missing=tuple(missing),
        reserved_missing=rules.reserved_points > 0 and upper is None,
    )


def stars_for(points: Decimal, levels: Iterable[tuple[int, Decimal]]) -> int:
    """The highest star level whose threshold the points reach (0 below every threshold)."""
    reached = [stars for stars, minimum in levels if Decimal(points) >= Decimal(minimum)]
    return max(reached, default=0)


def next_level(points: Decimal, levels: Iterable[tuple[int, Decimal]]) -> tuple[int, Decimal] | None:
    above = sorted((minimum, stars) for stars, minimum in levels if Decimal(minimum) > Decimal(points))
    return (above[0][1], above[0][0]) if above else None


def rank(rows: Iterable[tuple[object, Decimal | None]]) -> dict[object, int]:
    """Competition ranking ("1, 2, 2, 4"): equal totals share a rank; rows without a total get none."""
    scored = sorted(((t, k) for k, t in rows if t is not None), key=lambda r: r[0], reverse=True)
    ranks: dict[object, int] = {}
    previous, current = None, 0
    for position, (points, key) in enumerate(scored, start=1):
        if points != previous:
            current, previous = position, points
        ranks[key] = current
    return ranks


@dataclass(frozen=True)
class Lift:
    item_id: int
    code: str
    gain: Decimal
    reason: str  # "evidence" (no evidence yet) or "points" (points below the maximum)


@dataclass(frozen=True)
class WhatIf:
    current: Decimal
    stars: int
    next_stars: int | None
    gap: Decimal
    lifts: tuple[Lift, ...]
    reachable: bool


def what_if(
    items: Sequence[Item],
    current: Mapping[int, Decimal | None],
    rules: SetRules,
    *,
    upper: Decimal | None = None,
    without_evidence: Iterable[int] = (),
) -> WhatIf:
    """What would lift a participant to the next star level: criteria below their maximum, those without evidence
    first, then the largest gains; stops once the gap is covered. The bonus counts only up to its cap."""
    now = total(items, current, rules, upper=upper)
    stars = stars_for(now.total, rules.stars)
    nxt = next_level(now.total, rules.stars)
    if nxt is None:
        return WhatIf(now.total, stars, None, ZERO, (), True)
    next_stars, threshold = nxt
    gap = q(threshold - now.total)
    no_evidence = set(without_evidence)
    candidates = []
    for item in items:
        got = min(Decimal(current.get(item.id) or ZERO), item.max_points)
        gain = item.max_points - got
        if gain > 0:
            candidates.append((item.id not in no_evidence, -gain, item.code, item, gain))
    candidates.sort(key=lambda c: (c[0], c[1], c[2]))
    lifts, covered, bonus_room = [], ZERO, rules.bonus_cap - now.bonus
    for _, _, _, item, gain in candidates:
        if covered >= gap:
            break
        if item.is_bonus:
            gain = min(gain, bonus_room)
            if gain <= 0:
                continue
            bonus_room -= gain
        reason = "evidence" if item.id in no_evidence else "points"
        lifts.append(Lift(item.id, item.code, q(gain), reason))
        covered += gain
    return WhatIf(now.total, stars, next_stars, gap, tuple(lifts), covered >= gap)
