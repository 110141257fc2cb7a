"""Writes for consultations (services own transactions, rules, audit). Re-exported for ``consultations.services.x``."""

from .comments import (
    RateLimited,
    comment_answer,
    comment_assign,
    comment_flag,
    comment_hide,
    comment_merge,
    comment_record,
    comment_submit,
    comment_tag,
    comment_unhide,
    meeting_record,
    reviewer_organization,
    summary_save,
    summary_submit,
)
from .documents import consultation_plan_document, consultation_report_document
from .drafts import consultation_create, consultation_update, draft_version_create
from .imports import import_batch_create, import_batch_run, parse_import
from .lifecycle import (
    consultation_adopt,
    consultation_close,
    consultation_issue_plan,
    consultation_mark_publicized,
    consultation_open,
    consultation_publish,
    consultation_publish_results,
    consultation_report,
    consultation_start_synthesis,
    min_closes_on,
    publish_problems,
    results_problems,
)
from .publicity import broadcast_log, photo_clean, posting_confirm, postings_generate

__all__ = [
    "RateLimited", "broadcast_log", "comment_answer", "comment_assign", "comment_flag", "comment_hide",
    "comment_merge", "comment_record", "comment_submit", "comment_tag", "comment_unhide", "consultation_adopt",
    "consultation_close", "consultation_create", "consultation_issue_plan", "consultation_mark_publicized",
    "consultation_open", "consultation_plan_document", "consultation_report_document", "consultation_publish", "consultation_publish_results", "consultation_report",
    "consultation_start_synthesis", "consultation_update", "draft_version_create", "import_batch_create",
    "import_batch_run", "meeting_record", "min_closes_on", "parse_import", "photo_clean", "posting_confirm",
    "postings_generate", "publish_problems", "results_problems", "reviewer_organization", "summary_save",
    "summary_submit",
]
