"""Reads for contests: visibility for the viewer, and the results computed in a constant number of queries.

``contest_results`` loads the set, the participants, the self-scores, the assignments, the judges' scores, the consensus
scores and the evidence counts once each (seven queries whatever the number of participants) and hands them to the
pure functions of :mod:`campaigns.scoring`. After the panel finalizes, the stored snapshot is read instead.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from campaigns import scoring
from campaigns.models import (
    Assignment,
    ConsensusScore,
    Contest,
    ContestMember,
    CriteriaSet,
    Criterion,
    Evidence,
    JudgeScore,
    Participant,
    SelfScore,
)
from portal import lookups
from portal.access import access_for
from portal.models import Role


def panel_judges(contest: Contest):
    """The contest's judging panel, the only people a judge may be assigned from: its active "Ban Giám khảo"
    members, and whoever holds the judge role at the organizer unit or above (one query, ordered by name)."""
    members = ContestMember.objects.filter(contest=contest, role=ContestMember.Role.JUDGE, active=True)
    return (
        get_user_model()
        .objects.filter(
            Q(pk__in=lookups.member_user_ids(contest.organizer_unit, Role.JUDGE, above=True))
            | Q(pk__in=members.values("user_id"))
        )
        .order_by("first_name", "username")
    )


def registration_reminder_recipients(deadline) -> list:
    """The registration deadline's reminders also reach the staff and leaders of the communes under the organizer
    that have not registered yet (while registration is open)."""
    contest = Contest.objects.select_related("organizer_unit").filter(pk=deadline.object_id).first()
    if contest is None or contest.status not in (Contest.Status.DRAFT, Contest.Status.OPEN):
        return []
    registered = contest.participants.exclude(commune_id=None).values("commune_id")
    communes = lookups.communes_below(contest.organizer_unit).exclude(pk__in=registered).values("pk")
    return list(lookups.users_in_communes(communes, Role.STAFF, Role.LEADER))


def set_rules(cset: CriteriaSet) -> scoring.SetRules:
    return scoring.SetRules(
        final_rule=cset.final_rule,
        bonus_cap=cset.bonus_cap,
        reserved_points=cset.reserved_points,
        stars=tuple(cset.star_levels),
        spread_threshold=cset.spread_threshold,
        max_departure=cset.max_departure,
    )


def item_of(c: Criterion, group: str = "") -> scoring.Item:
    return scoring.Item(
        id=c.pk,
        code=c.code,
        max_points=c.max_points,
        scoring=c.scoring,
        is_bonus=c.is_bonus,
        group=group,
        step=c.step,
        levels=tuple(Decimal(v) for v in c.levels),
        per_item=c.per_item,
    )


@dataclass
class SetTree:
    criteria: list[Criterion]
    items: list[scoring.Item]
    groups: list[Criterion]  # top-level nodes (groups, or criteria without a group), bonus included
    by_id: dict[int, Criterion]

    def leaves(self) -> list[Criterion]:
        return [c for c in self.criteria if c.is_leaf]


def set_tree(cset: CriteriaSet) -> SetTree:
    """The criteria of a set in order (one query); each leaf's group is its top-level ancestor's code."""
    criteria = list(Criterion.objects.filter(criteria_set=cset).order_by("position"))
    by_id = {c.pk: c for c in criteria}
    items = []
    for c in criteria:
        top = c
        while top.parent_id is not None:
            top = by_id[top.parent_id]
        c.top_code = top.code
        if c.is_leaf:
            items.append(item_of(c, "Thưởng" if c.is_bonus else top.code))
    groups = [c for c in criteria if c.parent_id is None]
    return SetTree(criteria=criteria, items=items, groups=groups, by_id=by_id)


# -- visibility ----------------------------------------------------------------------------------------------------------


OPEN_FOR_REGISTRATION = (Contest.Status.DRAFT, Contest.Status.OPEN)


def _organized_above(communes) -> Q:
    """Contests organized at one of ``communes`` or at a unit above one of them (its district, its province): the
    organizers' ``lookups.communes_below`` read the other way round, as SQL."""
    from portal.models import AdministrativeUnit

    units = AdministrativeUnit.objects.filter(pk__in=communes)
    return (
        Q(organizer_unit_id__in=communes)
        | Q(organizer_unit_id__in=units.values("parent_id"))
        | Q(organizer_unit_id__in=units.values("parent__parent_id"))
    )


@dataclass
class Invitation:
    """A contest the viewer's commune has not registered for, while its registration is open (``open`` False once
    the plan's registration date has passed: the page still reads, the registration is refused)."""

    closes_on: dt.date | None
    open: bool


