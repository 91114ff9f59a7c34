"""Liepāja demo data for reports: departments, categories with extra questions, routing,
response templates, and a few hundred reports over the last year in every status.

``load_reports_setup`` (idempotent) is what a new municipality needs; ``load_reports_demo``
adds the reports themselves (only once: it skips when reports exist).
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from .models import (
    Category,
    CategoryQuestion,
    Department,
    Report,
    ReportEvent,
    ResponseTemplate,
    RoutingRule,
    Status,
    Supporter,
)

DEPARTMENTS = [
    # slug, lv, en
    ("roads", "Ceļu un satiksmes nodaļa", "Roads and Traffic Department"),
    ("lighting", "Ielu apgaismojuma dienests", "Street Lighting Service"),
    ("environment", "Vides un labiekārtošanas nodaļa", "Environment and Amenities Department"),
    ("police", "Pašvaldības policija", "Municipal Police"),
    ("accessibility", "Pieejamās vides koordinators", "Accessible Environment Coordinator"),
    ("karosta-management", "Karostas apsaimniekošana", "Karosta Maintenance"),
]

SIZE = [
    {"key": "small", "name_lv": "Maza (līdz 20 cm)", "name_en": "Small (up to 20 cm)"},
    {"key": "medium", "name_lv": "Vidēja (20–50 cm)", "name_en": "Medium (20–50 cm)"},
    {"key": "large", "name_lv": "Liela (vairāk par 50 cm)", "name_en": "Large (over 50 cm)"},
]
LAMP = [
    {"key": "off", "name_lv": "Nedeg", "name_en": "Not lit"},
    {"key": "flicker", "name_lv": "Mirgo", "name_en": "Flickering"},
    {"key": "day", "name_lv": "Deg dienā", "name_en": "Lit in daytime"},
]
AFFECTED = [
    {"key": "wheelchair", "name_lv": "Ratiņkrēsla lietotāji", "name_en": "Wheelchair users"},
    {"key": "pram", "name_lv": "Cilvēki ar bērnu ratiem", "name_en": "People with prams"},
    {
        "key": "blind",
        "name_lv": "Neredzīgi un vājredzīgi",
        "name_en": "Blind and partially sighted",
    },
]

# code, lv, en, ru, uk, department, radius m, due days, questions
CATEGORIES = [
    (
        "pothole",
        "Bedre ceļā",
        "Pothole",
        "Выбоина",
        "Вибоїна",
        "roads",
        50,
        14,
        [
            (
                "size",
                "Cik liela ir bedre?",
                "How large is the pothole?",
                "singlevaluelist",
                True,
                SIZE,
            )
        ],
    ),
    (
        "street-lighting",
        "Ielu apgaismojums",
        "Street lighting",
        "Уличное освещение",
        "Вуличне освітлення",
        "lighting",
        30,
        7,
        [
            (
                "lamp",
                "Kas notiek ar laternu?",
                "What is wrong with the lamp?",
                "singlevaluelist",
                True,
                LAMP,
            ),
            ("pole", "Staba numurs (ja redzams)", "Pole number (if visible)", "string", False, []),
        ],
    ),
    ("waste", "Atkritumi", "Waste", "Мусор", "Сміття", "environment", 50, 5, []),
    (
        "greenery",
        "Apstādījumi",
        "Greenery",
        "Зелёные насаждения",
        "Зелені насадження",
        "environment",
        50,
        21,
        [],
    ),
    (
        "playground",
        "Rotaļu laukums",
        "Playground",
        "Детская площадка",
        "Дитячий майданчик",
        "environment",
        30,
        10,
        [
            (
                "danger",
                "Vai tas ir bīstami bērniem?",
                "Is it dangerous for children?",
                "singlevaluelist",
                False,
                [
                    {"key": "yes", "name_lv": "Jā", "name_en": "Yes"},
                    {"key": "no", "name_lv": "Nē", "name_en": "No"},
                ],
            )
        ],
    ),
    (
        "snow-ice",
        "Sniegs un ledus",
        "Snow and ice",
        "Снег и лёд",
        "Сніг і лід",
        "roads",
        100,
        2,
        [],
    ),
    (
        "traffic-sign",
        "Ceļa zīme",
        "Traffic sign",
        "Дорожный знак",
        "Дорожній знак",
        "roads",
        30,
        7,
        [],
    ),
    ("vandalism", "Vandālisms", "Vandalism", "Вандализм", "Вандалізм", "police", 50, 14, []),
    (
        "accessibility",
        "Piekļūstamības barjera",
        "Accessibility barrier",
        "Барьер доступности",
        "Бар'єр доступності",
        "accessibility",
        50,
        30,
        [("affected", "Kam tas traucē?", "Who does it stop?", "multivaluelist", False, AFFECTED)],
    ),
    ("other", "Cits", "Other", "Другое", "Інше", None, 50, 14, []),
]

TEMPLATES = [
    (
        "resolved",
        "Salabots",
        "Fixed",
        "Paldies par ziņojumu! Problēma ir novērsta.",
        "Thank you for the report! It has been fixed.",
    ),
    (
        "not_ours",
        "Nav pašvaldības atbildībā",
        "Not the municipality's responsibility",
        "Šī vieta nav pašvaldības atbildībā; ziņojums pārsūtīts īpašniekam.",
        "This place is not the municipality's responsibility; the report was passed to its owner.",
    ),
    (
        "in_progress",
        "Darbi ieplānoti",
        "Work scheduled",
        "Darbi ir ieplānoti tuvāko nedēļu laikā.",
        "The work is scheduled within the next weeks.",
    ),
]

DESCRIPTIONS = {
    "pothole": [
        "Dziļa bedre brauktuvē pie krustojuma.",
        "Bedre pie autobusa pieturas, ūdens stāv.",
        "Asfalts izdrupis gar ietves malu.",
    ],
    "street-lighting": [
        "Laterna nedeg jau nedēļu.",
        "Vairākas laternas mirgo visu nakti.",
        "Gaisma deg arī dienā.",
    ],
    "waste": [
        "Pārpildīts atkritumu konteiners.",
        "Izmestas vecas mēbeles pie koplietošanas konteineriem.",
        "Atkritumi parkā pie soliņiem.",
    ],
    "greenery": [
        "Nolūzis koka zars virs ietves.",
        "Zāle nav pļauta, aizsedz redzamību.",
        "Krūmi aizaug gājēju celiņu.",
    ],
    "playground": [
        "Salauztas šūpoles.",
        "Smilšu kastē stikla lauskas.",
        "Slidkalniņam vaļīga skrūve.",
    ],
    "snow-ice": [
        "Ietve nav notīrīta, ļoti slidens.",
        "Ledus uz gājēju pārejas.",
        "Sniega vaļņi aizsedz pieturu.",
    ],
    "traffic-sign": ["Ceļa zīme nogāzta.", "Zīmi aizsedz koku zari.", "Apzīmējums izbalējis."],
    "vandalism": ["Apgleznota pieturas siena.", "Izsists stikls pieturā.", "Sabojāts soliņš."],
    "accessibility": [
        "Augsta apmale, ratiņkrēslam nevar uzbraukt.",
        "Trūkst taktilā marķējuma pie pārejas.",
        "Ieeja iestādē tikai pa kāpnēm.",
        "Ietvi aizšķērso automašīnas, ar ratiem nevar paiet garām.",
    ],
    "other": ["Nav skaidrs, kam ziņot: bojāts žogs.", "Klaiņojoši suņi pie skolas."],
}


@transaction.atomic
def load_reports_setup(municipality) -> dict[str, Category]:
    """Departments, categories, questions, one routing rule and templates (idempotent)."""
    departments = {}
    for slug, lv, en in DEPARTMENTS:
        departments[slug], _ = Department.objects.update_or_create(
            municipality=municipality, slug=slug, defaults={"name_lv": lv, "name_en": en}
        )
    categories = {}
    for order, (code, lv, en, ru, uk, dept, radius, due, questions) in enumerate(CATEGORIES):
        category, _ = Category.objects.update_or_create(
            municipality=municipality,
            code=code,
            defaults={
                "name_lv": lv,
                "name_en": en,
                "name_ru": ru,
                "name_uk": uk,
                "group": departments[dept].slug if dept else "",
                "department": departments.get(dept),
                "duplicate_radius_m": radius,
                "due_days": due,
                "order": order,
            },
        )
        for q_order, (q_code, q_lv, q_en, datatype, required, values) in enumerate(questions, 1):
            CategoryQuestion.objects.update_or_create(
                category=category,
                code=q_code,
                defaults={
                    "label_lv": q_lv,
                    "label_en": q_en,
                    "datatype": datatype,
                    "required": required,
                    "order": q_order,
                    "values_lv": [{"key": v["key"], "name": v["name_lv"]} for v in values],
                    "values_en": [{"key": v["key"], "name": v["name_en"]} for v in values],
                },
            )
        categories[code] = category
    karosta = municipality.neighbourhoods.filter(slug="karosta").first()
    if karosta:
        RoutingRule.objects.update_or_create(
            municipality=municipality,
            category=categories["waste"],
            neighbourhood=karosta,
            defaults={"department": departments["karosta-management"]},
        )
    for status, t_lv, t_en, text_lv, text_en in TEMPLATES:
        ResponseTemplate.objects.update_or_create(
            municipality=municipality,
            title_lv=t_lv,
            defaults={"title_en": t_en, "text_lv": text_lv, "text_en": text_en, "status": status},
        )
    return categories


def _random_point(rng, neighbourhood) -> tuple[float, float]:
    (ring,) = neighbourhood.boundary["coordinates"][:1]
    lons = [p[0] for p in ring]
    lats = [p[1] for p in ring]
    return (
        round(rng.uniform(min(lats) + 0.001, max(lats) - 0.001), 6),
        round(rng.uniform(min(lons) + 0.001, max(lons) - 0.001), 6),
    )


@transaction.atomic
def load_reports_demo(municipality, *, count: int = 320, seed: int = 311) -> int:
    """A year of realistic reports; returns how many were created (0 when already loaded).

    Written directly (not through the services) so that the history can lie in the past;
    every report still gets its timeline."""
    categories = load_reports_setup(municipality)
    if Report.objects.filter(municipality=municipality).exists():
        return 0
    rng = random.Random(seed)  # noqa: S311 - demo data
    neighbourhoods = list(municipality.neighbourhoods.all())
    weights = [n.population or 1 for n in neighbourhoods]
    codes = list(categories)
    code_weights = [14, 10, 12, 8, 5, 8, 5, 6, 9, 3]
    now = timezone.now()
    from .services import department_for

    created = 0
    for i in range(count):
        category = categories[rng.choices(codes, code_weights)[0]]
        neighbourhood = rng.choices(neighbourhoods, weights)[0]
        lat, lon = _random_point(rng, neighbourhood)
        age_days = rng.uniform(0, 365)
        created_at = now - dt.timedelta(days=age_days)
        roll = rng.random()
        if age_days < 10:
            status = rng.choice([Status.RECEIVED, Status.ASSIGNED, Status.IN_PROGRESS])
        elif roll < 0.62:
            status = Status.RESOLVED
        elif roll < 0.72:
            status = rng.choice([Status.NOT_OURS, Status.DUPLICATE, Status.CANNOT_FIX])
        else:
            status = rng.choice([Status.ASSIGNED, Status.IN_PROGRESS])
        answers = {}
        for q in category.questions.all():
            if q.values and (q.required or rng.random() < 0.5):
                keys = [v["key"] for v in q.values]
                answers[q.code] = (
                    [rng.choice(keys)] if q.datatype == "multivaluelist" else (rng.choice(keys))
                )
        days_to_fix = min(rng.lognormvariate(2.0, 0.8), age_days)
        resolved_at = created_at + dt.timedelta(days=days_to_fix)
        report = Report.objects.create(
            municipality=municipality,
            category=category,
            neighbourhood=neighbourhood,
            lat=lat,
            lon=lon,
            description=rng.choice(DESCRIPTIONS[category.code]),
            answers=answers,
            status=status,
            department=department_for(category=category, neighbourhood=neighbourhood),
            reporter_email=f"iedzivotajs{i}@example.lv" if rng.random() < 0.6 else "",
            due_at=created_at + dt.timedelta(days=category.due_days),
            support_count=0,
            public_reply=(
                "Paldies! Problēma novērsta."
                if status == Status.RESOLVED
                else "Paldies par ziņojumu."
                if status not in (Status.RECEIVED, Status.ASSIGNED, Status.IN_PROGRESS)
                else ""
            ),
            resolved_at=resolved_at if status == Status.RESOLVED else None,
            closed_at=resolved_at
            if status in (Status.NOT_OURS, Status.DUPLICATE, Status.CANNOT_FIX)
            else None,
        )
        Report.objects.filter(pk=report.pk).update(created_at=created_at, updated_at=resolved_at)
        ReportEvent.objects.create(
            report=report, kind=ReportEvent.Kind.CREATED, status=Status.RECEIVED
        )
        if status != Status.RECEIVED:
            ReportEvent.objects.create(
                report=report,
                kind=ReportEvent.Kind.STATUS,
                status=status,
                text=report.public_reply,
            )
        supporters = rng.choice([0, 0, 0, 1, 2, 4])
        for s in range(supporters):
            Supporter.objects.create(report=report, email=f"atbalsts{i}-{s}@example.lv")
        if supporters:
            Report.objects.filter(pk=report.pk).update(support_count=supporters)
        ReportEvent.objects.filter(report=report).update(created_at=created_at)
        created += 1
    return created
