from django import forms
from import_export.forms import ConfirmImportForm, ImportForm

from .models import Edition, Figure

REASON_HELP = (
    "Why the figure changes, e.g. “NCMEC corrected the 2023 count”. Needed when a figure "
    "of a published edition changes; kept in the figure's history."
)


class FigureAdminForm(forms.ModelForm):
    """The figure form, asking for a reason when a published figure changes."""

    change_reason = forms.CharField(
        label="Reason for the change", required=False, max_length=500, help_text=REASON_HELP
    )

    class Meta:
        model = Figure
        fields = ("metric", "year", "state", "value", "qualifier", "source", "note")

    def clean(self):
        cleaned = super().clean()
        # Compare with the figure as saved now: a restore from the history page starts the
        # form from an old version, so the form's own has_changed() would see nothing.
        saved = Figure.objects.filter(pk=self.instance.pk).first() if self.instance.pk else None
        if saved is None:
            return cleaned
        changed = any(
            getattr(saved, name) != cleaned.get(name)
            for name in ("metric", "year", "state", "value", "qualifier", "source", "note")
            if name in cleaned
        )
        years = {saved.year, cleaned.get("year")} - {None}
        published = Edition.objects.published().filter(year__in=years).exists()
        if changed and published and not cleaned.get("change_reason", "").strip():
            self.add_error(
                "change_reason",
                "This figure is in a published edition: say why it changes.",
            )
        return cleaned


class FigureImportForm(ImportForm):
    reason = forms.CharField(
        label="Reason for changes",
        required=False,
        max_length=500,
        help_text="Needed if the file changes figures of a published edition; kept in each "
        "changed figure's history.",
    )


class FigureConfirmImportForm(ConfirmImportForm):
    reason = forms.CharField(required=False, widget=forms.HiddenInput())
