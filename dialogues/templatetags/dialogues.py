"""The dialogue's sub-menu: only the pages the person may open (a village head reads the dialogue, staff run it)."""

from django import template
from django.urls import reverse

register = template.Library()

# (label, URL name, permission the page requires; None: whoever reads the dialogue)
PAGES = (
    ("Hội nghị", "dialogues:detail", None),
    ("Điều hành hội nghị", "dialogues:console", "dialogues.run_meeting"),
    ("Số người dự", "dialogues:attendance", "dialogues.run_meeting"),
    ("Kết quả", "dialogues:report", "dialogues.view_report"),
    ("Khảo sát hài lòng", "dialogues:survey", "dialogues.view_report"),
)


@register.inclusion_tag("dialogues/_nav.html", takes_context=True)
def dialogue_nav(context, dialogue):
    from dialogues.views.public import PUBLIC_STATUSES

    user = context["request"].user
    current = context["request"].path
    links = []
    for label, name, perm in PAGES:
        if perm is None or user.has_perm(perm, dialogue):
            url = reverse(name, args=[dialogue.pk])
            links.append((label, url, url == current))
    if dialogue.status in PUBLIC_STATUSES:  # the public page exists once the dialogue is announced
        links.append(("Trang công khai", reverse("dialogues:public", args=[dialogue.pk]), False))
    return {"links": links}
