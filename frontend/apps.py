from django.apps import AppConfig


class FrontendConfig(AppConfig):
    name = "frontend"

    def ready(self):
        from frontend import checks  # noqa: F401  (registers the start-up checks)
