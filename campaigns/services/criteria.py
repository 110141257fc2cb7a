"""Criteria sets: import from YAML/XLSX (all or nothing), store, copy a model set into another unit's contest."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from campaigns.importing import CriteriaImportError, NodeData, SetData, parse_upload
from campaigns.models import CriteriaSet, Criterion
from campaigns.services._common import now_or, require
from portal.audit import audit_record


def _store_nodes(
    cset: CriteriaSet, nodes: list[NodeData], parent: Criterion | None, counter: list[int]
) -> None:
    for node in nodes:
        counter[0] += 1
        criterion = Criterion(
            criteria_set=cset,
            parent=parent,
            position=counter[0],
            depth=node.depth,
            code=node.code,
            title=node.title,
            kind=Criterion.Kind.GROUP if node.is_group else Criterion.Kind.CRITERION,
            is_bonus=node.is_bonus,
            max_points=node.max_points,
            scoring="" if node.is_group else node.scoring,
            step=node.step,
            levels=[str(v) for v in node.levels],
            per_item=node.per_item,
            evidence=node.evidence,
            metric=node.metric,
        )
        criterion.full_clean(exclude=["criteria_set", "parent"])
        criterion.save()
        _store_nodes(cset, node.children, criterion, counter)


@transaction.atomic
def criteria_set_store(
    *, data: SetData, owner_unit, by, source_name: str = "", copied_from=None, now: dt.datetime | None = None
) -> CriteriaSet:
    now = now_or(now)
    if CriteriaSet.objects.filter(owner_unit=owner_unit, code=data.code, version=data.version).exists():
        raise ValidationError(
            f"Đơn vị đã có bộ tiêu chí “{data.code}” phiên bản {data.version}; hãy tăng số phiên bản (version)."
        )
    cset = CriteriaSet(
        code=data.code,
        version=data.version,
        name=data.name,
        legal_basis=data.legal_basis,
        effective_from=data.effective_from,
        owner_unit=owner_unit,
        total_points=data.total,
        bonus_cap=data.bonus_cap,
        reserved_points=data.reserved,
        final_rule=data.final_rule,
        spread_threshold=data.spread_threshold,
        max_departure=data.max_departure,
        stars=data.stars,
        copied_from=copied_from,
        source_name=source_name[:200],
        created_by=by,
        created_at=now,
    )
    cset.full_clean()
    cset.save()
    _store_nodes(cset, data.nodes, None, [0])
    audit_record(
        actor=by,
        action="criteriaset.import" if copied_from is None else "criteriaset.copy",
        obj=cset,
        now=now,
        changes={"code": cset.code, "version": cset.version, "source": source_name},
        commune=owner_unit if owner_unit.level == "commune" else None,
    )
    return cset


def criteria_set_import(
    *, name: str, content: bytes, owner_unit, by, now: dt.datetime | None = None
) -> CriteriaSet:
    """Import a whole file or nothing. Raises CriteriaImportError (line/row-precise) or ValidationError."""
    require(by, "campaigns.import_criteriaset", owner_unit, "Bạn không có quyền nhập bộ tiêu chí.")
    data = parse_upload(name, content)
    return criteria_set_store(data=data, owner_unit=owner_unit, by=by, source_name=name, now=now)


def set_data_of(cset: CriteriaSet) -> SetData:
    """A stored set back as plain data (for copying)."""
    rows = list(cset.criteria.order_by("position"))
    by_parent: dict = {}
    for c in rows:
        by_parent.setdefault(c.parent_id, []).append(c)

    def build(parent_id):
        return [
            NodeData(
                code=c.code,
                title=c.title,
                max_points=c.max_points,
                is_bonus=c.is_bonus,
                depth=c.depth,
                scoring=c.scoring,
                step=c.step,
                levels=list(c.levels),
                per_item=c.per_item,
                evidence=c.evidence,
                metric=c.metric,
                children=build(c.pk),
            )
            for c in by_parent.get(parent_id, [])
        ]

    return SetData(
        code=cset.code,
        version=cset.version,
        name=cset.name,
        legal_basis=cset.legal_basis,
        effective_from=cset.effective_from,
        total=cset.total_points,
        bonus_cap=cset.bonus_cap,
        reserved=cset.reserved_points,
        final_rule=cset.final_rule,
        spread_threshold=cset.spread_threshold,
        max_departure=cset.max_departure,
        stars=list(cset.stars),
        nodes=build(None),
    )


@transaction.atomic
def criteria_set_copy(*, source: CriteriaSet, owner_unit, by, now: dt.datetime | None = None) -> CriteriaSet:
    """Copy a (province's) model set to another unit, as the next free version of the same code there."""
    require(by, "campaigns.import_criteriaset", owner_unit, "Bạn không có quyền sao chép bộ tiêu chí.")
    data = set_data_of(source)
    latest = CriteriaSet.objects.filter(owner_unit=owner_unit, code=source.code).aggregate(v=Max("version"))[
        "v"
    ]
    data.version = (latest or 0) + 1
    return criteria_set_store(
        data=data, owner_unit=owner_unit, by=by, source_name=f"sao từ {source}", copied_from=source, now=now
    )


__all__ = [
    "CriteriaImportError",
    "criteria_set_copy",
    "criteria_set_import",
    "criteria_set_store",
    "set_data_of",
]
