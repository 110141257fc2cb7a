from .front import supervision_add, survey_manage, survey_qr_print
from .meeting import console, prepared_resolve, speaker_add, speaker_skip
from .petitions import answer_proof, petition_action, petition_detail, petition_list, petition_record
from .public import my_petition, petition_submit, public_dialogue, survey_public
from .reports import (
    dialogue_report,
    dialogue_xlsx,
    overseer_overview,
    year_report,
    year_report_create,
    year_xlsx,
)
from .staff import (
    attendance,
    briefing_pdf,
    dialogue_create,
    dialogue_detail,
    dialogue_edit,
    dialogue_list,
    dialogue_transition,
)

__all__ = [
    "answer_proof",
    "attendance",
    "briefing_pdf",
    "console",
    "dialogue_create",
    "dialogue_detail",
    "dialogue_edit",
    "dialogue_list",
    "dialogue_report",
    "dialogue_transition",
    "dialogue_xlsx",
    "my_petition",
    "overseer_overview",
    "petition_action",
    "petition_detail",
    "petition_list",
    "petition_record",
    "petition_submit",
    "prepared_resolve",
    "public_dialogue",
    "speaker_add",
    "speaker_skip",
    "supervision_add",
    "survey_manage",
    "survey_qr_print",
    "survey_public",
    "year_report",
    "year_report_create",
    "year_xlsx",
]
