"""The Editions list's publishing actions (publish, unpublish, discard pending changes),
their one confirmation page, and the list's "Publish every draft…" button.

The confirmation lists each year with what changes and, when publishing, every flag of
the figures readers would see (programs/figure_checks.py); with any flag, the Publisher
ticks a box to say they checked them. The confirming POST comes back to the action it
confirms: the one path that acts, whichever page asked (the list, the button, an
edition's own page). It carries a digest of what the page showed of each year (its
counts and flags): figures imported since send the Publisher back to read the page
again, so that nothing is published unseen.
"""

import hashlib

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.urls import reverse

from ..corrections import pending_changes_discard, pending_changes_publish
from ..formatting import word_list
from ..models import PendingChange
from ..publishing import (
    PublishingRefused,
    edition_publish,
    edition_unpublish,
    editions_flags,
    editions_impact,
    editions_publishable,
    plural,
)

FLAGS_CHECKED = "flags_checked"  # the box a Publisher ticks to publish with flags


def _items(editions, describe, flags):
    """Each year of the confirmation: what changes and (when publishing) its flags."""
    return [
        {
            "year": impact.edition.year,
            "text": describe(impact),
            "flags": None if flags is None else flags.get(impact.edition.year, []),
        }
        for impact in editions_impact(editions)
    ]


def items_digest(items):
    """What the confirmation showed of each year, its counts and flags, as a short hash:
    publishing checks that it still holds."""
    text = "\n".join(
        f"{item['year']} {item['text']} " + " ".join(f.message for f in item["flags"] or ())
        for item in items
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def flags_box_label(count):
    return "I have checked this flag" if count == 1 else f"I have checked these {count:,} flags"


def their(items, noun):
    """ "its figures" for one year, "their figures" for several."""
    return f"{'its' if len(items) == 1 else 'their'} {noun}"


class EditionPublishingActions:
    """The publishing half of EditionAdmin: its actions and their confirmation."""

    change_list_template = "admin/programs/edition/change_list.html"

    def changelist_view(self, request, extra_context=None):
        extra = dict(extra_context or {})
        if request.method == "GET" and self.has_publish_permission(request):
            waiting = list(editions_publishable().values_list("pk", "status"))
            extra["publish_every"] = {
                "selected": [pk for pk, _ in waiting],
                "label": _publish_every_label({status for _, status in waiting}),
            }
        return super().changelist_view(request, extra)

    def _confirm(self, request, editions, *, action, title, button, describe, flags=None,
                 error="", box_error=False,
                 lead="Please confirm. This is what will change:"):  # fmt: skip
        """The confirmation page: each year, what changes, and (for publishing) its flags."""
        shown = [f for year_flags in (flags or {}).values() for f in year_flags]
        items = _items(editions, describe, flags)
        return TemplateResponse(
            request,
            "admin/programs/edition/confirm_publishing.html",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "lead": lead,
                "items": items,
                "shown": items_digest(items),
                "action": action,
                "button": button,
                "error": error,
                "box_error": box_error,
                "flag_count": len(shown),
                "flags_box": flags_box_label(len(shown)),
                "flags_checked": FLAGS_CHECKED,
                "asks_summary": action == "publish" and any(e.is_published for e in editions),
                "summary": request.POST.get("summary", ""),
                "pending": PendingChange.objects.filter(year__in=[e.year for e in editions])
                .with_related()
                .order_by("year"),
                "opts": self.model._meta,
                "selected": [e.pk for e in editions],
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                "changelist_url": reverse("admin:programs_edition_changelist"),
            },
        )

    def _nothing(self, request, text):
        self.message_user(request, f"Nothing to do: {text}", messages.WARNING)

    @admin.action(description="Publish the selected editions or their pending changes",
                  permissions=["publish"])  # fmt: skip
    def publish(self, request, queryset):
        editions = list(editions_publishable(queryset))
        if not editions:
            return self._nothing(request, "no selected edition is a draft or has pending changes.")
        flags = editions_flags(editions)

        def confirm(error="", box_error=False):
            return self._confirm(
                request, editions, action="publish", title="Publish editions?",
                button="Yes, publish", describe=_publish_sentence, flags=flags, error=error,
                box_error=box_error, lead=_publish_lead(editions, flags),
            )  # fmt: skip

        if request.POST.get("confirmed") != "yes":
            return confirm()
        # What the Publisher read must be what is published: figures imported or flags
        # raised since the page was shown send them back to it.
        if request.POST.get("shown") != items_digest(_items(editions, _publish_sentence, flags)):
            return confirm(
                "The years changed since the page was shown: nothing was published. Read "
                "them again, then confirm."
            )
        unchecked = _unchecked(flags, request.POST.get(FLAGS_CHECKED))
        if unchecked:
            return confirm(unchecked, box_error=True)
        years, corrected = [], []
        reviewed = set(request.POST.getlist("reviewed"))
        summary = request.POST.get("summary", "")
        for edition in editions:
            try:
                if edition.is_published:
                    if pending_changes_publish(
                        year=edition.year, user=request.user, summary=summary, reviewed=reviewed
                    ):
                        corrected.append(edition.year)
                elif edition_publish(edition=edition, user=request.user):
                    years.append(edition.year)
            except PublishingRefused as refusal:
                self.message_user(request, str(refusal), messages.ERROR)
        if years:
            self.message_user(
                request,
                f"Published {word_list(years)}: readers see {their(years, 'figures')} now.",
                messages.SUCCESS,
            )
        if corrected:
            notes = "a revision note" if len(corrected) == 1 else "a revision note for each"
            self.message_user(
                request,
                f"Published the pending changes of {word_list(corrected)}: readers see the "
                f"corrected figures now, with {notes}.",
                messages.SUCCESS,
            )
        return None

    @admin.action(description="Unpublish the selected editions", permissions=["publish"])
    def unpublish(self, request, queryset):
        editions = [e for e in queryset.order_by("year") if e.is_published]
        if not editions:
            return self._nothing(request, "no selected edition is published.")
        if request.POST.get("confirmed") != "yes":
            return self._confirm(
                request, editions, action="unpublish", title="Unpublish editions?",
                button="Yes, unpublish",
                describe=lambda i: f"{i.edition.year} becomes private again: {i.describe()}.",
            )  # fmt: skip
        years = []
        for edition in editions:
            try:
                if edition_unpublish(edition=edition, user=request.user):
                    years.append(edition.year)
            except PublishingRefused as refusal:
                self.message_user(request, str(refusal), messages.ERROR)
        if years:
            self.message_user(
                request,
                f"Unpublished {word_list(years)}: readers no longer see "
                f"{their(years, 'figures')}.",
                messages.SUCCESS,
            )
        return None

    @admin.action(description="Discard the pending changes of the selected editions",
                  permissions=["publish"])  # fmt: skip
    def discard_pending(self, request, queryset):
        pending_years = set(PendingChange.objects.values_list("year", flat=True))
        editions = [e for e in queryset.order_by("year") if e.year in pending_years]
        if not editions:
            return self._nothing(request, "the selected editions have no pending changes.")
        if request.POST.get("confirmed") != "yes":
            return self._confirm(
                request, editions, action="discard_pending", title="Discard pending changes?",
                button="Yes, discard them",
                describe=lambda i: f"{i.edition.year}: {plural(i.pending, 'pending change')} "
                "will be dropped. Readers never saw them.",
            )  # fmt: skip
        dropped = {e.year: pending_changes_discard(year=e.year, user=request.user)
                   for e in editions}  # fmt: skip
        years = [year for year, n in dropped.items() if n]
        if years:
            self.message_user(
                request,
                f"Discarded {plural(sum(dropped.values()), 'pending change')} of "
                f"{word_list(years)}: readers never saw them.",
                messages.SUCCESS,
            )
        return None


