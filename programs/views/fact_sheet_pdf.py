"""A state's fact sheet for a year as a PDF: /states/<slug>/<year>/fact-sheet.pdf.

Published figures only, for everyone: a staff preview gets the public PDF too, so a
draft never lands in the cache. Beside the page cache, the PDF is cached on the
publication version and the place alone (a render takes a second: another query
string must not make another), so a publish makes a new one; a cache hit costs one
query (the states, to find the one named: the version is the snapshot's).
"""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect

from ncmec_site.site_address import absolute_url
from states.naming import find_state

from ..page_cache import built_from
from ..reader import catalog, pdf
from ..reader.fact_sheet import fact_sheet_build, fact_sheet_years


def fact_sheet_pdf(request, slug, year):
    states = catalog.states()  # the one named, and what its ranks rank it among
    state = find_state(slug, states)
    if state is None:
        raise Http404("There is no state or territory by that name or code.")
    if state.slug != slug:  # /states/MN/2023/fact-sheet.pdf, as the pages' addresses do
        return redirect("states:fact_sheet_pdf", slug=state.slug, year=year, permanent=True)
    # The site's own address, not the request's Host: a Host with another port would
    # otherwise make (and cache) a new PDF for each.
    base_url = absolute_url()
    key = pdf.cache_key(built_from(request).token, state.slug, year, base_url)
    document = pdf.cached_pdf(key)
    if document is None:
        # Never the preview: only what anyone may read is rendered and cached.
        years, state_years = fact_sheet_years(state, False)
        if year not in years:
            raise Http404(f"No figures are published for {year}.")
        sheet = fact_sheet_build(
            state, year, preview=False, years=years, state_years=state_years, states=states
        )
        document = pdf.fact_sheet_pdf(sheet, base_url, font_config=pdf.thread_font_configuration())
        pdf.store_pdf(key, document)
    response = HttpResponse(document.content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pdf.filename(state.slug, year)}"'
    return response
