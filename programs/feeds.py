"""The Atom feed of revision notes, for readers who follow corrections."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html_join

from ncmec_site.site_address import absolute_url

from .models import Revision

FEED_ENTRIES = 20


class RevisionsFeed(Feed):
    feed_type = Atom1Feed
    title = "NCMEC Data: revisions to published figures"
    subtitle = "Each correction to NCMEC's published figures: what changed, when, and why."
    author_name = "National Center for Missing & Exploited Children"

    # Absolute addresses, so that Django adds no domain of the request's Host to them.
    def link(self):
        return absolute_url(reverse("revisions:list"))

    def feed_url(self):
        return absolute_url(reverse("revisions:feed"))

    def item_link(self, revision):
        return absolute_url(revision.get_absolute_url())

    def items(self):
        return Revision.objects.public()[:FEED_ENTRIES]

    def item_title(self, revision):
        return revision.title

    def item_description(self, revision):
        """HTML (Atom's summary type="html"), so every text staff wrote is escaped here:
        a reader's feed program turns the summary back into markup."""
        lines = [revision.summary] if revision.summary else []
        for figure in revision.figures.all():
            changes = "; ".join(str(change) for change in figure.changes())
            lines.append(
                f"{figure.metric.label}, {figure.place_name}: {changes}. Reason: {figure.reason}"
            )
        return format_html_join("", "<p>{}</p>", ((line,) for line in lines))

    # In the site's time zone, so that the feed's date is the one the note's title and the
    # pages give (23:30 in New York is 23:30 on that day, not 04:30 the next in UTC).
    def item_pubdate(self, revision):
        return timezone.localtime(revision.published_at)

    def item_updateddate(self, revision):
        return timezone.localtime(revision.published_at)
