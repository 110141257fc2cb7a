"""Pure computations on postings (no queries): state against the deadline, minimum durations, radio runs."""

from __future__ import annotations

import datetime as dt

from portal import statutes

LAW = "Luật 10/2022/QH15"

STATE_LABELS = {
    "done": "Đúng hạn",
    "late": "Trễ hạn",
    "missing": "Chưa thực hiện (quá hạn)",
    "pending": "Chưa đến hạn",
}


def fmt(d: dt.date | None) -> str:
    return f"{d:%d/%m/%Y}" if d else "—"


def longest_run(days) -> int:
    """Length of the longest run of consecutive calendar days."""
    best = run = 0
    prev = None
    for d in sorted(set(days)):
        run = run + 1 if prev is not None and (d - prev).days == 1 else 1
        best = max(best, run)
        prev = d
    return best


def posting_state(posting, today: dt.date, broadcast_days=()) -> dict:
    """done / late / missing / pending, and whether the minimum duration is (being) respected.

    Keys: state, posting, and when the posting has a minimum: min_days, and run (radio) or keep_until /
    permanent (notice boards); duration_ok; removed_early when taken down before the minimum.
    """
    if posting.posted_on is None:
        state = "missing" if today > posting.due_on else "pending"
    else:
        state = "late" if posting.posted_on > posting.due_on else "done"
    info: dict = {"state": state, "posting": posting, "label": STATE_LABELS[state]}
    if posting.min_rule_code:
        rule = statutes.get(posting.min_rule_code)
        info["min_days"] = rule.days
        if rule.kind == "permanent":
            info["permanent"] = True
            info["duration_ok"] = posting.posted_on is not None and posting.removed_on is None
            info["removed_early"] = posting.removed_on is not None
        elif posting.kind == "radio":
            run = longest_run(broadcast_days)
            info["run"] = run
            info["duration_ok"] = run >= rule.days
        elif posting.posted_on:
            until = rule.due(posting.posted_on)
            info["keep_until"] = until
            info["duration_ok"] = (posting.removed_on or today) >= until
            info["removed_early"] = posting.removed_on is not None and posting.removed_on < until
    return info
