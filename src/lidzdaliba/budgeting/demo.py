"""Participatory-budget demo data: Liepāja 2025 as the source documents report it, a cycle
in its voting phase and one in idea submission.

``load_budgeting(municipality)`` is idempotent (a cycle that exists is left alone) and quick
(bulk inserts). The 2025 cycle reproduces ../shared/seeds/README.md exactly:

* 43 ideas: 35 infrastructure ideas in the source's seven themes (sports and playgrounds 6,
  active recreation 7, dog-walking areas 4, parks 2, urban improvement 9, environmental
  objects 4, other 3) and 8 event ideas (events for target groups 4, social services 2,
  cultural event 1, volunteer-work accounting system 1);
* 31 on the ballot (24 infrastructure, 7 events); the rest rejected or merged with a public
  reason;
* voting 19.05.2025–01.06.2025, one project per category on a ballot, 6 129 ballots: 5 467
  in infrastructure, 662 in events; top projects a dog-training ground (584 votes) and an
  outdoor activity day in Raiņa park (187 votes);
* counted by the real count (``services.tally``, greedy by votes): 6 infrastructure projects
  funded for 184 937,53 € and 6 event projects for 50 264,00 €; 22 024,47 € reserve (total
  257 226,00 €). Each category's money is exactly the cost of its winners, and the fifth
  infrastructure project by votes (a skatepark, 48 600 €) did not fit the 24 097,53 € left
  at its turn, so the sixth and seventh were funded instead.

The simulated ballots have random identity keys (not HMACs of any real personal code),
receipt codes in the real format, and neighbourhoods and age bands spread like the city's
population. The demo residents Anna and Pēteris cast one of them each.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from .models import (
    Ballot,
    BallotChoice,
    Category,
    CostLine,
    Cycle,
    CycleStatus,
    Idea,
    IdeaFollow,
    IdeaReview,
    IdeaStatus,
    Implementation,
    ImplementationUpdate,
    MaintenanceCost,
    PhaseChange,
    Theme,
)

RIGA = ZoneInfo("Europe/Riga")
EURO = 100
SLUG_2025, SLUG_2026, SLUG_2027 = "2025", "2026", "2027"

# The source's figures (tests check the loaded data against these).
FIGURES_2025 = {
    "ideas": 43,
    "infrastructure_ideas": 35,
    "event_ideas": 8,
    "on_ballot": 31,
    "ballots": 6129,
    "infrastructure_ballots": 5467,
    "event_ballots": 662,
    "infrastructure_funded": 6,
    "infrastructure_funded_cents": 184_937_53,
    "events_funded": 6,
    "events_funded_cents": 50_264_00,
    "reserve_cents": 22_024_47,
    "total_cents": 257_226_00,
    "top_infrastructure_votes": 584,
    "top_event_votes": 187,
}

# (key, category, lv, en, source count)
THEMES = [
    ("sports", "infra", "Sporta un rotaļu laukumi", "Sports and playgrounds", 6),
    ("active", "infra", "Aktīvās atpūtas infrastruktūra", "Active recreation infrastructure", 7),
    ("dogs", "infra", "Suņu pastaigu laukumi", "Dog-walking areas", 4),
    ("parks", "infra", "Parki", "Parks", 2),
    ("urban", "infra", "Pilsētvides labiekārtošana", "Urban improvement", 9),
    ("environment", "infra", "Vides objekti", "Environmental objects", 4),
    ("other", "infra", "Citi", "Other", 3),
    ("target", "events", "Pasākumi mērķgrupām", "Events for target groups", 4),
    ("social", "events", "Sociālie pakalpojumi", "Social services", 2),
    ("culture", "events", "Kultūras pasākums", "Cultural event", 1),
    (
        "volunteer",
        "events",
        "Brīvprātīgā darba uzskaites sistēma",
        "Volunteer-work accounting system",
        1,
    ),
]

# Outcome codes: ("ballot", votes) | ("rejected", reason) | ("merged", key of the other idea)
# (key, theme, title, summary, place, (lat, lon), cost €, outcome)
IDEAS_2025: list[tuple[str, str, str, str, str, tuple[float, float], float, tuple]] = [
    # --- sports and playgrounds (6)
    (
        "karosta-playground",
        "sports",
        "Bērnu rotaļu laukums Karostā, Atmodas bulvārī",
        "Jauns, drošs rotaļu laukums ar šūpolēm, kāpelēm un smilšu kasti bērniem līdz "
        "12 gadiem Karostas centrā, kur tuvumā rotaļu laukuma nav.",
        "Atmodas bulvāris, Karosta",
        (56.5530, 20.9930),
        44_870.00,
        ("ballot", 463),
    ),
    (
        "beach-volleyball",
        "sports",
        "Pludmales volejbola laukumi pie Dienvidu mola",
        "Divi pludmales volejbola laukumi ar tīkliem un smilšu atjaunošanu, pieejami visiem "
        "bez maksas no maija līdz septembrim.",
        "Pludmale pie Dienvidu mola",
        (56.5080, 20.9850),
        21_400.00,
        ("ballot", 205),
    ),
    (
        "ezerkrasts-basketball",
        "sports",
        "Basketbola laukuma atjaunošana Ezerkrastā",
        "Nolietotā basketbola laukuma jauns segums, grozi un soliņi skatītājiem starp "
        "Ezerkrasta daudzdzīvokļu namiem.",
        "Ezerkrasts, starp Ezera ielas namiem",
        (56.5200, 21.0700),
        27_950.00,
        ("ballot", 172),
    ),
    (
        "zala-birzs-playground",
        "sports",
        "Piekļūstams rotaļu laukums Zaļajā birzī",
        "Rotaļu elementi, ko var izmantot arī bērni ratiņkrēslā: šūpoles-ligzda, "
        "smilšu galds augstumā un gumijas segums.",
        "Zaļā birzs, pie Ziemeļu ielas",
        (56.4830, 21.0550),
        33_600.00,
        ("ballot", 81),
    ),
    (
        "school-goals",
        "sports",
        "Futbola vārti un tīkli skolu pagalmos",
        "Jauni futbola vārti un tīkli trīs skolu pagalmos, lai bērni var spēlēt arī pēc stundām.",
        "Skolu pagalmi Jaunliepājā",
        (56.5190, 21.0300),
        12_300.00,
        (
            "rejected",
            "Skolu pagalmi nav brīvi pieejami visiem iedzīvotājiem visu diennakti, un to "
            "aprīkojumu plāno izglītības iestāžu budžetā; ideja nodota Izglītības pārvaldei.",
        ),
    ),
    (
        "skatepark",
        "sports",
        "Skeitparka paplašināšana Jaunliepājā",
        "Jauni betona elementi (bowl un rampas) esošajam skeitparkam, lai tajā var trenēties "
        "gan iesācēji, gan pieredzējuši braucēji.",
        "Skeitparks pie Liepājas Olimpiskā centra",
        (56.5250, 21.0380),
        48_600.00,
        ("ballot", 376),
    ),
    # --- active recreation infrastructure (7)
    (
        "tosmare-workout",
        "active",
        "Ielu vingrošanas laukums Tosmarē",
        "Āra vingrošanas (street workout) laukums ar stieņiem, līdztekām un trenažieriem "
        "visām paaudzēm, ar nojumi un apgaismojumu.",
        "Tosmare, pie Tosmares ezera",
        (56.5560, 21.0750),
        47_380.00,
        ("ballot", 521),
    ),
    (
        "jurmala-park-gym",
        "active",
        "Āra trenažieri un galda teniss Jūrmalas parkā",
        "Seši āra trenažieri un divi betona galda tenisa galdi pie parka celiņa, kur jau "
        "tagad skrien un nūjo daudzi liepājnieki.",
        "Jūrmalas parks",
        (56.5060, 20.9980),
        24_750.00,
        ("ballot", 282),
    ),
    (
        "bike-repair",
        "active",
        "Velosipēdu remonta stacijas Beberliņos un pie ezera",
        "Trīs pašapkalpošanās velosipēdu remonta stacijas ar sūkni un instrumentiem populāros "
        "velomaršrutos.",
        "Beberliņi, Ziemeļu priekšpilsēta",
        (56.5520, 21.0350),
        6_900.00,
        ("ballot", 138),
    ),
    (
        "pumptrack",
        "active",
        "Pumptrack trase Ziemeļu priekšpilsētā",
        "Asfaltēta viļņota trase riteņiem, skrejriteņiem un skrituļdēļiem visām vecuma "
        "grupām, ar soliņiem vecākiem.",
        "Ziemeļu priekšpilsēta, pie Cenkones ielas",
        (56.5600, 21.0400),
        29_640.00,
        ("ballot", 412),
    ),
    (
        "bouldering",
        "active",
        "Āra boulderinga siena pie Olimpiskā centra",
        "Āra kāpšanas siena bez virvēm ar drošības segumu jauniešiem un ģimenēm.",
        "Pie Liepājas Olimpiskā centra",
        (56.5260, 21.0360),
        62_000.00,
        (
            "rejected",
            "Izmaksas (62 000 €) pārsniedz infrastruktūras projekta maksimālo apmēru 50 000 €.",
        ),
    ),
    (
        "roller-track",
        "active",
        "Skrituļošanas un slēpošanas trase Zaļajā birzī",
        "Apgaismota 1,2 km gara asfaltēta trase skrituļslidām vasarā un distanču slēpošanai ziemā.",
        "Zaļā birzs, meža mala",
        (56.4760, 21.0650),
        46_200.00,
        ("ballot", 116),
    ),
    (
        "table-tennis",
        "active",
        "Galda tenisa galdi Jūrmalas parkā",
        "Divi āra galda tenisa galdi pie Jūrmalas parka rotaļu laukuma.",
        "Jūrmalas parks",
        (56.5070, 20.9990),
        3_800.00,
        ("merged", "jurmala-park-gym"),
    ),
    # --- dog-walking areas (4)
    (
        "dog-training",
        "dogs",
        "Suņu dresūras laukums Ezerkrastā",
        "Iežogots suņu dresūras un aktivitāšu laukums ar šķēršļu joslu, soliņiem, dzeramā "
        "ūdens vietu un maisiņu dozatoriem.",
        "Ezerkrasts, pie Liepājas ezera takas",
        (56.5270, 21.0850),
        38_950.00,
        ("ballot", 584),
    ),
    (
        "karosta-dogs",
        "dogs",
        "Suņu pastaigu laukums Karostā",
        "Iežogots laukums, kur suņus var palaist bez pavadas, ar soliņiem un apgaismojumu.",
        "Karosta, pie Generāļa Baloža ielas",
        (56.5580, 21.0050),
        19_800.00,
        ("ballot", 244),
    ),
    (
        "southwest-dogs",
        "dogs",
        "Suņu pastaigu laukums Dienvidrietumos",
        "Suņu laukums ar žogu un atkritumu urnām starp Dienvidrietumu mikrorajona namiem.",
        "Dienvidrietumi, pie Ventas ielas",
        (56.4900, 21.0100),
        17_450.00,
        ("ballot", 127),
    ),
    (
        "dog-agility",
        "dogs",
        "Suņu apmācības laukums pie Ezerkrasta takas",
        "Vieta, kur suņu saimnieki var trenēt suņus ar šķēršļiem.",
        "Ezerkrasta taka",
        (56.5280, 21.0830),
        22_000.00,
        ("merged", "dog-training"),
    ),
    # --- parks (2)
    (
        "jurmala-park-lights",
        "parks",
        "Jūrmalas parka celiņu apgaismojums",
        "Energoefektīvs LED apgaismojums parka neapgaismotajā celiņā starp Kūrmājas prospektu "
        "un pludmali, lai tur var droši staigāt arī rudens vakaros.",
        "Jūrmalas parks, celiņš uz pludmali",
        (56.5090, 20.9960),
        14_312.40,
        ("ballot", 341),
    ),
    (
        "raina-fountain",
        "parks",
        "Raiņa parka strūklakas atjaunošana",
        "Vēsturiskās strūklakas atjaunošana Raiņa parkā.",
        "Raiņa parks",
        (56.5120, 20.9980),
        120_000.00,
        (
            "rejected",
            "Strūklaka ir vietējas nozīmes kultūras piemineklis: tās atjaunošanai vajag "
            "restaurācijas projektu, un izmaksas pārsniedz 50 000 € maksimālo apmēru.",
        ),
    ),
    # --- urban improvement (9)
    (
        "kursu-square",
        "urban",
        "Soliņi un atkritumu urnas Kuršu laukumā",
        "Desmit jauni soliņi ar atzveltnēm un sešas šķirošanas urnas laukumā, kur tagad "
        "nav kur apsēsties.",
        "Kuršu laukums, Vecliepāja",
        (56.5110, 21.0100),
        9_785.13,
        ("ballot", 298),
    ),
    (
        "market-bikes",
        "urban",
        "Velosipēdu novietnes pie Pētertirgus",
        "Jumtotas velosipēdu novietnes 40 velosipēdiem pie tirgus un autobusa pieturas.",
        "Pētertirgus, Vecliepāja",
        (56.5150, 21.0120),
        11_300.00,
        ("ballot", 261),
    ),
    (
        "ganibu-crossings",
        "urban",
        "Gājēju pāreju apgaismojums Ganību ielā",
        "Papildu apgaismojums piecām gājēju pārejām Ganību ielā.",
        "Ganību iela",
        (56.5330, 21.0250),
        18_000.00,
        (
            "rejected",
            "Gājēju pāreju apgaismojums Ganību ielā jau ir iekļauts pašvaldības ielu "
            "rekonstrukcijas plānā 2025.–2026. gadam.",
        ),
    ),
    (
        "beach-fountains",
        "urban",
        "Dzeramā ūdens strūklakas pludmalē",
        "Četras dzeramā ūdens strūklakas pie pludmales izejām, arī suņiem.",
        "Pludmales izejas pie Jūrmalas parka",
        (56.5020, 20.9930),
        16_800.00,
        ("ballot", 187),
    ),
    (
        "tosmare-shelter",
        "urban",
        "Autobusa pieturas nojume Tosmarē",
        "Nojume ar soliņu autobusa pieturā pie Tosmares ezera.",
        "Tosmare, Brīvības iela",
        (56.5500, 21.0700),
        7_500.00,
        (
            "rejected",
            "Pieturu nojumes uzstāda un uztur sabiedriskā transporta pārvadātājs; ideja "
            "nodota Liepājas autobusu parkam, kas to iekļāvis 2025. gada plānā.",
        ),
    ),
    (
        "flower-beds",
        "urban",
        "Ziedu dobes Jaunliepājas ielās",
        "Daudzgadīgo augu dobes un puķu kastes gar Lielo ielu un Graudu ielu.",
        "Lielā iela un Graudu iela",
        (56.5130, 21.0250),
        8_900.00,
        ("ballot", 52),
    ),
    (
        "kursu-yard",
        "urban",
        "Pagalma labiekārtošana Kuršu ielā",
        "Jauns segums, soliņi un rotaļu elements daudzdzīvokļu nama pagalmā.",
        "Kuršu iela, Vecliepāja",
        (56.5100, 21.0080),
        25_000.00,
        (
            "rejected",
            "Pagalma zeme nav pašvaldības īpašumā: tā pieder dzīvokļu īpašnieku biedrībai. "
            "Pagalmu labiekārtošanai ir mikrorajonu pagalmu līdzfinansēšanas konkurss.",
        ),
    ),
    (
        "lake-viewpoint",
        "urban",
        "Stāvvieta un soliņi pie Liepājas ezera skatu torņa",
        "Grants stāvvieta desmit automašīnām, soliņi un informācijas stends pie skatu torņa.",
        "Liepājas ezera skatu tornis",
        (56.5150, 21.0900),
        31_200.00,
        ("ballot", 104),
    ),
    (
        "karosta-stands",
        "urban",
        "Informatīvie stendi par Karostas vēsturi",
        "Astoņi stendi latviešu un angļu valodā ar vēsturiskām fotogrāfijām pie Karostas "
        "apskates objektiem.",
        "Karosta",
        (56.5620, 20.9950),
        9_600.00,
        ("ballot", 93),
    ),
    # --- environmental objects (4)
    (
        "bird-platform",
        "environment",
        "Putnu vērošanas platforma pie Liepājas ezera",
        "Koka platforma niedrāju malā ar informāciju par ezera putniem.",
        "Liepājas ezers, Ezerkrasta taka",
        (56.5100, 21.0950),
        28_400.00,
        ("ballot", 160),
    ),
    (
        "insect-meadow",
        "environment",
        "Kukaiņu viesnīcas un ziedu pļava Zaļajā birzī",
        "Pļavas sēšana, kukaiņu mājas un stendi par apputeksnētājiem.",
        "Zaļā birzs",
        (56.4800, 21.0700),
        5_600.00,
        ("ballot", 66),
    ),
    (
        "rain-garden",
        "environment",
        "Lietusūdens dārzs pie Jaunliepājas skolas",
        "Lietusūdens savākšanas dārzs ar mitrumu mīlošiem augiem.",
        "Jaunliepāja",
        (56.5220, 21.0280),
        14_000.00,
        (
            "rejected",
            "Skolas teritorija nav brīvi pieejama visiem, un dārza kopšanu skola nevar "
            "nodrošināt; ieteikts pieteikties vides izglītības projektu konkursā.",
        ),
    ),
    (
        "yard-trees",
        "environment",
        "Koku stādīšana Dienvidrietumu pagalmos",
        "Trīsdesmit lapu koku stādīšana un laistīšana pirmos trīs gadus.",
        "Dienvidrietumi",
        (56.4950, 21.0050),
        12_750.00,
        ("ballot", 149),
    ),
    # --- other (3)
    (
        "park-toilets",
        "other",
        "Publiskas tualetes Jūrmalas parkā",
        "Visu gadu atvērtas publiskas tualetes ar pieeju cilvēkiem ratiņkrēslā.",
        "Jūrmalas parks",
        (56.5050, 20.9970),
        85_000.00,
        (
            "rejected",
            "Izmaksas pārsniedz 50 000 € maksimālo apmēru, un ikgadējās uzturēšanas izmaksas "
            "nav paredzētas; tualetes iekļautas pludmales infrastruktūras plānā.",
        ),
    ),
    (
        "sound-bench",
        "other",
        "Skanošais soliņš Rožu laukumā",
        "Soliņš, kas, pieskaroties skaņu pogām, atskaņo Liepājas mūziķu dziesmas.",
        "Rožu laukums",
        (56.5080, 21.0110),
        7_800.00,
        ("ballot", 35),
    ),
    (
        "library-chess",
        "other",
        "Āra šaha galdi pie Centrālās bibliotēkas",
        "Trīs šaha galdi ar soliņiem bibliotēkas pagalmā.",
        "Liepājas Centrālā zinātniskā bibliotēka",
        (56.5090, 21.0130),
        4_500.00,
        (
            "rejected",
            "Bibliotēkas pagalma labiekārtošana ar šaha galdiem jau notiek bibliotēkas "
            "pārbūves projektā 2025. gadā.",
        ),
    ),
]

EVENTS_2025: list[tuple[str, str, str, str, str, tuple[float, float], float, tuple]] = [
    (
        "raina-park-day",
        "target",
        "Āra aktivitāšu diena Raiņa parkā visai ģimenei",
        "Vasaras diena Raiņa parkā ar sporta stacijām, orientēšanos, radošajām darbnīcām un "
        "koncertu bērniem, jauniešiem un senioriem.",
        "Raiņa parks",
        (56.5125, 20.9990),
        9_850.00,
        ("ballot", 187),
    ),
    (
        "senior-dances",
        "target",
        "Senioru deju pēcpusdienas Ezerkrastā",
        "Sešas deju pēcpusdienas ar dzīvo mūziku senioriem un viņu ģimenēm.",
        "Ezerkrasta kopienas centrs",
        (56.5230, 21.0750),
        8_420.00,
        ("ballot", 142),
    ),
    (
        "karosta-festival",
        "culture",
        "Jauniešu ielu kultūras festivāls Karostā",
        "Divu dienu festivāls ar grafiti darbnīcām, hiphopa koncertu un skeitošanas "
        "paraugdemonstrējumiem.",
        "Karosta, Katedrāles laukums",
        (56.5570, 20.9980),
        9_990.00,
        ("ballot", 109),
    ),
    (
        "parents-workshops",
        "social",
        "Atbalsta darbnīcas vientuļajiem vecākiem",
        "Desmit darbnīcas ar psihologu un jurista konsultācijām, bērnu pieskatīšana uz vietas.",
        "Iedzīvotāju atbalsta punkts, Vecliepāja",
        (56.5140, 21.0060),
        7_500.00,
        ("ballot", 83),
    ),
    (
        "volunteer-system",
        "volunteer",
        "Brīvprātīgā darba uzskaites sistēma Liepājā",
        "Vienota vieta, kur organizācijas publicē brīvprātīgo darbus un brīvprātīgie uzkrāj "
        "nostrādātās stundas un apliecinājumus.",
        "Visa Liepāja",
        (56.5110, 21.0140),
        6_904.00,
        ("ballot", 64),
    ),
    (
        "summer-camp",
        "target",
        "Vasaras nometne bērniem ar invaliditāti",
        "Piecu dienu dienas nometne ar asistentiem, mākslas un kustību nodarbībām.",
        "Jaunā pasaule",
        (56.4850, 20.9700),
        7_600.00,
        ("ballot", 48),
    ),
    (
        "parasport-games",
        "target",
        "Sporta spēles cilvēkiem ar kustību traucējumiem",
        "Boccia, galda tenisa un šautriņu sacensības cilvēkiem ar kustību traucējumiem.",
        "Liepājas Olimpiskais centrs",
        (56.5255, 21.0370),
        6_200.00,
        ("ballot", 29),
    ),
    (
        "free-psychologist",
        "social",
        "Bezmaksas psihologa konsultācijas",
        "Psihologa konsultācijas bez maksas visiem iedzīvotājiem visu gadu.",
        "Liepāja",
        (56.5120, 21.0160),
        9_000.00,
        (
            "rejected",
            "Pastāvīgs pakalpojums nav vienreizējs pasākums: psihologa konsultācijas jau "
            "nodrošina Sociālais dienests; ideja nodota Sociālajam dienestam.",
        ),
    ),
]

AUTHORS = [
    "Ilze Kalniņa",
    "Mārtiņš Ozols",
    "Dace Liepiņa",
    "Andris Bērziņš",
    "Sanita Krūmiņa",
    "Edgars Zariņš",
    "Kristīne Jansone",
    "Raimonds Vītols",
    "Līga Pētersone",
    "Jānis Kārkliņš",
    "Olga Smirnova",
    "Biedrība “Ritums”",
]

COST_LINES = {
    "sports": [
        ("Aprīkojums un elementi", 0.62),
        ("Drošības segums", 0.23),
        ("Uzstādīšana", 0.15),
    ],
    "active": [("Aprīkojums", 0.58), ("Pamatne un segums", 0.27), ("Projektēšana", 0.15)],
    "dogs": [("Žogs un vārti", 0.45), ("Aprīkojums un soliņi", 0.35), ("Darbi", 0.20)],
    "parks": [("Gaismekļi un stabi", 0.55), ("Kabeļi un pieslēgums", 0.30), ("Darbi", 0.15)],
    "urban": [("Izstrādājumi", 0.70), ("Uzstādīšana", 0.20), ("Piegāde", 0.10)],
    "environment": [("Materiāli un augi", 0.60), ("Darbi", 0.30), ("Stendi", 0.10)],
    "other": [("Aprīkojums", 0.75), ("Uzstādīšana", 0.25)],
    "target": [("Programma un vadītāji", 0.55), ("Tehnika un inventārs", 0.30), ("Reklāma", 0.15)],
    "social": [("Speciālistu darbs", 0.70), ("Telpas un materiāli", 0.30)],
    "culture": [("Mākslinieki", 0.50), ("Skatuve un tehnika", 0.35), ("Drošība", 0.15)],
    "volunteer": [("Programmatūras izstrāde", 0.80), ("Apmācības", 0.20)],
}

# Sustainable development goals (their numbers) of the ideas of each theme.
THEME_SDGS = {
    "sports": (3, 11),
    "active": (3, 11),
    "dogs": (11,),
    "parks": (11, 15),
    "urban": (11,),
    "environment": (13, 15),
    "other": (11,),
    "target": (3, 10),
    "social": (1, 10),
    "culture": (11,),
    "volunteer": (16, 17),
}

# Age bands of the simulated voters (share of ballots).
AGE_BANDS = [
    ("16-17", 3),
    ("18-24", 8),
    ("25-34", 19),
    ("35-44", 23),
    ("45-54", 18),
    ("55-64", 15),
    ("65-74", 10),
    ("75+", 4),
]


# --- helpers ---------------------------------------------------------------------------------


def _at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=RIGA)


@contextlib.contextmanager
def _keep_dates(*fields: Any) -> Iterator[None]:
    """Let bulk inserts keep the dates the demo gives (auto_now fields would say "now")."""
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f, _now, _add in saved:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, add in saved:
            f.auto_now, f.auto_now_add = now, add


def _field(model: Any, name: str) -> Any:
    return model._meta.get_field(name)


def _neighbourhoods(municipality) -> list[tuple[Any, tuple[float, float, float, float]]]:
    """The municipality's neighbourhoods with their bounding boxes (lon/lat)."""
    out = []
    for n in municipality.neighbourhoods.all():
        ring = (n.boundary or {}).get("coordinates", [[[]]])[0]
        if not ring:
            continue
        lons = [p[0] for p in ring]
        lats = [p[1] for p in ring]
        out.append((n, (min(lons), min(lats), max(lons), max(lats))))
    return out


