"""Every django-q2 schedule of the portal, defined in one place; apps add theirs to SCHEDULES.

``python manage.py setup_schedules`` (run by the start scripts and on deploy) creates or updates them by name.
"""

SCHEDULES: list[dict] = [
    {
        "name": "portal.sweep_deadlines",
        "func": "portal.tasks.sweep_deadlines",
        "schedule_type": "I",  # minutes
        "minutes": 5,
    },
]

SCHEDULES.append(
    {
        "name": "consultations.sweep_windows",
        "func": "consultations.tasks.sweep_windows",
        "schedule_type": "I",  # minutes
        "minutes": 15,
    }
)

SCHEDULES.append(
    {
        "name": "consultations.expire_imports",
        "func": "consultations.tasks.expire_imports",
        "schedule_type": "I",  # minutes
        "minutes": 10,
    }
)

SCHEDULES.append(
    {
        "name": "intake.forget_counters",
        "func": "portal.intake.tasks.forget_counters",
        "schedule_type": "I",  # minutes
        "minutes": 60,
    }
)
