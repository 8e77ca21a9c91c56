"""Move PDFs rendered before decision 0042 from guessable names (`certificates/2026/17-r1.pdf`)
to the keyed names `pdf_name()` gives now, so a later render of the same revision finds its file.
Old files are deleted after the transaction commits; reversing keeps the new names (the earlier
code serves whatever name the row holds)."""

import re

from django.core.files.storage import default_storage
from django.db import migrations, transaction

from backend.private_media import stable_token

OLD = re.compile(r"^certificates/\d{4}/\d+-r\d+\.pdf$")


def rename(apps, schema_editor):
    Certificate = apps.get_model("certificates", "Certificate")
    moved: list[str] = []
    for certificate in Certificate.objects.exclude(pdf="").iterator():
        old = certificate.pdf.name
        if not OLD.match(old) or not default_storage.exists(old):
            continue
        token = stable_token("certificate-pdf", certificate.pk, certificate.pdf_revision)
        with default_storage.open(old, "rb") as handle:
            new = default_storage.save(f"certificates/{certificate.issued_at.year}/{token}.pdf", handle)
        Certificate.objects.filter(pk=certificate.pk).update(pdf=new)
        moved.append(old)
    transaction.on_commit(lambda: [default_storage.delete(name) for name in moved])


class Migration(migrations.Migration):

    dependencies = [
        ("certificates", "0002_verbose_names"),
    ]

    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