def _neighbourhood_at(boxes, lat: float, lon: float):
    for n, (lon0, lat0, lon1, lat1) in boxes:
        if lon0 <= lon < lon1 and lat0 <= lat < lat1:
            return n
    return None


def _cost_lines(idea: Idea, theme_key: str) -> list[CostLine]:
    lines = COST_LINES[theme_key]
    left = idea.cost_cents
    out = []
    for position, (text, share) in enumerate(lines, start=1):
        amount = left if position == len(lines) else round(idea.cost_cents * share)
        left -= amount
        out.append(CostLine(idea=idea, description=text, amount_cents=amount, position=position))
    return out


def _receipt(rng: random.Random) -> str:
    from .services.voting import RECEIPT_ALPHABET

    chars = "".join(rng.choice(RECEIPT_ALPHABET) for _ in range(16))
    return "-".join(chars[i : i + 4] for i in range(0, 16, 4))


def _public_id(receipt_code: str) -> str:
    from .services.voting import public_id_for

    return public_id_for(receipt_code)


def _identity_key_random(rng: random.Random) -> str:
    """A random 64-hex-digit key shaped like an HMAC-SHA-256 (of no real personal code)."""
    return f"{rng.getrandbits(256):064x}"


def _demo_user(email: str):
    from lidzdaliba.accounts.models import User

    return User.objects.filter(email=email).first()


