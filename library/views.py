"""Public pages of the practice library and the places. Only what awards' public_practices() allows is shown."""

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q
from django.utils.decorators import method_decorator
from django.views.generic import DetailView, ListView, TemplateView

from accounts.public_pages import public_page
from awards.selectors.followup import follow_ups_prefetch
from awards.selectors.publication import public_practices, withhold_descriptions
from practices.localisation import by_name, name_sort_key
from practices.models import Municipality, Region, WellbeingServicesCounty

from . import opendata
from .forms import LibraryFilterForm, SuggestionForm
from .selectors import (
    CORRECTED,
    SOME_WORDS,
    add_snippets,
    as_cards,
    award_history_of,
    award_history_prefetch,
    counts_and_page,
    county_practice_count,
    fallback_search,
    practices_for_cards,
    practices_in_county,
    practices_in_region,
    ranked_page,
    related_practices,
    result_count,
    search_practices,
    search_suggestions,
)

PAGE_SIZE = 20


@method_decorator(public_page, name="dispatch")
class LibraryView(TemplateView):
    """The library: search, filters with counts, paginated results. A constant number of queries per page.

    When a search finds nothing, the words no public practice has are replaced by the closest ones that one has
    and the page says so ("Showing results for …"): typing errors and missing ä/ö still lead somewhere."""

    template_name = "library/library.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Always bound: an empty query string is a valid search for everything.
        form = LibraryFilterForm(self.request.GET)
        filters = form.filters()
        # The facet counts say how many practices match too: the paginator does not count them again. A text
        # search's page comes as ids with them (counts_and_page), for the page number asked for; another number
        # is read again below.
        asked = self._asked_page()
        counts, ids = counts_and_page(filters, (asked - 1) * PAGE_SIZE, PAGE_SIZE)
        typed, fallback = filters.q, ""
        if filters.q and result_count(counts) == 0:
            filters, fallback = fallback_search(filters)
            if fallback:
                counts, ids = counts_and_page(filters, (asked - 1) * PAGE_SIZE, PAGE_SIZE)
        page = self._page(filters, result_count(counts), asked, ids)
        form.set_counts(counts, filters)
        # Nothing of a description the nominator has not consented to publish reaches the page or its snippets.
        withhold_descriptions(page.object_list)
        if filters.q:
            add_snippets(page.object_list, filters.q)
        context.update(
            form=form,
            filters=filters,
            typed_query=typed,
            corrected_query=filters.q if fallback == CORRECTED else "",
            some_words=fallback == SOME_WORDS,
            page_obj=page,
            practices=page.object_list,
            is_filtered=any(v for k, v in vars(filters).items() if k != "any_word"),
        )
        return context

    def _asked_page(self) -> int:
        """The page number asked for, where it is a page number at all (Paginator.get_page decides the rest)."""
        number = self.request.GET.get("page", "")
        return int(number) if number.isascii() and number.isdigit() and 0 < int(number) < 10**6 else 1

    def _page(self, filters, count: int, asked: int, ids: list[int] | None) -> Page:
        # Where the ids have come ranked, the paginator only numbers the pages: its rows are read by id below
        # (building the search's queryset for it alone cost a few ms of a search's page).
        results = practices_for_cards(search_practices(filters)) if ids is None else range(count)
        paginator = Paginator(results, PAGE_SIZE)
        paginator.count = count  # what paginator.count would ask the database (a cached_property)
        # get_page() answers any page number: not a number gives the first page, too large the last one.
        page = paginator.get_page(self.request.GET.get("page"))
        if ids is None:
            page.object_list = as_cards(list(page.object_list), matching=bool(filters.q))
            return page
        number = page.number
        if number != asked:
            ids = ranked_page(filters, (number - 1) * PAGE_SIZE, PAGE_SIZE).ids
        # The page's rows by id, in the ranked order; still through public_practices(), so that a practice
        # withdrawn between the two statements is left out rather than shown (not through the search's condition
        # and rank again: the ids come from them, and compiling them cost 2 ms).
        by_id = practices_for_cards(public_practices()).filter(pk__in=ids).order_by()
        rows = {practice.pk: practice for practice in by_id}
        return Page(as_cards([rows[pk] for pk in ids if pk in rows], matching=True), number, paginator)


