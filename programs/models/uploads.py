from django.db import models

from .. import formatting


class HeldUpload(models.Model):
    """A figure file between the import's preview and its confirmation, in the database
    that every app process reads (programs/uploads.py), removed on confirmation."""

    name = models.CharField(max_length=32, unique=True)
    data = models.BinaryField()
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ("created",)
        verbose_name = "held upload"
        verbose_name_plural = "held uploads"

    def __str__(self):
        return f"Upload {self.name} of {formatting.format_datetime(self.created)}"