def _identity_of(user, municipality) -> tuple[str, Any, str] | None:
    """(identity key, neighbourhood, age band) of a demo user's residency, if verified."""
    if user is None:
        return None
    import personalcode
    from lidzdaliba.accounts.selectors import residency_active

    residency = residency_active(user=user, municipality=municipality)
    if residency is None:
        return None
    return (
        residency.identity_key,
        residency.neighbourhood,
        personalcode.age_band(residency.birth_date, dt.date(2025, 5, 25)),
    )


def _make_cycle(municipality, *, slug, title_lv, title_en, description_lv, description_en, **kw):
    return Cycle.objects.create(
        municipality=municipality,
        slug=slug,
        title_lv=title_lv,
        title_en=title_en,
        description_lv=description_lv,
        description_en=description_en,
        **kw,
    )


def _make_categories(cycle, *, infra_cents, events_cents, infra_form, infra_picks=None):
    infra = Category.objects.create(
        cycle=cycle,
        slug="infrastruktura",
        name_lv="Infrastruktūras projekti",
        name_en="Infrastructure projects",
        description_lv="Publiski pieejami labiekārtojuma objekti pašvaldības zemē.",
        description_en="Publicly accessible improvements on municipal land.",
        budget_cents=infra_cents,
        cost_cap_cents=50_000 * EURO,
        ballot_form=infra_form,
        max_picks=infra_picks,
        rule="greedy",
        position=1,
    )
    events = Category.objects.create(
        cycle=cycle,
        slug="pasakumi",
        name_lv="Pasākumu projekti",
        name_en="Event projects",
        description_lv="Vienreizēji pasākumi un iniciatīvas iedzīvotājiem.",
        description_en="One-off events and initiatives for residents.",
        budget_cents=events_cents,
        cost_cap_cents=10_000 * EURO,
        ballot_form="single",
        rule="greedy",
        position=2,
    )
    themes = {}
    for position, (key, category, lv, en, _count) in enumerate(THEMES, start=1):
        themes[key] = Theme.objects.create(
            cycle=cycle,
            category=infra if category == "infra" else events,
            name_lv=lv,
            name_en=en,
            position=position,
        )
    return infra, events, themes


