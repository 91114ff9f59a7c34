"""Per-field translations of content that staff write (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Municipality, Neighbourhood, SdgGoal, SdgTarget


@register(Municipality)
class MunicipalityTranslation(TranslationOptions):
    fields = ("name", "place_name", "introduction", "accessibility_statement", "privacy_notice")


@register(Neighbourhood)
class NeighbourhoodTranslation(TranslationOptions):
    fields = ("name", "description")


@register(SdgGoal)
class SdgGoalTranslation(TranslationOptions):
    fields = ("name",)


@register(SdgTarget)
class SdgTargetTranslation(TranslationOptions):
    fields = ("title",)
