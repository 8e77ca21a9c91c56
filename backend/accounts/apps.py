from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "backend.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from backend.api import schema  # noqa: F401 - registers the OpenAPI auth extensions
