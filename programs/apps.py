from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = "Programs and figures"

    def ready(self):
        from . import checks  # noqa: F401 - registers the deployment checks
