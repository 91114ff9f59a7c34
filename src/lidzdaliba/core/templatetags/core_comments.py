"""``{% comments_section obj %}``: the comment section of any commentable object."""

from django import template
from django.template.loader import render_to_string

register = template.Library()


@register.simple_tag(takes_context=True)
def comments_section(context, target):
    """Render ``core/_comments.html#comments`` for ``target`` (registered with
    ``core.services.comment_target_register``)."""
    from lidzdaliba.core.services.comments import comments_visible
    from lidzdaliba.core.views_social import comments_context

    request = context["request"]
    if not comments_visible(user=request.user, target=target):
        return ""
    return render_to_string(
        "core/_comments.html#comments", comments_context(request, target), request=request
    )