def _sdg_tags(ideas: list[Idea], themes: dict[str, Theme]) -> None:
    """Tag the ideas with their theme's goals (one insert)."""
    from lidzdaliba.core.models import SdgGoal

    goals = dict(SdgGoal.objects.values_list("number", "pk"))
    key_of = {t.pk: k for k, t in themes.items()}
    through = Idea.sdg_goals.through
    through.objects.bulk_create(
        [
            through(idea_id=idea.pk, sdggoal_id=goals[number])
            for idea in ideas
            for number in THEME_SDGS[key_of[idea.theme_id]]
            if number in goals
        ],
        ignore_conflicts=True,
    )


def _phase_history(cycle, moments: list[tuple[str, str, dt.datetime]]) -> None:
    rows = PhaseChange.objects.bulk_create(
        [PhaseChange(cycle=cycle, from_status=a, to_status=b) for a, b, _when in moments]
    )
    for row, (_a, _b, when) in zip(rows, moments, strict=True):
        PhaseChange.objects.filter(pk=row.pk).update(changed_at=when)


# --- 2025 --------------------------------------------------------------------------------------


def _ideas_2025(cycle, infra, events, themes, boxes, rng) -> dict[str, Idea]:
    anna = _demo_user("anna@liepaja.example")
    peteris = _demo_user("peteris@liepaja.example")
    submitted = _at(2025, 2, 20, 12)
    decided = _at(2025, 5, 9, 15)
    ideas: dict[str, Idea] = {}
    outcome_of: dict[str, tuple] = {}
    rows = [(infra, row) for row in IDEAS_2025] + [(events, row) for row in EVENTS_2025]
    for number, (
        category,
        (key, theme, title, summary, place, (lat, lon), eur, outcome),
    ) in enumerate(rows, start=1):
        cents = round(eur * EURO)
        author = {"dog-training": anna, "senior-dances": peteris}.get(key)
        kind = outcome[0]
        when = submitted + dt.timedelta(hours=rng.randrange(0, 24 * 14))
        ideas[key] = Idea(
            cycle=cycle,
            category=category,
            theme=themes[theme],
            number=number,
            title=title,
            summary=summary,
            description=(
                f"{summary}\n\nVieta: {place}.\n\n"
                "Ieguvēji: apkaimes iedzīvotāji un visi liepājnieki. Objekts būs publiski "
                "pieejams bez maksas."
            ),
            lat=lat,
            lon=lon,
            address=place,
            neighbourhood=_neighbourhood_at(boxes, lat, lon),
            cost_cents=cents,
            ballot_cost_cents=cents if kind == "ballot" else None,
            author=author,
            author_name=(author.full_name if author else AUTHORS[number % len(AUTHORS)]),
            status={
                "ballot": IdeaStatus.ADMITTED,
                "rejected": IdeaStatus.REJECTED,
                "merged": IdeaStatus.MERGED,
            }[kind],
            decision_reason={"rejected": outcome[1], "merged": "Apvienota."}.get(kind, ""),
            created_at=when,
            updated_at=decided,
            submitted_at=when,
            decided_at=decided,
            age_declared=author is None,
        )
        outcome_of[key] = outcome
    with _keep_dates(_field(Idea, "created_at"), _field(Idea, "updated_at")):
        Idea.objects.bulk_create(ideas.values())
    merged = []
    for key, outcome in outcome_of.items():
        if outcome[0] == "merged":
            idea, target = ideas[key], ideas[outcome[1]]
            idea.merged_into = target
            idea.decision_reason = (
                f"Apvienota ar ideju Nr. {target.number} „{target.title}”, jo abas paredz to "
                "pašu vietā un mērķī; autori piekrita."
            )
            merged.append(idea)
    Idea.objects.bulk_update(merged, ["merged_into", "decision_reason"])
    _sdg_tags(list(ideas.values()), themes)
    CostLine.objects.bulk_create(
        [
            line
            for key, idea in ideas.items()
            for line in _cost_lines(idea, _theme_key(idea, themes))
        ]
    )
    return ideas


