from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "backend.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.core.checks import register

        from backend.accounts.auth_cache import connect_signals
        from backend.accounts.checks import check_demo_mode_off_in_production
        from backend.accounts.import_jobs import JOB_KIND, users_import_discard, users_import_enqueue
        from backend.accounts.receivers import save_language_chosen_before_sign_in
        from backend.api import schema  # noqa: F401 - registers the OpenAPI auth extensions
        from backend.jobs.api import register_recovery

        connect_signals()  # the auth cache forgets what a save or delete changes (decision 0069)
        register(check_demo_mode_off_in_production, "security", deploy=True)
        register_recovery(JOB_KIND, resume=users_import_enqueue, abandon=users_import_discard)
        user_logged_in.connect(save_language_chosen_before_sign_in,
                               dispatch_uid="accounts-language-chosen-before-sign-in")
