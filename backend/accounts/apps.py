from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "backend.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from backend.accounts.receivers import save_language_chosen_before_sign_in
        from backend.api import schema  # noqa: F401 - registers the OpenAPI auth extensions

        user_logged_in.connect(save_language_chosen_before_sign_in,
                               dispatch_uid="accounts-language-chosen-before-sign-in")
