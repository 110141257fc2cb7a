"""Tracking codes per kind of submission, and the registry of kinds with their lookup resolvers.

A code is 8 characters of :data:`portal.text.CODE_ALPHABET` (no 0/O, 1/I/L, …), written ``XXXX-XXXX``, behind the
kind's 2-letter prefix: ``KN-XXXX-XXXX``. Prefixes are unique, so two kinds can never hand out the same code; within
a kind the model's unique column decides (see :func:`portal.intake.tokens.insert_with_code`). Exactly one kind may
register the empty prefix: consultation comments, whose codes were printed on paper receipts before prefixes existed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from portal.text import CODE_ALPHABET, new_tracking_code

if TYPE_CHECKING:
    from portal.intake.lookup import Found

PREFIX_LENGTH = 2
_ALPHABET = frozenset(CODE_ALPHABET)


@dataclass(frozen=True)
class Kind:
    """A kind of citizen submission: its name (``app.model``), what a citizen calls it, its code prefix, and the
    resolver that turns a normalized code into what the public lookup page shows (``None``: no such submission)."""

    name: str
    label: str
    prefix: str
    resolver: Callable[[str], Found | None]

    @property
    def example(self) -> str:
        return f"{self.prefix}-4K7M-9QXA" if self.prefix else "4K7M-9QXA"


KINDS: dict[str, Kind] = {}


def register_lookup(
    kind: str, resolver: Callable[[str], Found | None], *, label: str, prefix: str = ""
) -> Kind:
    """Register a kind of submission (call it from your AppConfig.ready()).

    ``kind`` names it (``"dialogues.petition"``), ``label`` is the Vietnamese name shown on the lookup page,
    ``prefix`` its two code letters (from the code alphabet, e.g. ``"KN"``), ``resolver(code)`` returns a
    :class:`portal.intake.lookup.Found` for a normalized code of this kind, or ``None``. Re-registering the same kind
    (tests, autoreload) replaces it; a prefix taken by another kind is refused.
    """
    prefix = prefix.upper()
    if prefix and (len(prefix) != PREFIX_LENGTH or not set(prefix) <= _ALPHABET):
        raise ValueError(f"prefix {prefix!r}: {PREFIX_LENGTH} letters of {CODE_ALPHABET}")
    for other in KINDS.values():
        if other.name != kind and other.prefix == prefix:
            raise ValueError(f"prefix {prefix!r} already belongs to {other.name}")
    KINDS[kind] = Kind(name=kind, label=label, prefix=prefix, resolver=resolver)
    return KINDS[kind]


def kind_get(kind: str) -> Kind:
    try:
        return KINDS[kind]
    except KeyError:
        raise LookupError(
            f"intake kind {kind!r} is not registered (register_lookup in AppConfig.ready)"
        ) from None


def new_code(kind: str) -> str:
    """A fresh random code of this kind (``KN-XXXX-XXXX``, or ``XXXX-XXXX`` for the unprefixed kind)."""
    prefix = kind_get(kind).prefix
    code = new_tracking_code()
    return f"{prefix}-{code}" if prefix else code


def code_max_length(kind: str) -> int:
    """The column width a kind's codes need (9 without prefix, 12 with)."""
    return 12 if kind_get(kind).prefix else 9


def parse_code(value: str | None) -> tuple[Kind, str] | None:
    """The kind and normalized code for what a person typed (any case, spaces, hyphens or none), else ``None``.

    Pure: no query, so a malformed code costs nothing and tells nothing about which codes exist.
    """
    raw = re.sub(r"[^0-9A-Za-z]", "", value or "").upper()
    if len(raw) == 8:
        prefix, body = "", raw
    elif len(raw) == 8 + PREFIX_LENGTH:
        prefix, body = raw[:PREFIX_LENGTH], raw[PREFIX_LENGTH:]
    else:
        return None
    if not set(body) <= _ALPHABET:
        return None
    for kind in KINDS.values():
        if kind.prefix == prefix:
            code = f"{body[:4]}-{body[4:]}"
            return kind, f"{prefix}-{code}" if prefix else code
    return None
