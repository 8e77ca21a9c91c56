from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "backend.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from django.core.checks import register

        from backend.accounts.checks import check_demo_mode_off_in_production
        from backend.api import schema  # noqa: F401 - registers the OpenAPI auth extensions

        register(check_demo_mode_off_in_production, "security", deploy=True)
