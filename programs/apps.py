from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = "Programs and figures"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from states.models import State

        from . import checks  # noqa: F401 - registers the deployment checks
        from .models.publication import place_changed

        # A state's name and code are on every page: its edit is a new version of them.
        post_save.connect(place_changed, sender=State, dispatch_uid="place_saved")
        post_delete.connect(place_changed, sender=State, dispatch_uid="place_deleted")
