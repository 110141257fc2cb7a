from .public import comment_submit, public_detail, public_list, receipt, results_json, track
from .review import review, summary_save
from .staff import (
    broadcast_log,
    comment_action,
    comment_detail,
    comment_list,
    comment_record,
    consultation_create,
    consultation_edit,
    consultation_list,
    consultation_manage,
    consultation_transition,
    export,
    import_comments,
    import_detail,
    meeting_create,
    my_postings,
    posting_confirm,
    postings,
    radio_home,
    results,
    version_create,
    version_detail,
)

__all__ = [
    "broadcast_log", "comment_action", "comment_detail", "comment_list", "comment_record", "comment_submit",
    "consultation_create", "consultation_edit", "consultation_list", "consultation_manage",
    "consultation_transition", "export", "import_comments", "import_detail", "meeting_create", "my_postings",
    "posting_confirm", "postings", "public_detail", "public_list", "radio_home", "receipt", "results",
    "results_json", "review", "summary_save", "track", "version_create", "version_detail",
]
