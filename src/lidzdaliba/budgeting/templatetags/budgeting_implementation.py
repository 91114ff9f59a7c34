"""``{% implementation_section idea as section %}``: what the idea page shows about a funded
project's implementation (``None`` when it has none)."""

from django import template

from lidzdaliba.budgeting.selectors.implementation import implementation_section as _section

register = template.Library()


@register.simple_tag
def implementation_section(idea):
    if idea is None or getattr(idea, "pk", None) is None:
        return None
    return _section(idea=idea)
