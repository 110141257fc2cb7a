from portal.models.audit import AuditEvent
from portal.models.calendar import CalendarDay
from portal.models.deadlines import Deadline
from portal.models.notifications import Notification
from portal.models.units import AdministrativeUnit, Membership, Organization, Role

__all__ = [
    "AdministrativeUnit",
    "AuditEvent",
    "CalendarDay",
    "Deadline",
    "Membership",
    "Notification",
    "Organization",
    "Role",
]
