"""Role names. Resident, verified resident and organisation representative follow from data
(an account, a valid residency, a membership); the staff roles are Django groups."""

MODERATORS = "moderators"
ADMINISTRATORS = "administrators"
OFFICER_PREFIX = "officers:"

# Modules an officer can be responsible for; each has its own group "officers:<module>".
MODULES = (
    "budgeting",
    "reports",
    "petitions",
    "socialmap",
    "grants",
    "councils",
    "consultations",
    "community",
    "insights",
)


def officer_group(module: str) -> str:
    if module not in MODULES:
        raise ValueError(f"Unknown module {module!r}")
    return f"{OFFICER_PREFIX}{module}"


STAFF_GROUPS = (MODERATORS, ADMINISTRATORS, *(officer_group(m) for m in MODULES))
