"""Per-field translations of what officers write about a cycle."""

from modeltranslation.translator import TranslationOptions, register

from .models import Category, Cycle, Theme


@register(Cycle)
class CycleTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Category)
class CategoryTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Theme)
class ThemeTranslation(TranslationOptions):
    fields = ("name",)
