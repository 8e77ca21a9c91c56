"""Create (and rotate) the Ed25519 keys that sign Open Badges credentials.

    manage.py credentials_keygen               a new key; on a fresh install it signs at once,
                                               otherwise it is published first (staged) so
                                               verifiers' caches know it before it is used
    manage.py credentials_keygen --activate    a new key that signs from now on
    manage.py credentials_keygen --retire KEY  also keep only KEY's public half (verifies, never
                                               signs); with --no-new, only that
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from certificates.credentials import keys


class Command(BaseCommand):
    help = "Create or retire a credential signing key (files in CREDENTIALS_KEYS_DIR, mode 0600)."

    def add_arguments(self, parser):
        parser.add_argument("--activate", action="store_true",
                            help="The new key signs from now on (it is the newest key).")
        parser.add_argument("--retire", metavar="KEY",
                            help="Delete KEY's private half; its public key stays published.")
        parser.add_argument("--key-id", help="Name of the new key (default key-YYYY-MM-DD).")
        parser.add_argument("--no-new", action="store_true", help="Only --retire, no new key.")

    def handle(self, *args, **options):
        existing = [k for k in keys.all_keys().values() if k.private is not None]
        if not options["no_new"]:
            try:
                key = keys.generate(options["key_id"])
            except (ValueError, FileExistsError) as exc:
                raise CommandError(str(exc)) from exc
            path = keys.keys_dir() / f"{key.key_id}.pem"
            if existing and not options["activate"]:
                # Staged: older than the active key, so "the newest" still picks the current one.
                oldest = min(k.created for k in existing) - 1
                os.utime(path, (oldest, oldest))
                self.stdout.write(f"Created {path} (published, not yet signing). Activate it "
                                  f"later with CREDENTIALS_ACTIVE_KEY={key.key_id}.")
            else:
                self.stdout.write(f"Created {path}; it signs new credentials from now on.")
            if settings.CREDENTIALS_ACTIVE_KEY and options["activate"]:
                self.stdout.write(self.style.WARNING(
                    f"CREDENTIALS_ACTIVE_KEY={settings.CREDENTIALS_ACTIVE_KEY} still pins the old "
                    f"key: set it to {key.key_id} (or unset it)."))
        if options["retire"]:
            try:
                public = keys.retire(options["retire"])
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"Retired {options['retire']}: only {public} is kept; credentials "
                              "it signed still verify.")
