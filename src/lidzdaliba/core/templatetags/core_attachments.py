"""``{% attachments_list obj %}``: the images and documents attached to any object."""

from django import template

from lidzdaliba.core.services.attachments import attachments_of

register = template.Library()


@register.inclusion_tag("core/_attachments.html")
def attachments_list(target):
    """Thumbnails (linking to the full image, with their descriptions) and PDF links."""
    return {"attachments": list(attachments_of(target=target))}