def _theme_key(idea: Idea, themes: dict[str, Theme]) -> str:
    for key, theme in themes.items():
        if theme.pk == idea.theme_id:
            return key
    return "other"


def _ballots_2025(cycle, infra, events, ideas, boxes, municipality, rng) -> None:
    """6 129 single-choice ballots: one per vote of the source figures."""
    by_key = {key: row for key, *row in IDEAS_2025 + EVENTS_2025}
    choices: list[tuple[Any, Idea]] = []
    for key, (_theme, _t, _s, _p, _ll, _eur, outcome) in by_key.items():
        if outcome[0] == "ballot":
            idea = ideas[key]
            choices += [(idea.category, idea)] * outcome[1]
    rng.shuffle(choices)
    # Two of the votes are the demo residents' own (their real identity keys).
    own = [
        (_demo_user(email), key)
        for email, key in (
            ("anna@liepaja.example", "dog-training"),
            ("peteris@liepaja.example", "senior-dances"),
        )
    ]
    own_votes = []
    for user, key in own:
        identity = _identity_of(user, municipality)
        if identity is None:
            continue
        for i, (_category, idea) in enumerate(choices):
            if idea.pk == ideas[key].pk:
                own_votes.append((i, user, identity))
                break
    own_by_index = {i: (user, identity) for i, user, identity in own_votes}

    neighbourhoods = [n for n, _box in boxes]
    weights = [max(n.population or 1, 1) for n in neighbourhoods]
    bands = [b for b, _w in AGE_BANDS]
    band_weights = [w for _b, w in AGE_BANDS]
    opens = cycle.voting_opens_at
    span = int((cycle.voting_closes_at - opens).total_seconds())
    ballots = []
    receipts: set[str] = set()
    public_ids: set[str] = set()
    for i, (_category, idea) in enumerate(choices):
        code = _receipt(rng)
        while code in receipts or _public_id(code) in public_ids:
            code = _receipt(rng)
        receipts.add(code)
        public_ids.add(_public_id(code))
        # people mostly vote for projects near home
        if idea.neighbourhood is not None and rng.random() < 0.45:
            home = idea.neighbourhood
        else:
            home = rng.choices(neighbourhoods, weights)[0]
        voter, identity = own_by_index.get(i, (None, None))
        cast = opens + dt.timedelta(seconds=int(span * rng.random() ** 1.4))
        ballots.append(
            Ballot(
                cycle=cycle,
                identity_key=identity[0] if identity else _identity_key_random(rng),
                voter=voter,
                channel=Ballot.Channel.PAPER if rng.random() < 0.03 else Ballot.Channel.ONLINE,
                receipt_code=code,
                public_id=_public_id(code),
                neighbourhood=identity[1] if identity else home,
                age_band=identity[2] if identity else rng.choices(bands, band_weights)[0],
                cast_at=cast,
                updated_at=cast,
                revision=1,
                receipt_sent_revision=1,
            )
        )
    with _keep_dates(_field(Ballot, "cast_at"), _field(Ballot, "updated_at")):
        Ballot.objects.bulk_create(ballots, batch_size=2000)
    if not all(b.pk for b in ballots):  # a backend that returns no ids
        by_code = dict(Ballot.objects.filter(cycle=cycle).values_list("receipt_code", "pk"))
        for b in ballots:
            b.pk = by_code[b.receipt_code]
    BallotChoice.objects.bulk_create(
        [
            BallotChoice(ballot_id=b.pk, category=category, idea=idea, points=1)
            for b, (category, idea) in zip(ballots, choices, strict=True)
        ],
        batch_size=2000,
    )


def _count_and_confirm(cycle) -> None:
    """The real count and confirmation, so the results page and the .pb files exist."""
    from .services import tally

    tally.tally_run(cycle)
    tally.results_confirm(
        cycle,
        actor=None,
        decision="Liepājas valstspilsētas domes lēmums par līdzdalības budžeta 2025 "
        "rezultātu apstiprināšanu (demonstrācijas dati)",
    )
    Cycle.objects.filter(pk=cycle.pk).update(results_confirmed_at=_at(2025, 6, 19, 10))


