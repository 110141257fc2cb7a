"""The first `make run` keeps its console readable (issue 10 item 11): mails go to files, not raw MIME on stdout."""

import os
import subprocess
import sys

from django.core.mail import EmailMessage, get_connection


def _default_backend() -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_EMAIL")}
    code = "import portal.settings as s; print(s.EMAIL_BACKEND)"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)  # noqa: S603
    return out.stdout.strip()


def test_mail_by_default_is_written_to_a_file_not_printed(tmp_path, capfd):
    backend = _default_backend()
    assert backend == "django.core.mail.backends.filebased.EmailBackend"
    connection = get_connection(backend, file_path=str(tmp_path))
    EmailMessage("Thử", "Nội dung", "a@example.invalid", ["b@example.invalid"], connection=connection).send()
    out, err = capfd.readouterr()
    assert "Content-Type" not in out + err
    (written,) = list(tmp_path.iterdir())
    assert "b@example.invalid" in written.read_text()
