"""Kept for older imports: home panels now live in :mod:`portal.registry` (menus, panels, audit labels)."""

from portal.registry import Panel, panels_for, register_panel

__all__ = ["Panel", "panels_for", "register_panel"]
