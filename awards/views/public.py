"""Public pages of the prize."""

from django.views.generic import TemplateView

from awards.models import Award, AwardCycle


class AboutView(TemplateView):
    template_name = "awards/about.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["award"] = Award.objects.order_by("pk").first()
        context["open_cycle"] = AwardCycle.objects.open_for_nominations().order_by("-year").first()
        return context
