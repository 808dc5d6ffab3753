"""Public pages of the practice library and the places. Only what awards' public_practices() allows is shown."""

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.views.generic import DetailView, ListView, TemplateView

from awards.selectors.publication import public_practices
from practices.localisation import by_name, name_sort_key
from practices.models import Municipality, Region, WellbeingServicesCounty

from .forms import LibraryFilterForm
from .selectors import (
    award_history_of,
    award_history_prefetch,
    county_practice_count,
    facet_counts,
    practices_for_listing,
    practices_in_county,
    practices_in_region,
    related_practices,
    render_headline,
    search_practices,
)

PAGE_SIZE = 20


class LibraryView(TemplateView):
    """The library: search, filters with counts, paginated results. A constant number of queries per page."""

    template_name = "library/library.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Always bound: an empty query string is a valid search for everything.
        form = LibraryFilterForm(self.request.GET)
        filters = form.filters()
        counts = facet_counts(filters)
        form.set_counts(counts, filters)
        results = practices_for_listing(search_practices(filters))
        # get_page() answers any page number: not a number gives the first page, too large the last one.
        page = Paginator(results, PAGE_SIZE).get_page(self.request.GET.get("page"))
        for practice in page.object_list:
            practice.snippet = render_headline(practice.headline) if filters.q else ""
        context.update(
            form=form,
            filters=filters,
            page_obj=page,
            practices=page.object_list,
            is_filtered=any(v for v in vars(filters).values()),
        )
        return context


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
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["related"] = list(related_practices(self.object))
        context["canonical_url"] = self.request.build_absolute_uri(self.object.get_absolute_url())
        return context


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


class MunicipalityDetailView(DetailView):
    template_name = "library/municipality_detail.html"
    slug_field = "code"
    slug_url_kwarg = "code"
    context_object_name = "municipality"

    def get_queryset(self):
        return Municipality.objects.select_related("region", "county")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        practices = list(practices_for_listing(public_practices().filter(municipalities=self.object)))
        context["practices"] = practices
        context["award_history"] = award_history_of(practices)
        return context


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


class CountyDetailView(DetailView):
    template_name = "library/county_detail.html"
    slug_field = "code"
    slug_url_kwarg = "code"
    context_object_name = "county"
    model = WellbeingServicesCounty

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        municipalities = list(by_name(self.object.municipalities.select_related("region")))
        practices = list(practices_for_listing(practices_in_county(self.object)))
        context.update(
            municipalities=[m for m in municipalities if m.is_current],
            merged=[m for m in municipalities if not m.is_current],
            practices=practices,
            award_history=award_history_of(practices),
        )
        return context


class RegionListView(ListView):
    template_name = "library/region_list.html"
    context_object_name = "regions"

    def get_queryset(self):
        return by_name(
            Region.objects.annotate(
                municipality_count=Count("municipalities", filter=Q(municipalities__last_year__isnull=True))
            )
        )


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
        practices = list(practices_for_listing(practices_in_region(self.object)))
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
