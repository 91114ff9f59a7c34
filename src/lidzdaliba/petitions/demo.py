"""Liepāja demo data: three collective submissions at different stages (collecting
signatures, sent to the municipality and waiting for the answer, answered), signed by
made-up residents. Idempotent: running it again refreshes, never duplicates.

The demo's verified residents (Anna, Pēteris) have not signed, so a visitor can try signing.
"""

from __future__ import annotations

import datetime as dt
import random

from django.conf import settings
from django.db import transaction
from django.utils import timezone

import personalcode

from . import crypto
from .models import CollectiveSubmission, Decision, Signature, Status
from .services import add_months

FIRST_NAMES = [
    "Anna", "Jānis", "Marta", "Pēteris", "Ilze", "Andris", "Līga", "Kristaps", "Olga",
    "Dmitrijs", "Inese", "Edgars", "Laura", "Mārtiņš", "Elīna", "Rūdolfs", "Santa", "Aivars",
]  # fmt: skip
LAST_NAMES = [
    "Bērziņš", "Kalniņa", "Ozola", "Liepiņš", "Krūmiņa", "Jansons", "Vītola", "Ivanovs",
    "Kļaviņa", "Zariņš", "Petrova", "Balodis", "Siliņa", "Grīnbergs", "Eglīte", "Lācis",
]  # fmt: skip

SUBMISSIONS = [
    {
        "key": "signing",
        "title": "Droša gājēju pāreja pie Karostas vidusskolas",
        "demand": (
            "Lūdzam Liepājas valstspilsētas pašvaldību līdz nākamā mācību gada sākumam "
            "izbūvēt apgaismotu, paaugstinātu gājēju pāreju Atmodas bulvārī pie Karostas "
            "vidusskolas un uzstādīt ātruma displeju."
        ),
        "justification": (
            "Katru rītu ielu šķērso vairāk nekā 300 skolēnu. Automašīnas brauc ātri, un "
            "ziemā pāreja ir slikti redzama. Pēdējā gadā notikuši divi bīstami starpgadījumi."
        ),
        "representative_name": "Marta Ozola",
        "representative_email": "ngo@liepaja.example",
        "representative_phone": "+371 26 000 001",
        "signatures": 212,
    },
    {
        "key": "sent",
        "title": "Suņu pastaigu laukums Ezerkrastā",
        "demand": (
            "Lūdzam ierīkot iežogotu suņu pastaigu laukumu Ezerkrasta apkaimē, Liepājas "
            "ezera krasta parka ziemeļu daļā, ar apgaismojumu, soliņiem un atkritumu urnām."
        ),
        "justification": (
            "Ezerkrastā dzīvo daudz suņu īpašnieku, bet tuvākais laukums ir vairāk nekā "
            "trīs kilometru attālumā. Laukums mazinātu konfliktus parkā un pludmalē."
        ),
        "representative_name": "Pēteris Kalniņš",
        "representative_email": "peteris@liepaja.example",
        "representative_phone": "",
        "signatures": None,  # the threshold
    },
    {
        "key": "answered",
        "title": "Svētdienas autobuss uz Ziemeļu kapiem",
        "demand": (
            "Lūdzam svētdienās un svētku dienās noteikt papildu autobusa reisus no pilsētas "
            "centra uz Ziemeļu kapiem vismaz reizi stundā no plkst. 9 līdz 17."
        ),
        "justification": (
            "Daudzi seniori kapus apmeklē svētdienās, bet pašreizējais kustības saraksts "
            "paredz tikai trīs reisus dienā, un pieturās jāgaida ilgi."
        ),
        "representative_name": "Olga Ivanova",
        "representative_email": "olga@liepaja.example",
        "representative_phone": "+371 26 000 003",
        "signatures": None,
        "answer": (
            "Dome 2026. gada sēdē nolēma no 1. jūnija svētdienās un svētku dienās ieviest "
            "papildu reisus uz Ziemeļu kapiem ik pēc 90 minūtēm no plkst. 9 līdz 17. Reisu "
            "noslodzi izvērtēs pēc sešiem mēnešiem."
        ),
        "decision": Decision.PARTLY_GRANTED,
    },
]


