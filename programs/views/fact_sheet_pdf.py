"""A state's fact sheet for a year as a PDF: /states/<slug>/<year>/fact-sheet.pdf, on
US Letter, or on A4 with ``?paper=a4`` (any other paper is a 400).

Published figures only, for everyone: a staff preview gets the public PDF too, so a
draft never lands in the cache. Beside the page cache, the PDF is cached on the
publication version, the place and the paper alone (a render takes a fraction of a
second, but another query string must not make another), so a publish makes a new one;
a cache hit costs one query (the states, to find the one named: the version is the
snapshot's).
"""

from django.core.exceptions import BadRequest
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from ncmec_site.site_address import absolute_url
from states.naming import find_state

from ..page_cache import built_from
from ..reader import catalog, pdf
from ..reader.fact_sheet import fact_sheet_build, fact_sheet_years


def paper_in_query(query):
    """The paper ``?paper=`` asks for (a key of pdf.PAPERS), Letter when it asks for
    none; a 400 for any other."""
    paper = query.get("paper", "").lower() or pdf.LETTER
    if paper not in pdf.PAPERS:
        raise BadRequest("The paper must be letter or a4, like ?paper=a4.")
    return paper


def fact_sheet_pdf(request, slug, year):
    paper = paper_in_query(request.GET)
    states = catalog.states()  # the one named, and what its ranks rank it among
    state = find_state(slug, states)
    if state is None:
        raise Http404("There is no state or territory by that name or code.")
    if state.slug != slug:  # /states/MN/2023/fact-sheet.pdf, as the pages' addresses do
        url = reverse("states:fact_sheet_pdf", args=[state.slug, year])
        if request.GET:
            url += "?" + request.GET.urlencode()
        return redirect(url, permanent=True)
    # The site's own address, not the request's Host: a Host with another port would
    # otherwise make (and cache) a new PDF for each.
    base_url = absolute_url()
    key = pdf.cache_key(built_from(request).token, state.slug, year, base_url, paper)
    document = pdf.cached_pdf(key)
    if document is None:
        # Never the preview: only what anyone may read is rendered and cached.
        years, state_years = fact_sheet_years(state, False)
        if year not in years:
            raise Http404(f"No figures are published for {year}.")
        sheet = fact_sheet_build(
            state, year, preview=False, years=years, state_years=state_years, states=states
        )
        document = pdf.fact_sheet_pdf(
            sheet, base_url, paper=paper, font_config=pdf.thread_font_configuration()
        )
        pdf.store_pdf(key, document)
    response = HttpResponse(document.content, content_type="application/pdf")
    filename = pdf.filename(state.slug, year, paper)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