class SuggestionsView(TemplateView):
    """Suggestions for what is being typed in the library's search: a page of links that works without
    JavaScript (the search form's "Suggestions" button), and the same list as a fragment (?partial=1) that
    static/js/library-search.js shows under the search field as one types."""

    template_name = "library/suggestions.html"

    def get_template_names(self):
        if self.request.GET.get("partial"):
            return ["library/_suggestions.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = SuggestionForm(self.request.GET)
        text = form.cleaned_data.get("q", "") if form.is_valid() else ""
        context.update(
            form=form,
            q=text,
            suggestions=search_suggestions(text) if text else [],
        )
        return context


class OpenDataView(TemplateView):
    """What open data there is, its licence and its files; the DCAT-AP catalogue describes the same."""

    template_name = "library/open_data.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["datasets"] = list(opendata.DATASETS.values())
        context["license_url"] = opendata.LICENSE_URL
        return context


@method_decorator(public_page, name="dispatch")
class PracticeDetailView(DetailView):
    template_name = "library/practice_detail.html"
    context_object_name = "practice"

    def get_queryset(self):
        # Looked up through the public rule: a practice the public may not see is a 404 like a missing one.
        return public_practices().prefetch_related(
            "organisations",
            "municipalities__region",
            "counties",
            "themes",
            "target_groups",
            award_history_prefetch(),
            follow_ups_prefetch(),  # the follow-ups the organisation answered and staff approved
        )

    def get_object(self, queryset=None):
        # The description's text only with the nominator's consent (awards' description_public_condition).
        return withhold_descriptions([super().get_object(queryset)])[0]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["related"] = list(related_practices(self.object))
        context["canonical_url"] = self.request.build_absolute_uri(self.object.get_absolute_url())
        return context


def _place_cards(practices) -> list:
    """A place page's practices as cards, with their award history (award_history_of) and, as everywhere, only
    the description text the nominators consented to publish."""
    return withhold_descriptions(as_cards(list(practices_for_cards(practices, history=True))))


@method_decorator(public_page, name="dispatch")
class MunicipalityListView(ListView):
    template_name = "library/municipality_list.html"
    context_object_name = "municipalities"

    def get_queryset(self):
        public = public_practices().values("pk")
        return by_name(
            Municipality.objects.select_related("region").annotate(
                practice_count=Count("practices", filter=Q(practices__in=public))
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        municipalities = context["municipalities"]
        context["current"] = [m for m in municipalities if m.is_current]
        context["merged"] = [m for m in municipalities if not m.is_current]
        return context


@method_decorator(public_page, name="dispatch")
class MunicipalityDetailView(DetailView):
    template_name = "library/municipality_detail.html"
    slug_field = "code"
    slug_url_kwarg = "code"
    context_object_name = "municipality"

    def get_queryset(self):
        return Municipality.objects.select_related("region", "county")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        practices = _place_cards(public_practices().filter(municipalities=self.object))
        context["practices"] = practices
        context["award_history"] = award_history_of(practices)
        return context


@method_decorator(public_page, name="dispatch")
class CountyListView(ListView):
    template_name = "library/county_list.html"
    context_object_name = "counties"

    def get_queryset(self):
        return by_name(
            WellbeingServicesCounty.objects.annotate(
                practice_count=county_practice_count(),
                municipality_count=Count("municipalities", filter=Q(municipalities__last_year__isnull=True)),
            )
        )


@method_decorator(public_page, name="dispatch")
class CountyDetailView(DetailView):
    template_name = "library/county_detail.html"
    slug_field = "code"
    slug_url_kwarg = "code"
    context_object_name = "county"
    model = WellbeingServicesCounty

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        municipalities = list(by_name(self.object.municipalities.select_related("region")))
        practices = _place_cards(practices_in_county(self.object))
        context.update(
            municipalities=[m for m in municipalities if m.is_current],
            merged=[m for m in municipalities if not m.is_current],
            practices=practices,
            award_history=award_history_of(practices),
        )
        return context


@method_decorator(public_page, name="dispatch")
class RegionListView(ListView):
    template_name = "library/region_list.html"
    context_object_name = "regions"

    def get_queryset(self):
        return by_name(
            Region.objects.annotate(
                municipality_count=Count("municipalities", filter=Q(municipalities__last_year__isnull=True))
            )
        )


@method_decorator(public_page, name="dispatch")
class RegionDetailView(DetailView):
    template_name = "library/region_detail.html"
    slug_field = "code"
    slug_url_kwarg = "code"
    context_object_name = "region"
    model = Region

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        public = public_practices().values("pk")
        municipalities = list(
            by_name(
                self.object.municipalities.select_related("county").annotate(
                    practice_count=Count("practices", filter=Q(practices__in=public))
                )
            )
        )
        practices = _place_cards(practices_in_region(self.object))
        context.update(
            municipalities=[m for m in municipalities if m.is_current],
            merged=[m for m in municipalities if not m.is_current],
            counties=sorted(
                {m.county for m in municipalities if m.county and m.is_current},
                key=lambda c: name_sort_key(c.name),
            ),
            practices=practices,
            award_history=award_history_of(practices),
        )
        return context
