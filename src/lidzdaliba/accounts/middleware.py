from django.shortcuts import redirect
from django.urls import reverse


def needs_second_factor(user) -> bool:
    """Staff (admin access, staff groups) must have TOTP set up before using staff pages."""
    from allauth.mfa.models import Authenticator

    from lidzdaliba.accounts import roles

    if not user.is_authenticated:
        return False
    is_staff_role = (
        user.is_staff
        or user.is_superuser
        or user.groups.filter(name__in=roles.STAFF_GROUPS).exists()
    )
    if not is_staff_role:
        return False
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class StaffSecondFactorMiddleware:
    """Sends a staff user without a second factor to the TOTP set-up page before any staff
    page (the admin and ``/…/staff/``) is shown."""

    PROTECTED_PREFIXES = ("/admin/",)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if (path.startswith(self.PROTECTED_PREFIXES) or "/staff/" in path) and needs_second_factor(
            request.user
        ):
            return redirect(f"{reverse('mfa_activate_totp')}?next={path}")
        return self.get_response(request)
