"""Per-field translations of social-map content (HSDS has none; our profile adds them)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Location, Need, Provider, Service


@register(Need)
class NeedTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Provider)
class ProviderTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Location)
class LocationTranslation(TranslationOptions):
    fields = ("name", "transportation", "accessibility")


@register(Service)
class ServiceTranslation(TranslationOptions):
    fields = (
        "name",
        "description",
        "eligibility",
        "application_process",
        "required_documents",
        "fees_description",
    )
