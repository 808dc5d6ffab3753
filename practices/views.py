"""Public views of practices and places. Only what Practice.objects.public() allows is shown."""

from django.views.generic import DetailView

from .models import Municipality, Practice, Region, WellbeingServicesCounty


class PracticeDetailView(DetailView):
    template_name = "practices/practice_detail.html"
    context_object_name = "practice"

    def get_queryset(self):
        return Practice.objects.public().prefetch_related("organisations", "municipalities", "themes")


class MunicipalityDetailView(DetailView):
    template_name = "practices/municipality_detail.html"
    slug_field = "code"
    slug_url_kwarg = "code"
    context_object_name = "municipality"

    def get_queryset(self):
        return Municipality.objects.select_related("region", "county")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["practices"] = Practice.objects.public().filter(municipalities=self.object)
        return context


class CountyDetailView(DetailView):
    template_name = "practices/county_detail.html"
    slug_field = "code"
    slug_url_kwarg = "code"
    context_object_name = "county"
    model = WellbeingServicesCounty

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["municipalities"] = self.object.municipalities.current()
        context["practices"] = Practice.objects.public().filter(counties=self.object)
        return context


class RegionDetailView(DetailView):
    template_name = "practices/region_detail.html"
    slug_field = "code"
    slug_url_kwarg = "code"
    context_object_name = "region"
    model = Region

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["municipalities"] = self.object.municipalities.current()
        return context
