from django import template

from lidzdaliba.core.money import format_money

register = template.Library()


@register.filter
def money(cents):
    """``{{ project.cost_cents|money }}`` → ``184 937,53 €`` (in lv)."""
    return format_money(cents)
