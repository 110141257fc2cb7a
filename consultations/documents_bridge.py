"""Placeholder until the documents integration lands (see documents_bridge in README)."""


def documents_for(consultation) -> list:
    return []
