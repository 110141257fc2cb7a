from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("consultations", "0005_comment_form_token_to_intake")]

    operations = [migrations.RemoveField(model_name="comment", name="form_token")]