def contest_list(user, *, today: dt.date | None = None) -> list[Contest]:
    """Contests the user may open (the same people as ``campaigns.view_contest``): members, judges, the upper level of
    the organizer, participating communes, and communes under the organizer that have not registered while
    registration is open (each such contest carries ``invitation``); superusers all. One query."""
    from campaigns.services._common import plan_due

    today = today or timezone.localdate()
    qs = Contest.objects.select_related("organizer_unit", "criteria_set").order_by("-year", "title")
    communes = set()
    if not getattr(user, "is_superuser", False):
        access = access_for(user)
        communes = access.commune_ids(Role.STAFF, Role.LEADER)
        overseen = {m.unit_id for m in access.memberships if m.role == Role.OVERSEER}
        cond = Q(members__user=user, members__active=True) | Q(
            assignments__judge=user, assignments__excluded=False
        )
        if communes:
            cond |= Q(participants__commune_id__in=communes)
            cond |= Q(status__in=OPEN_FOR_REGISTRATION) & _organized_above(communes)
        if overseen:
            cond |= Q(organizer_unit_id__in=overseen) | Q(organizer_unit__parent_id__in=overseen)
        qs = qs.filter(cond).distinct()
    if communes:
        registered = Participant.objects.filter(contest=OuterRef("pk"), commune_id__in=communes)
        qs = qs.annotate(
            invited=ExpressionWrapper(
                Q(status__in=OPEN_FOR_REGISTRATION) & _organized_above(communes) & ~Exists(registered),
                output_field=BooleanField(),
            )
        )
    contests = list(qs)
    for contest in contests:
        contest.invitation = None
        if getattr(contest, "invited", False):
            closes_on = plan_due(contest.registration_due)
            contest.invitation = Invitation(closes_on, closes_on is None or today <= closes_on)
    return contests


def registrable_communes(user, contest: Contest):
    """The viewer's communes (as staff or leader) under the organizer that have not registered for the contest, while
    registration is open: the communes the "Đăng ký tham gia" button registers."""
    from portal.models import AdministrativeUnit

    if contest.status not in OPEN_FOR_REGISTRATION or not getattr(user, "is_authenticated", False):
        return AdministrativeUnit.objects.none()
    communes = access_for(user).commune_ids(Role.STAFF, Role.LEADER)
    return (
        lookups.communes_below(contest.organizer_unit)
        .filter(pk__in=communes)
        .exclude(pk__in=contest.participants.exclude(commune_id=None).values("commune_id"))
        .order_by("name")
    )


def contest_get(user, pk: int, perm: str = "campaigns.view_contest") -> Contest:
    contest = (
        Contest.objects.select_related(
            "organizer_unit__parent",
            "criteria_set",
            "organizer_org",
            "plan_document",
            "decision_document",
            "report_document",
        )
        .filter(pk=pk)
        .first()
    )
    if contest is None or not user.has_perm(perm, contest):
        raise Http404
    return contest


def participant_get(user, pk: int, perm: str = "campaigns.view_participant") -> Participant:
    """404 for missing and for not-yours alike; a judge excluded by a conflict of interest gets 404 too."""
    participant = (
        Participant.objects.select_related(
            "contest__criteria_set", "contest__organizer_unit__parent", "unit", "organization", "person"
        )
        .filter(pk=pk)
        .first()
    )
    if participant is None or not user.has_perm(perm, participant):
        raise Http404
    return participant


def judge_assignments(user, contest: Contest):
    """The judge's own participants (excluded ones are listed apart, without a link)."""
    return (
        Assignment.objects.filter(contest=contest, judge=user)
        .select_related("participant__unit")
        .order_by("participant__name")
    )


# -- scores ----------------------------------------------------------------------------------------------------------------


@dataclass
class Row:
    participant: Participant
    total: scoring.Total
    stars: int
    rank: int | None = None
    self_total: Decimal = Decimal(0)
    flagged: list[str] = field(default_factory=list)  # criterion codes where the judges disagree
    judges_done: int = 0
    judges_total: int = 0
    evidence_count: int = 0
    scored: bool = True  # False until a judge submits a score (or a consensus, or the upper level's share)


def _judges_done(assignments) -> dict[int, list[int]]:
    """participant → [sheets submitted, judges assigned] (excluded judges do not count)."""
    done: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for a in assignments:
        if a.excluded:
            continue
        done[a.participant_id][1] += 1
        round_no = 2 if a.submitted_round2_at else 1
        if a.submitted_at(round_no):
            done[a.participant_id][0] += 1
    return done


