"""Form tokens of comments move to the core intake table (portal.intake FormToken); 0006 drops the column."""

from django.db import migrations


def tokens_to_intake(apps, schema_editor):
    Comment = apps.get_model("consultations", "Comment")
    FormToken = apps.get_model("intake", "FormToken")
    ContentType = apps.get_model("contenttypes", "ContentType")
    ct, _ = ContentType.objects.get_or_create(app_label="consultations", model="comment")
    rows = Comment.objects.exclude(form_token__isnull=True).exclude(form_token="")
    batch = []
    for pk, token, created_at in rows.values_list("pk", "form_token", "created_at").iterator(chunk_size=2000):
        batch.append(FormToken(token=token, content_type_id=ct.pk, object_id=pk, created_at=created_at))
        if len(batch) >= 2000:
            FormToken.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    FormToken.objects.bulk_create(batch, ignore_conflicts=True)


def tokens_back(apps, schema_editor):
    Comment = apps.get_model("consultations", "Comment")
    FormToken = apps.get_model("intake", "FormToken")
    ContentType = apps.get_model("contenttypes", "ContentType")
    ct = ContentType.objects.filter(app_label="consultations", model="comment").first()
    if ct is None:
        return
    for token in FormToken.objects.filter(content_type_id=ct.pk).iterator(chunk_size=2000):
        Comment.objects.filter(pk=token.object_id).update(form_token=token.token)


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0004_comment_article_position"),
        ("intake", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(tokens_to_intake, tokens_back),
    ]
