from django import template
from django.utils import timezone
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hsds_profile import hours

from ..validation import LANGUAGE_NAMES

register = template.Library()


@register.filter
def opening_hours(service) -> str:
    """The service's hours with localised day names ("Mon–Fri 09:00–17:00; Sat …")."""
    openings = service.openings
    if not openings:
        return _("By appointment or as announced")
    names = tuple(str(WEEKDAYS_ABBR[i]) for i in range(7))
    return hours.format_hours(openings, day_names=names).replace("-", "–")


@register.filter
def opening_rows(service) -> list[tuple[str, str]]:
    """``(day name, "09:00–17:00, 18:00–20:00")`` for each day with hours."""
    rows: dict[int, list[str]] = {}
    for opening in service.openings:
        rows.setdefault(opening.weekday, []).append(f"{opening.opens:%H:%M}–{opening.closes:%H:%M}")
    return [(str(WEEKDAYS[day]), ", ".join(times)) for day, times in sorted(rows.items())]


@register.filter
def open_now(service) -> bool:
    return service.status == "active" and hours.is_open(
        service.openings, timezone.localtime().replace(tzinfo=None)
    )


@register.filter
def language_names(service) -> str:
    return ", ".join(LANGUAGE_NAMES.get(code, code) for code in service.language_list)


@register.filter
def ages(service) -> str:
    low, high = service.minimum_age, service.maximum_age
    if low is not None and high is not None:
        return _("aged %(low)d to %(high)d") % {"low": low, "high": high}
    if low is not None:
        return ngettext("from %(n)d year old", "from %(n)d years old", low) % {"n": low}
    if high is not None:
        return ngettext("up to %(n)d year old", "up to %(n)d years old", high) % {"n": high}
    return ""


@register.filter
def field_label(key: str) -> str:
    """A proposal's field name as people read it: ``"name_lv"`` → ``"Name (lv)"``."""
    from django.conf import settings
    from django.core.exceptions import FieldDoesNotExist

    from ..models import Location, Provider, Service

    base, _sep, lang = key.rpartition("_")
    languages = {code for code, _name in settings.LANGUAGES}
    if lang not in languages:
        base, lang = key, ""
    for model in (Service, Location, Provider):
        try:
            label = str(model._meta.get_field(base).verbose_name)
        except FieldDoesNotExist:
            continue
        label = label[:1].upper() + label[1:]
        return f"{label} ({lang})" if lang else label
    return key
