"""Panels that feature apps add to the role home pages (registered in each app's ``AppConfig.ready``).

A panel is a function ``(request, access) -> dict | None`` returning the context for its template, or None when
it has nothing to show. Panels must run a constant number of queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    homes: frozenset[str]  # "staff", "village", "mttq", "overseer", "public"
    context: Callable


_PANELS: list[Panel] = []


def register_panel(*, name: str, template: str, homes: set[str], context: Callable) -> None:
    if any(p.name == name for p in _PANELS):
        return
    _PANELS.append(Panel(name=name, template=template, homes=frozenset(homes), context=context))


def panels_for(home: str, request, access, **kwargs) -> list[dict]:
    shown = []
    for panel in _PANELS:
        if home in panel.homes:
            ctx = panel.context(request, access, **kwargs)
            if ctx is not None:
                shown.append({"template": panel.template, "ctx": ctx, "name": panel.name})
    return shown
