"""Per-field translations of what staff write for reports (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Category, CategoryQuestion, Department, ResponseTemplate


@register(Department)
class DepartmentTranslation(TranslationOptions):
    fields = ("name",)


@register(Category)
class CategoryTranslation(TranslationOptions):
    fields = ("name", "description")


@register(CategoryQuestion)
class CategoryQuestionTranslation(TranslationOptions):
    fields = ("label", "help_text", "values")


@register(ResponseTemplate)
class ResponseTemplateTranslation(TranslationOptions):
    fields = ("title", "text")