# (idea key, status, progress, actual €, planned start, planned end, actual end, updates)
# updates: (date, status, progress, text)
IMPLEMENTATION_2025 = {
    "dog-training": (
        "done",
        100,
        38_412.60,
        dt.date(2025, 7, 1),
        dt.date(2025, 10, 31),
        dt.date(2025, 10, 17),
        [
            (
                _at(2025, 7, 3, 10),
                "design",
                15,
                "Pabeigts laukuma plāns: šķēršļu josla, "
                "divi soliņi, dzeramā ūdens vieta. Plāns saskaņots ar idejas autori.",
            ),
            (_at(2025, 8, 20, 9), "works", 55, "Būvdarbi sākušies: uzstādīts žogs un vārti."),
            (
                _at(2025, 10, 17, 14),
                "done",
                100,
                "Laukums atvērts! Paldies 584 balsotājiem. "
                "Izmaksas: 38 412,60 € — mazāk nekā plānots.",
            ),
        ],
    ),
    "tosmare-workout": (
        "done",
        100,
        47_380.00,
        dt.date(2025, 7, 15),
        dt.date(2025, 11, 15),
        dt.date(2025, 11, 10),
        [
            (
                _at(2025, 8, 1, 11),
                "procurement",
                20,
                "Izsludināts iepirkums trenažieru piegādei un uzstādīšanai.",
            ),
            (_at(2025, 9, 25, 12), "works", 70, "Uzstādīti stieņi un līdztekas; top nojume."),
            (_at(2025, 11, 10, 15), "done", 100, "Laukums nodots lietošanā ar apgaismojumu."),
        ],
    ),
    "karosta-playground": (
        "works",
        80,
        36_950.00,
        dt.date(2025, 8, 1),
        dt.date(2026, 6, 30),
        None,
        [
            (
                _at(2025, 9, 1, 9),
                "design",
                20,
                "Izstrādāts rotaļu laukuma projekts; "
                "iedzīvotāji to var apskatīt Karostas atbalsta punktā.",
            ),
            (
                _at(2026, 3, 12, 10),
                "procurement",
                40,
                "Pirmais iepirkums neizdevās (nebija "
                "piedāvājumu); iepirkums izsludināts atkārtoti.",
            ),
            (
                _at(2026, 9, 18, 16),
                "works",
                80,
                "Uzstādītas šūpoles un kāpele; atlicis "
                "drošības segums. Pabeigšana paredzēta novembrī.",
            ),
        ],
    ),
    "pumptrack": (
        "done",
        100,
        31_020.00,
        dt.date(2025, 8, 1),
        dt.date(2026, 5, 31),
        dt.date(2026, 5, 22),
        [
            (
                _at(2025, 10, 2, 10),
                "design",
                25,
                "Trases projektu izstrādā speciālisti kopā ar vietējiem BMX braucējiem.",
            ),
            (_at(2026, 4, 6, 9), "works", 60, "Asfaltēšanas darbi sākušies."),
            (
                _at(2026, 5, 22, 13),
                "done",
                100,
                "Trase atvērta. Izmaksas 31 020,00 € — "
                "pārsniegums 1 380 € segts no rezerves (sadārdzinājies asfalts).",
            ),
        ],
    ),
    "jurmala-park-lights": (
        "done",
        100,
        13_980.00,
        dt.date(2025, 9, 1),
        dt.date(2025, 12, 15),
        dt.date(2025, 12, 5),
        [
            (_at(2025, 12, 5, 17), "done", 100, "Iedegts celiņa apgaismojums: 14 LED gaismekļi."),
        ],
    ),
    "kursu-square": (
        "procurement",
        30,
        None,
        dt.date(2026, 4, 1),
        dt.date(2026, 12, 15),
        None,
        [
            (_at(2026, 4, 14, 11), "design", 15, "Soliņu dizains saskaņots ar pilsētas arhitektu."),
            (
                _at(2026, 10, 2, 9),
                "procurement",
                30,
                "Iepirkums izsludināts; piedāvājumus gaida līdz 23. oktobrim.",
            ),
        ],
    ),
    "raina-park-day": (
        "done",
        100,
        9_790.00,
        dt.date(2025, 8, 9),
        dt.date(2025, 8, 9),
        dt.date(2025, 8, 9),
        [
            (
                _at(2025, 8, 10, 10),
                "done",
                100,
                "Aktivitāšu dienā Raiņa parkā piedalījās "
                "ap 1 500 cilvēku. Paldies brīvprātīgajiem!",
            ),
        ],
    ),
    "senior-dances": (
        "done",
        100,
        8_420.00,
        dt.date(2025, 9, 6),
        dt.date(2025, 11, 29),
        dt.date(2025, 11, 29),
        [
            (_at(2025, 9, 8, 12), "works", 20, "Pirmā deju pēcpusdiena: 80 dalībnieki."),
            (_at(2025, 11, 30, 12), "done", 100, "Notikušas visas sešas pēcpusdienas."),
        ],
    ),
    "karosta-festival": (
        "done",
        100,
        9_990.00,
        dt.date(2026, 6, 12),
        dt.date(2026, 6, 13),
        dt.date(2026, 6, 13),
        [
            (_at(2026, 6, 14, 10), "done", 100, "Festivāls notika 12.–13. jūnijā Karostā."),
        ],
    ),
    "parents-workshops": (
        "works",
        60,
        4_350.00,
        dt.date(2026, 2, 1),
        dt.date(2026, 12, 20),
        None,
        [
            (
                _at(2026, 2, 3, 10),
                "works",
                10,
                "Pirmā darbnīca notikusi; nākamās katra mēneša pirmajā sestdienā.",
            ),
            (_at(2026, 8, 5, 10), "works", 60, "Notikušas sešas no desmit darbnīcām."),
        ],
    ),
    "volunteer-system": (
        "design",
        35,
        2_100.00,
        dt.date(2026, 1, 15),
        dt.date(2026, 12, 31),
        None,
        [
            (
                _at(2026, 3, 2, 14),
                "design",
                35,
                "Sistēmas prasības saskaņotas ar NVO; notiek prototipa testēšana.",
            ),
        ],
    ),
    "summer-camp": (
        "cancelled",
        0,
        None,
        dt.date(2025, 7, 20),
        dt.date(2025, 7, 25),
        None,
        [
            (_at(2025, 7, 1, 9), "cancelled", 0, "Nometne atcelta."),
        ],
    ),
}
CANCEL_REASONS = {
    "summer-camp": "Idejas iesniedzēja biedrība nevarēja nodrošināt asistentus nometnes "
    "laikā, un citu piemērotu organizētāju neatrada. Nauda atgriezta rezervē; ideju aicināts "
    "iesniegt atkārtoti 2026. gadā.",
}
# Upkeep of projects finished in 2025 (what the source documents warn about), and the
# estimate made at review.
MAINTENANCE_2025 = {
    "dog-training": (1_150.00, [(2026, 1_284.35, "Zāles pļaušana, maisiņi, žoga remonts")]),
    "tosmare-workout": (900.00, [(2026, 742.10, "Trenažieru apkope, apgaismojums")]),
    "jurmala-park-lights": (
        420.00,
        [(2025, 38.60, "Elektroenerģija decembrī"), (2026, 466.90, "Elektroenerģija, apkope")],
    ),
    "pumptrack": (600.00, [(2026, 315.00, "Seguma tīrīšana (no jūnija)")]),
}


def _implementation_2025(cycle, ideas) -> None:
    officer = _demo_user("officer@liepaja.example")
    implementations = {i.idea_id: i for i in Implementation.objects.filter(idea__cycle=cycle)}
    changed = []
    updates = []
    for key, (status, progress, actual, start, end, done, news) in IMPLEMENTATION_2025.items():
        implementation = implementations.get(ideas[key].pk)
        if implementation is None:  # not funded by the count (cannot happen with these figures)
            continue
        implementation.status = status
        implementation.progress = progress
        implementation.actual_cost_cents = round(actual * EURO) if actual is not None else None
        implementation.planned_start, implementation.planned_end = start, end
        implementation.actual_end = done
        implementation.cancel_reason = CANCEL_REASONS.get(key, "")
        changed.append(implementation)
        for when, u_status, u_progress, text in news:
            updates.append(
                ImplementationUpdate(
                    implementation=implementation,
                    author=officer,
                    status=u_status,
                    progress=u_progress,
                    text=text,
                    created_at=when,
                )
            )
    Implementation.objects.bulk_update(
        changed,
        [
            "status",
            "progress",
            "actual_cost_cents",
            "planned_start",
            "planned_end",
            "actual_end",
            "cancel_reason",
        ],
    )
    with _keep_dates(_field(ImplementationUpdate, "created_at")):
        ImplementationUpdate.objects.bulk_create(updates)
    reviews = []
    costs = []
    for key, (estimate, years) in MAINTENANCE_2025.items():
        idea = ideas[key]
        reviews.append(
            IdeaReview(
                idea=idea,
                legal="yes",
                ownership="yes",
                cost="yes",
                officer_cost_cents=idea.ballot_cost_cents,
                maintenance_cost_cents=round(estimate * EURO),
                maintenance_note="Uzturēšanu nodrošina Komunālā pārvalde.",
                proposal="admit",
                proposal_reason="Atbilst nolikumam.",
            )
        )
        for year, amount, note in years:
            costs.append(
                MaintenanceCost(idea=idea, year=year, amount_cents=round(amount * EURO), note=note)
            )
    IdeaReview.objects.bulk_create(reviews, ignore_conflicts=True)
    MaintenanceCost.objects.bulk_create(costs, ignore_conflicts=True)
    anna = _demo_user("anna@liepaja.example")
    if anna is not None:
        IdeaFollow.objects.bulk_create(
            [IdeaFollow(idea=ideas[k], user=anna) for k in ("dog-training", "karosta-playground")],
            ignore_conflicts=True,
        )