def _synthetic_signers(count: int, *, seed: int) -> list[tuple[str, str, str]]:
    """``count`` made-up signers: (name, surname, valid personal code)."""
    from lidzdaliba.core.demo.load import personal_code_with_check_digit

    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    rows = []
    for i in range(count):
        born = dt.date(1945, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 62))
        century = "1" if born.year < 2000 else "2"
        code = personal_code_with_check_digit(f"{born:%d%m%y}{century}{(i + seed) % 1000:03d}")
        rows.append((rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES), code))
    return rows


def _fill_signatures(submission, count: int, *, seed: int, start: dt.datetime) -> None:
    if Signature.objects.filter(submission=submission).count() == count:
        return
    Signature.objects.filter(submission=submission).delete()
    from lidzdaliba.core.demo.load import DEMO_CENSUS

    key = settings.PERSONAL_CODE_HMAC_KEY
    # The demo's own residents stay free to sign.
    seen = {personalcode.identity_key(code, key=key) for code, _slug, _born in DEMO_CENSUS}
    signatures = []
    for index, (first, last, code) in enumerate(_synthetic_signers(count * 2, seed=seed)):
        identity = personalcode.identity_key(code, key=key)
        if identity in seen:
            continue
        seen.add(identity)
        signatures.append(
            Signature(
                submission=submission,
                identity_key=identity,
                declared_eligible=True,
                signed_at=start + dt.timedelta(minutes=37 * index),
                signer_data=crypto.encrypt(crypto.SignerData(first, last, code)),
            )
        )
        if len(signatures) == count:
            break
    Signature.objects.bulk_create(signatures, batch_size=500)


@transaction.atomic
def load_petitions_demo(municipality) -> list[CollectiveSubmission]:
    """The three demo submissions of ``municipality``; returns them."""
    from lidzdaliba.accounts.models import User

    now = timezone.now()
    threshold = municipality.collective_submission_threshold
    authors = {u.email: u for u in User.objects.filter(email__endswith="@liepaja.example")}
    loaded = []
    for seed, spec in enumerate(SUBMISSIONS, start=1):
        count = spec["signatures"] or threshold
        fields = {
            k: spec[k]
            for k in (
                "demand",
                "justification",
                "representative_name",
                "representative_email",
                "representative_phone",
            )
        }
        fields.update(
            author=authors.get(spec["representative_email"]),
            threshold=threshold,
            signature_count=count,
            submitted_at=None,
            refused_at=None,
            refusal_reason="",
            sent_at=None,
            closed_at=None,
            answer_due_on=None,
            answered_at=None,
            answer="",
            decision="",
            signer_data_purged_at=None,
        )
        if spec["key"] == "signing":
            published = now - dt.timedelta(days=40)
            fields.update(
                status=Status.SIGNING,
                signing_ends_on=timezone.localdate() + dt.timedelta(days=140),
            )
        elif spec["key"] == "sent":
            published = now - dt.timedelta(days=75)
            sent = now - dt.timedelta(days=12)
            fields.update(
                status=Status.SENT,
                signing_ends_on=timezone.localdate(published) + dt.timedelta(days=180),
                sent_at=sent,
                answer_due_on=add_months(timezone.localdate(sent), 3),
            )
        else:
            published = now - dt.timedelta(days=220)
            sent = now - dt.timedelta(days=130)
            fields.update(
                status=Status.ANSWERED,
                signing_ends_on=timezone.localdate(published) + dt.timedelta(days=180),
                sent_at=sent,
                answer_due_on=add_months(timezone.localdate(sent), 3),
                answered_at=now - dt.timedelta(days=65),
                answer=spec["answer"],
                decision=spec["decision"],
            )
        fields.update(published_at=published, submitted_at=published - dt.timedelta(days=3))
        submission, _created = CollectiveSubmission.objects.update_or_create(
            municipality=municipality, title=spec["title"], defaults=fields
        )
        _fill_signatures(submission, count, seed=seed * 1000, start=published)
        loaded.append(submission)
    return loaded