def _publish_sentence(impact):
    year = impact.edition.year
    if impact.edition.is_published:
        return (
            f"{year}, published: its {plural(impact.pending, 'pending change')} become public, "
            "with a revision note that readers see."
            if impact.pending != 1
            else f"{year}, published: its 1 pending change becomes public, with a revision "
            "note that readers see."
        )
    return f"{year} becomes public: {impact.describe()}."


def _publish_lead(editions, flags):
    """ "Please confirm: this makes 2021 and 2022 public and publishes the pending changes
    of 2023. 4 flags to check, listed below." """
    drafts = [e.year for e in editions if not e.is_published]
    corrected = [e.year for e in editions if e.is_published]
    does = [f"makes {word_list(drafts)} public"] if drafts else []
    if corrected:
        does.append(f"publishes the pending changes of {word_list(corrected)}")
    count = sum(len(year_flags) for year_flags in flags.values())
    check = f" {plural(count, 'flag')} to check, listed below." if count else ""
    return f"Please confirm: this {' and '.join(does)}.{check}"


def _publish_every_label(statuses):
    if statuses == {"draft"}:
        return "Publish every draft…"
    if "draft" in statuses:
        return "Publish every draft and pending change…"
    return "Publish every pending change…"


def _unchecked(flags, ticked):
    """Why publishing waits for the flags box, or "" if it need not."""
    count = sum(len(year_flags) for year_flags in flags.values())
    if count and not ticked:
        return f"Tick “{flags_box_label(count)}” to publish: nothing was published."
    return ""