@transaction.atomic
def load_2025(municipality) -> Cycle:
    rng = random.Random(2025)  # noqa: S311 - demo data, not security
    boxes = _neighbourhoods(municipality)
    infra_cents = FIGURES_2025["infrastructure_funded_cents"]
    events_cents = FIGURES_2025["events_funded_cents"]
    cycle = _make_cycle(
        municipality,
        slug=SLUG_2025,
        title_lv="Liepājas līdzdalības budžets 2025",
        title_en="Liepāja participatory budget 2025",
        description_lv=(
            "Pirmais Liepājas līdzdalības budžets pēc Pašvaldību likuma: iedzīvotāji iesniedza "
            "43 idejas, balsojumā bija 31 projekts, un 6 129 balsotāji izvēlējās 6 "
            "infrastruktūras un 6 pasākumu projektus."
        ),
        description_en=(
            "Liepāja's first participatory budget under the Local Government Law: residents "
            "proposed 43 ideas, 31 projects were on the ballot, and 6,129 voters chose 6 "
            "infrastructure and 6 event projects."
        ),
        status=CycleStatus.RESULTS,
        total_budget_cents=FIGURES_2025["total_cents"],
        reserve_cents=FIGURES_2025["reserve_cents"],
        submission_opens_at=_at(2025, 2, 3),
        submission_closes_at=_at(2025, 3, 7, 23, 59),
        review_ends_at=_at(2025, 5, 9, 23, 59),
        voting_opens_at=_at(2025, 5, 19),
        voting_closes_at=_at(2025, 6, 1, 23, 59),
        implementation_starts_at=_at(2025, 7, 1),
        finished_at=_at(2026, 10, 31, 23, 59),
    )
    infra, events, themes = _make_categories(
        cycle, infra_cents=infra_cents, events_cents=events_cents, infra_form="single"
    )
    ideas = _ideas_2025(cycle, infra, events, themes, boxes, rng)
    _ballots_2025(cycle, infra, events, ideas, boxes, municipality, rng)
    _count_and_confirm(cycle)
    _implementation_2025(cycle, ideas)
    Cycle.objects.filter(pk=cycle.pk).update(status=CycleStatus.FINISHED)
    _phase_history(
        cycle,
        [
            ("draft", "submission", _at(2025, 2, 3)),
            ("submission", "review", _at(2025, 3, 8)),
            ("review", "voting", _at(2025, 5, 19)),
            ("voting", "results", _at(2025, 6, 2)),
            ("results", "implementation", _at(2025, 7, 1)),
            ("implementation", "finished", _at(2026, 11, 1)),
        ],
    )
    cycle.refresh_from_db()
    return cycle


# --- 2026: voting now ----------------------------------------------------------------------

PROJECTS_2026 = [
    # (category, theme, title, summary, (lat, lon), cost €)
    (
        "infra",
        "sports",
        "Rotaļu laukums Jaunajā pasaulē",
        "Rotaļu laukums ar šūpolēm un kāpšanas tīklu pie Jaunās pasaules ezermalas.",
        (56.4880, 20.9700),
        41_500.00,
    ),
    (
        "infra",
        "active",
        "Āra trenažieri Vecliepājas promenādē",
        "Astoņi āra trenažieri pie jūrmalas promenādes.",
        (56.5200, 20.9950),
        22_800.00,
    ),
    (
        "infra",
        "dogs",
        "Suņu pastaigu laukums Tosmarē",
        "Iežogots suņu laukums ar soliņiem un apgaismojumu.",
        (56.5650, 21.0800),
        24_300.00,
    ),
    (
        "infra",
        "parks",
        "Soliņi un dzeramā ūdens vieta Raiņa parkā",
        "Desmit soliņi un dzeramā ūdens strūklaka parka centrā.",
        (56.5118, 20.9985),
        16_900.00,
    ),
    (
        "infra",
        "urban",
        "Velosipēdu novietnes pie dzelzceļa stacijas",
        "Jumtotas novietnes 60 velosipēdiem.",
        (56.5300, 21.0420),
        18_700.00,
    ),
    (
        "infra",
        "environment",
        "Ezerkrasta takas informatīvie stendi",
        "Stendi par ezera dabu un putniem takas garumā.",
        (56.5160, 21.0880),
        7_400.00,
    ),
    (
        "infra",
        "urban",
        "Apgaismots gājēju celiņš Dienvidrietumos",
        "Celiņa apgaismojums starp Ventas ielu un skolu.",
        (56.4920, 21.0080),
        33_900.00,
    ),
    (
        "infra",
        "other",
        "Grāmatu maiņas skapji apkaimēs",
        "Pieci āra grāmatu maiņas skapji apkaimju centros.",
        (56.5080, 21.0150),
        4_900.00,
    ),
    (
        "events",
        "target",
        "Ģimeņu sporta diena Karostā",
        "Stafetes, orientēšanās un piknika zona visai ģimenei.",
        (56.5560, 20.9960),
        6_800.00,
    ),
    (
        "events",
        "culture",
        "Jūras svētku koncerts Vecliepājā",
        "Liepājas jauno mūziķu koncerts pludmales estrādē.",
        (56.5110, 20.9940),
        9_500.00,
    ),
    (
        "events",
        "social",
        "Digitālo prasmju darbnīcas senioriem",
        "Desmit nodarbības viedtālruņa un e-pakalpojumu lietošanā.",
        (56.5150, 21.0130),
        4_200.00,
    ),
    (
        "events",
        "target",
        "Jauniešu hakatons par pilsētvidi",
        "Divu dienu hakatons, kurā jaunieši izstrādā idejas apkaimēm.",
        (56.5140, 21.0180),
        7_900.00,
    ),
]


