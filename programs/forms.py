from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode

from . import formatting
from .corrections import Proposal
from .models import Action, Edition, Figure, PendingChange


class FigureValueInput(forms.NumberInput):
    """A figure's value as staff write it: a count "66", never the column's "66.00"; a
    percent keeps its decimals ("12.5"). What staff typed (a string) is shown as typed."""

    def format_value(self, value):
        if isinstance(value, Decimal) and value.is_finite():
            return formatting.plain_number(value)
        return super().format_value(value)


class FigureAdminForm(forms.ModelForm):
    """A figure readers do not see yet: of a draft edition, or of an unpublished program."""

    change_reason = forms.CharField(
        label="Reason for the change",
        required=False,
        max_length=500,
        help_text="Optional: why the figure changes, kept in its history.",
    )

    class Meta:
        model = Figure
        fields = ("metric", "year", "state", "value", "qualifier", "source", "note")
        widgets = {"value": FigureValueInput}

    def clean(self):
        cleaned = super().clean()
        metric, year, state = cleaned.get("metric"), cleaned.get("year"), cleaned.get("state")
        if metric is not None and isinstance(year, int) and Figure.is_public_for(metric, year):
            query = {"metric": metric.pk, "year": year, "state": state.pk if state else ""}
            for name in ("value", "qualifier", "source", "note"):
                if cleaned.get(name) not in (None, ""):
                    query[name] = cleaned[name]
            url = f"{reverse('admin:programs_pendingchange_add')}?{urlencode(query)}"
            raise ValidationError(
                format_html(
                    "The {} edition is published and readers see “{}”: a new figure for it is "
                    "a correction, which a Publisher publishes. "
                    '<a href="{}">Stage it as a pending change</a>.',
                    year,
                    metric.program or metric,
                    url,
                )
            )
        return cleaned


class PendingChangeForm(forms.ModelForm):
    """A correction to a figure readers see: its new version, or its withdrawal."""

    withdraw = forms.BooleanField(
        label="Withdraw the published figure",
        required=False,
        help_text="Readers will then read “No figure reported” in its place.",
    )

    class Meta:
        model = PendingChange
        fields = ("metric", "year", "state", "withdraw", "value", "qualifier", "source",
                  "note", "reason")  # fmt: skip
        widgets = {"value": FigureValueInput}
        help_texts = {
            "value": "The figure as it should read. Leave blank to withdraw it.",
            "reason": "Why it changes, e.g. “NCMEC corrected the 2023 count”. Readers see it "
            "in the revision note.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.action == Action.WITHDRAW:
            self.initial["withdraw"] = True
        self.proposal = None

    def _cleaned_or_saved(self, name):
        """A field of the form, or, where the change form shows it read-only, as saved."""
        if name in self.cleaned_data:
            return self.cleaned_data[name]
        return getattr(self.instance, name) if self.instance.pk else None

    def clean(self):
        cleaned = super().clean()
        metric = self._cleaned_or_saved("metric")
        year = self._cleaned_or_saved("year")
        state = self._cleaned_or_saved("state")
        if metric is None or not isinstance(year, int) or self.errors:
            return cleaned
        if not Edition.objects.published().filter(year=year).exists():
            raise ValidationError(
                f"The {year} edition is not published: change its figures under Figures, "
                "where no Publisher is needed."
            )
        if not metric.shown_to_public():
            raise ValidationError(
                f"“{metric.program}” is not published, so readers do not see this figure: "
                "change it under Figures."
            )
        figure = Figure.objects.filter(metric=metric, year=year, state=state).first()
        withdraw = cleaned.get("withdraw", False)
        value = cleaned.get("value")
        if withdraw:
            if figure is None:
                self.add_error("withdraw", "There is no published figure to withdraw.")
                return cleaned
        elif value is None:
            self.add_error("value", "Give the figure's new value, or tick “withdraw”.")
            return cleaned
        else:
            for name, messages in Figure.rule_errors(
                metric=metric, state=state, value=value, year=year
            ).items():
                for message in messages:
                    self.add_error(name if name in self.fields else None, message)
            if self.errors:
                return cleaned
        proposal = Proposal(
            metric, year, state, figure, withdraw=withdraw,
            value=None if withdraw else value,
            qualifier=cleaned.get("qualifier") or "",
            source=cleaned.get("source") or "",
            note=cleaned.get("note") or "",
        )  # fmt: skip
        if proposal.is_no_change():
            raise ValidationError(
                "This is what the published figure already says: there is nothing to stage."
            )
        self.proposal = proposal
        return cleaned