def _counted_scores(assignments, scores_by_assignment) -> dict[int, dict[int, list[Decimal]]]:
    """participant → criterion → the submitted scores that count (round 2 replaces round 1 per judge)."""
    out: dict[int, dict[int, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    for a in assignments:
        if a.excluded:
            continue
        rounds = scores_by_assignment.get(a.pk, {})
        chosen = {}
        if a.submitted_round1_at:
            chosen.update(rounds.get(1, {}))
        if a.submitted_round2_at:
            chosen.update(rounds.get(2, {}))
        for criterion_id, points in chosen.items():
            out[a.participant_id][criterion_id].append(points)
    return out


def contest_results(contest: Contest, *, tree: SetTree | None = None) -> list[Row]:
    """Every participant's total, stars, rank and disagreement flags; a constant number of queries."""
    cset = contest.criteria_set
    tree = tree or set_tree(cset)
    rules = set_rules(cset)
    participants = list(
        Participant.objects.filter(contest=contest)
        .select_related("unit")
        .annotate(evidence_count=Count("evidence", filter=Q(evidence__hidden=False)))
        .order_by("name")
    )
    ids = [p.pk for p in participants]
    assignments = list(Assignment.objects.filter(participant_id__in=ids))
    done = _judges_done(assignments)
    if contest.is_final:
        rows = []
        for p in participants:
            b = p.final_breakdown or {}
            t = scoring.Total(
                main=Decimal(b.get("main", "0")),
                bonus_raw=Decimal(b.get("bonus_raw", "0")),
                bonus=Decimal(b.get("bonus", "0")),
                reserved=Decimal(b.get("reserved", "0")),
                total=p.final_total or Decimal(0),
                by_group={k: Decimal(v) for k, v in b.get("by_group", {}).items()},
            )
            rows.append(
                Row(
                    p,
                    t,
                    p.final_stars or 0,
                    p.final_rank,
                    Decimal(b.get("self_total", "0")),
                    b.get("flagged", []),
                    done[p.pk][0],
                    done[p.pk][1],
                    evidence_count=p.evidence_count,
                    scored=b.get("scored", p.final_total is not None),
                )
            )
        rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.participant.name))
        return rows
    self_scores: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for pid, cid, pts in SelfScore.objects.filter(participant_id__in=ids).values_list(
        "participant_id", "criterion_id", "points"
    ):
        self_scores[pid][cid] = pts
    scores_by_assignment: dict[int, dict[int, dict[int, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    for aid, cid, rnd, pts in JudgeScore.objects.filter(assignment__participant_id__in=ids).values_list(
        "assignment_id", "criterion_id", "round", "points"
    ):
        scores_by_assignment[aid][rnd][cid] = pts
    consensus: dict[int, dict[int, Decimal]] = defaultdict(dict)
    if cset.final_rule == "consensus":
        for pid, cid, pts in ConsensusScore.objects.filter(participant_id__in=ids).values_list(
            "participant_id", "criterion_id", "points"
        ):
            consensus[pid][cid] = pts
    counted = _counted_scores(assignments, scores_by_assignment)
    rows = []
    for p in participants:
        per = counted.get(p.pk, {})
        finals = {
            item.id: scoring.combine(
                per.get(item.id, []), cset.final_rule, consensus=consensus[p.pk].get(item.id)
            )
            for item in tree.items
        }
        t = scoring.total(tree.items, finals, rules, upper=p.upper_points)
        flagged = [
            item.code
            for item in tree.items
            if scoring.spread_flagged(per.get(item.id, []), cset.spread_threshold)
        ]
        self_t = scoring.total(tree.items, self_scores.get(p.pk, {}), rules, upper=None).total
        rows.append(
            Row(
                p,
                t,
                scoring.stars_for(t.total, rules.stars) if p.eligible else 0,
                None,
                self_t,
                flagged,
                done[p.pk][0],
                done[p.pk][1],
                p.evidence_count,
                scored=bool(per) or bool(consensus[p.pk]) or p.upper_points is not None,
            )
        )
    ranks = scoring.rank((r.participant.pk, r.total.total if r.participant.eligible else None) for r in rows)
    for r in rows:
        r.rank = ranks.get(r.participant.pk)
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.participant.name))
    return rows


@dataclass
class SheetLine:
    criterion: Criterion
    self_score: SelfScore | None = None
    evidence: list[Evidence] = field(default_factory=list)
    mine: JudgeScore | None = None
    mine_round1: JudgeScore | None = None
    others: list[tuple[str, Decimal, str]] = field(default_factory=list)  # (judge name, points, comment)
    explanation: str = ""
    flagged: bool = False
    needs_comment: bool = False


def participant_sheet(participant: Participant, viewer, *, tree: SetTree | None = None) -> dict:
    """The scoring sheet of one participant for one viewer, in a constant number of queries.

    Other judges' scores are shown to a judge only when every judge on the participant has submitted the current
    round; organizers see everything.
    """
    contest = participant.contest
    tree = tree or set_tree(contest.criteria_set)
    selfs = {s.criterion_id: s for s in SelfScore.objects.filter(participant=participant)}
    evidence: dict[int, list[Evidence]] = defaultdict(list)
    for e in Evidence.objects.filter(participant=participant, hidden=False).order_by("added_at", "id"):
        evidence[e.criterion_id].append(e)
    explanations = dict(participant.explanations.values_list("criterion_id", "text"))
    assignments = list(
        Assignment.objects.filter(participant=participant).select_related("judge").order_by("id")
    )
    active = [a for a in assignments if not a.excluded]
    round_no = participant.round
    all_submitted = bool(active) and all(a.submitted_at(round_no) for a in active)
    is_organizer = viewer.has_perm("campaigns.manage_contest", contest)
    mine = next((a for a in active if a.judge_id == viewer.pk), None)
    scores = list(JudgeScore.objects.filter(assignment__in=active))
    by_a: dict[int, dict[tuple[int, int], JudgeScore]] = defaultdict(dict)
    for s in scores:
        by_a[s.assignment_id][(s.criterion_id, s.round)] = s
    show_others = is_organizer or contest.is_final or (mine is not None and all_submitted)
    lines = []
    for c in tree.criteria:
        line = SheetLine(criterion=c, self_score=selfs.get(c.pk), evidence=evidence.get(c.pk, []))
        line.explanation = explanations.get(c.pk, "")
        if c.is_leaf:
            values = []
            for a in active:
                s = by_a[a.pk].get((c.pk, 2)) if a.submitted_round2_at else None
                s = s or (by_a[a.pk].get((c.pk, 1)) if a.submitted_round1_at else None)
                if s is not None:
                    values.append(s.points)
                if a is mine:
                    line.mine = by_a[a.pk].get((c.pk, round_no))
                    line.mine_round1 = by_a[a.pk].get((c.pk, 1))
                elif show_others and s is not None:
                    line.others.append((a.judge.get_full_name() or a.judge.username, s.points, s.comment))
            line.flagged = show_others and scoring.spread_flagged(
                values, contest.criteria_set.spread_threshold
            )
        lines.append(line)
    return {
        "lines": lines,
        "tree": tree,
        "assignments": assignments,
        "active": active,
        "mine": mine,
        "all_submitted": all_submitted,
        "show_others": show_others,
        "round": round_no,
    }


def judge_queue(user):
    """Every assignment of the judge across contests (one query); excluded ones carry their reason, no link."""
    if not getattr(user, "is_authenticated", False):
        return Assignment.objects.none()
    return (
        Assignment.objects.filter(judge=user)
        .select_related("participant__unit", "contest")
        .order_by("-contest__year", "contest__title", "participant__name")
    )


def letterhead_defaults(contest: Contest) -> dict:
    """The letterhead form's values: what the contest has, and while a field is empty a proposal: the organizing organization as the organ, the
    organizer unit as the place, and who signs from portal/lookups.py (the commune's signer for a commune-level
    contest; otherwise the first overseer or leader holding a position at the organizer unit)."""
    from portal import lookups
    from portal.models import Role

    unit = contest.organizer_unit
    out = {
        "doc_organ": contest.organizer_org.name.upper() if contest.organizer_org_id else "",
        "doc_place": unit.name,
        "sig_organ": "BAN THƯỜNG VỤ",
    }
    if unit.level == "commune":
        signer = lookups.signer(unit)
        if signer is not None:
            out |= {"sig_signer": signer.name, "sig_position": signer.position.upper()}
    else:
        member = next((m for m in lookups.memberships(unit, Role.OVERSEER, Role.LEADER) if m.position), None)
        if member is not None:
            out |= {
                "sig_signer": member.user.get_full_name() or member.user.username,
                "sig_position": member.position.upper(),
            }
    from campaigns.services.documents import LETTERHEAD_FIELDS

    return {name: getattr(contest, name) or out.get(name, "") for name in LETTERHEAD_FIELDS}