@transaction.atomic
def load_2026(municipality, *, now: dt.datetime | None = None) -> Cycle:
    now = now or timezone.now()
    day = dt.timedelta(days=1)
    rng = random.Random(2026)  # noqa: S311 - demo data, not security
    boxes = _neighbourhoods(municipality)
    cycle = _make_cycle(
        municipality,
        slug=SLUG_2026,
        title_lv="Liepājas līdzdalības budžets 2026",
        title_en="Liepāja participatory budget 2026",
        description_lv="Balsojums notiek tagad: izvēlies projektus, ko īstenot tavā apkaimē.",
        description_en="Voting is open now: choose the projects to build in your neighbourhood.",
        status=CycleStatus.VOTING,
        total_budget_cents=260_000 * EURO,
        reserve_cents=20_000 * EURO,
        submission_opens_at=now - 125 * day,
        submission_closes_at=now - 90 * day,
        review_ends_at=now - 10 * day,
        voting_opens_at=now - 5 * day,
        voting_closes_at=now + 9 * day,
        implementation_starts_at=now + 40 * day,
        finished_at=now + 400 * day,
    )
    infra, events, themes = _make_categories(
        cycle,
        infra_cents=190_000 * EURO,
        events_cents=50_000 * EURO,
        infra_form="approval",
        infra_picks=3,
    )
    ideas = []
    for number, (cat, theme, title, summary, (lat, lon), eur) in enumerate(PROJECTS_2026, start=1):
        cents = round(eur * EURO)
        when = cycle.submission_opens_at + dt.timedelta(days=rng.randrange(1, 30))
        ideas.append(
            Idea(
                cycle=cycle,
                category=infra if cat == "infra" else events,
                theme=themes[theme],
                number=number,
                title=title,
                summary=summary,
                description=f"{summary}\n\nProjekts būs publiski pieejams visiem.",
                lat=lat,
                lon=lon,
                neighbourhood=_neighbourhood_at(boxes, lat, lon),
                cost_cents=cents,
                ballot_cost_cents=cents,
                author_name=AUTHORS[number % len(AUTHORS)],
                status=IdeaStatus.ADMITTED,
                created_at=when,
                updated_at=cycle.review_ends_at,
                submitted_at=when,
                decided_at=cycle.review_ends_at,
                age_declared=True,
            )
        )
    ideas.append(
        Idea(
            cycle=cycle,
            category=infra,
            theme=themes["urban"],
            number=len(ideas) + 1,
            title="Stāvlaukums pie Lielā dzintara",
            summary="Daudzstāvu stāvlaukums koncertzāles apmeklētājiem.",
            description="Daudzstāvu stāvlaukums koncertzāles apmeklētājiem.",
            lat=56.5075,
            lon=21.0125,
            neighbourhood=_neighbourhood_at(boxes, 56.5075, 21.0125),
            cost_cents=900_000 * EURO,
            author_name=AUTHORS[0],
            status=IdeaStatus.REJECTED,
            decision_reason="Izmaksas pārsniedz 50 000 € maksimālo apmēru.",
            created_at=cycle.submission_opens_at + 3 * day,
            updated_at=cycle.review_ends_at,
            submitted_at=cycle.submission_opens_at + 3 * day,
            decided_at=cycle.review_ends_at,
            age_declared=True,
        )
    )
    with _keep_dates(_field(Idea, "created_at"), _field(Idea, "updated_at")):
        Idea.objects.bulk_create(ideas)
    themes_by_pk = {t.pk: k for k, t in themes.items()}
    CostLine.objects.bulk_create(
        [line for idea in ideas for line in _cost_lines(idea, themes_by_pk[idea.theme_id])]
    )
    _sdg_tags(ideas, themes)
    # A few ballots already cast, for the turnout counter.
    infra_ideas = [i for i in ideas if i.category_id == infra.pk and i.status == "admitted"]
    event_ideas = [i for i in ideas if i.category_id == events.pk]
    neighbourhoods = [n for n, _b in boxes]
    weights = [max(n.population or 1, 1) for n in neighbourhoods]
    bands = [b for b, _w in AGE_BANDS]
    band_weights = [w for _b, w in AGE_BANDS]
    ballots, picks = [], []
    for _i in range(57):
        code = _receipt(rng)
        cast = cycle.voting_opens_at + dt.timedelta(seconds=rng.randrange(0, 4 * 86400))
        ballots.append(
            Ballot(
                cycle=cycle,
                identity_key=_identity_key_random(rng),
                receipt_code=code,
                public_id=_public_id(code),
                neighbourhood=rng.choices(neighbourhoods, weights)[0],
                age_band=rng.choices(bands, band_weights)[0],
                cast_at=cast,
                updated_at=cast,
                receipt_sent_revision=1,
            )
        )
        chosen = rng.sample(infra_ideas, rng.randint(1, 3)) if rng.random() < 0.85 else []
        if rng.random() < 0.5 or not chosen:
            chosen.append(rng.choice(event_ideas))
        picks.append(chosen)
    with _keep_dates(_field(Ballot, "cast_at"), _field(Ballot, "updated_at")):
        Ballot.objects.bulk_create(ballots)
    BallotChoice.objects.bulk_create(
        [
            BallotChoice(ballot=b, category_id=idea.category_id, idea=idea)
            for b, chosen in zip(ballots, picks, strict=True)
            for idea in chosen
        ]
    )
    _phase_history(
        cycle,
        [
            ("draft", "submission", cycle.submission_opens_at),
            ("submission", "review", cycle.submission_closes_at),
            ("review", "voting", cycle.voting_opens_at),
        ],
    )
    return cycle


# --- 2027: idea submission now ---------------------------------------------------------------

IDEAS_2027 = [
    (
        "infra",
        "sports",
        "Slidotava ziemā Pētertirgus laukumā",
        "Sezonas slidotava ar slidu nomu un apgaismojumu.",
        (56.5148, 21.0118),
        45_000.00,
    ),
    (
        "infra",
        "parks",
        "Ābeļu dārzs Jaunliepājā",
        "Publisks augļu dārzs, ko kopj apkaimes iedzīvotāji.",
        (56.5230, 21.0330),
        8_600.00,
    ),
    (
        "events",
        "culture",
        "Apkaimju kino vakari vasarā",
        "Seši āra kino vakari dažādās apkaimēs.",
        (56.5480, 21.0450),
        7_200.00,
    ),
    (
        "infra",
        "environment",
        "Dabas taka gar Tirdzniecības kanālu",
        "Koka laipas un stendi par kanāla dabu.",
        (56.5180, 21.0050),
        36_400.00,
    ),
]


@transaction.atomic
def load_2027(municipality, *, now: dt.datetime | None = None) -> Cycle:
    now = now or timezone.now()
    day = dt.timedelta(days=1)
    boxes = _neighbourhoods(municipality)
    cycle = _make_cycle(
        municipality,
        slug=SLUG_2027,
        title_lv="Liepājas līdzdalības budžets 2027",
        title_en="Liepāja participatory budget 2027",
        description_lv="Iesniedz savu ideju Liepājas labiekārtošanai vai pasākumam!",
        description_en="Propose your idea for an improvement or an event in Liepāja!",
        status=CycleStatus.SUBMISSION,
        total_budget_cents=265_000 * EURO,
        reserve_cents=20_000 * EURO,
        submission_opens_at=now - 3 * day,
        submission_closes_at=now + 40 * day,
        review_ends_at=now + 85 * day,
        voting_opens_at=now + 95 * day,
        voting_closes_at=now + 109 * day,
        implementation_starts_at=now + 140 * day,
        finished_at=now + 500 * day,
    )
    infra, events, themes = _make_categories(
        cycle,
        infra_cents=195_000 * EURO,
        events_cents=50_000 * EURO,
        infra_form="approval",
        infra_picks=3,
    )
    ideas = []
    for number, (cat, theme, title, summary, (lat, lon), eur) in enumerate(IDEAS_2027, start=1):
        when = cycle.submission_opens_at + dt.timedelta(hours=6 + number * 9)
        ideas.append(
            Idea(
                cycle=cycle,
                category=infra if cat == "infra" else events,
                theme=themes[theme],
                number=number,
                title=title,
                summary=summary,
                description=f"{summary}\n\nIdeja ir publiski apspriežama līdz iesniegšanas beigām.",
                lat=lat,
                lon=lon,
                neighbourhood=_neighbourhood_at(boxes, lat, lon),
                cost_cents=round(eur * EURO),
                author_name=AUTHORS[(number * 5) % len(AUTHORS)],
                status=IdeaStatus.SUBMITTED,
                created_at=when,
                updated_at=when,
                submitted_at=when,
                age_declared=True,
            )
        )
    anna = _demo_user("anna@liepaja.example")
    if anna is not None:
        ideas.append(
            Idea(
                cycle=cycle,
                category=infra,
                theme=themes["dogs"],
                title="Suņu pastaigu laukums Vecliepājā",
                summary="Iežogots suņu laukums pie Vecā parka ar soliņiem un maisiņu dozatoru.",
                description="Vecliepājā nav neviena iežogota suņu laukuma. (Melnraksts.)",
                lat=56.5170,
                lon=21.0010,
                neighbourhood=_neighbourhood_at(boxes, 56.5170, 21.0010),
                cost_cents=18_000 * EURO,
                author=anna,
                author_name=anna.full_name,
                status=IdeaStatus.DRAFT,
                created_at=now - day,
                updated_at=now - day,
            )
        )
    with _keep_dates(_field(Idea, "created_at"), _field(Idea, "updated_at")):
        Idea.objects.bulk_create(ideas)
    themes_by_pk = {t.pk: k for k, t in themes.items()}
    CostLine.objects.bulk_create(
        [line for idea in ideas for line in _cost_lines(idea, themes_by_pk[idea.theme_id])]
    )
    _phase_history(cycle, [("draft", "submission", cycle.submission_opens_at)])
    return cycle


# --- entry point ---------------------------------------------------------------------------


def load_budgeting(municipality) -> dict[str, Cycle]:
    """The three demo cycles of ``municipality``; a cycle that exists already is kept as it
    is (running this again changes nothing)."""
    loaders = ((SLUG_2025, load_2025), (SLUG_2026, load_2026), (SLUG_2027, load_2027))
    existing = {c.slug: c for c in Cycle.objects.filter(municipality=municipality)}
    cycles = {}
    for slug, loader in loaders:
        cycles[slug] = existing.get(slug) or loader(municipality)
    return cycles


__all__ = ["FIGURES_2025", "load_budgeting"]
