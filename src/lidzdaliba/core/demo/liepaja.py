"""Liepāja: facts for the demo (../shared/LATVIA.md, ../shared/seeds/README.md).

The neighbourhood polygons are ILLUSTRATIVE: they tile the city's rough extent
(lat 56.45–56.59, lon 20.95–21.10) in the right order from north to south, not its real
borders. Replace them with the official boundaries in the administration.
"""

MUNICIPALITY = {
    "slug": "liepaja",
    "name_lv": "Liepājas valstspilsētas pašvaldība",
    "name_en": "Liepāja City Municipality",
    "name_ru": "Самоуправление города Лиепая",
    "name_uk": "Самоврядування міста Лієпая",
    "place_name_lv": "Liepāja",
    "place_name_en": "Liepāja",
    "place_name_ru": "Лиепая",
    "place_name_uk": "Лієпая",
    "map_center_lat": "56.511700",
    "map_center_lon": "21.013900",
    "map_zoom": 12,
    "population": 67088,
    "contact_email": "dome@liepaja.lv",
    "contact_phone": "+371 63404750",
    "address": "Rožu iela 6, Liepāja, LV-3401",
    "website": "https://www.liepaja.lv",
    "languages": ["lv", "en", "ru", "uk"],
    "introduction_lv": (
        "Liepājā iedzīvotāji un pašvaldība lemj un darbojas kopā: iesniedz idejas "
        "līdzdalības budžetam, ziņo par problēmām, paraksta kolektīvos iesniegumus un "
        "atrod palīdzību tuvumā."
    ),
    "introduction_en": (
        "In Liepāja, residents and the municipality decide and act together: propose ideas "
        "for the participatory budget, report problems, sign collective submissions and find "
        "help nearby."
    ),
    "introduction_ru": (
        "В Лиепае жители и самоуправление решают и действуют вместе: предлагают идеи для "
        "бюджета участия, сообщают о проблемах, подписывают коллективные заявления и находят "
        "помощь рядом."
    ),
    "introduction_uk": (
        "У Лієпаї мешканці та самоврядування вирішують і діють разом: пропонують ідеї для "
        "бюджету участі, повідомляють про проблеми, підписують колективні звернення та "
        "знаходять допомогу поруч."
    ),
    "accessibility_statement_lv": (
        "Liepājas valstspilsētas pašvaldība apņemas nodrošināt šīs tīmekļvietnes piekļūstamību "
        "saskaņā ar Ministru kabineta 2020. gada 14. jūlija noteikumiem Nr. 445 "
        "(standarts LVS EN 301 549, WCAG 2.1 AA līmenis).\n\n"
        "Atbilstības līmenis: daļēji atbilst. Zināmās neatbilstības: kartes fragmenti bez "
        "teksta alternatīvas ir dublēti sarakstā blakus kartei.\n\n"
        "Pēdējā izvērtēšana: automatizēta pārbaude ar axe-core un manuāla pārbaude ar "
        "tastatūru.\n\n"
        "Alternatīvas: visu informāciju var saņemt klātienē Klientu apkalpošanas centrā, "
        "Rožu ielā 6, vai pa tālruni 63404750."
    ),
    "accessibility_statement_en": (
        "Liepāja City Municipality is committed to making this website accessible in "
        "accordance with Cabinet Regulation No. 445 of 14 July 2020 (standard LVS EN 301 549, "
        "WCAG 2.1 level AA).\n\n"
        "Compliance status: partially compliant. Known issues: map views have no text "
        "alternative of their own; every map is repeated as a list beside it.\n\n"
        "Last evaluation: automated checks with axe-core and a manual keyboard review.\n\n"
        "Alternatives: all information is available in person at the Client Service Centre, "
        "Rožu iela 6, or by phone on 63404750."
    ),
}

# (slug, lv, en, ru, uk, population, (lon_min, lat_min, lon_max, lat_max))
NEIGHBOURHOODS = [
    ("karosta", "Karosta", "Karosta", "Кароста", "Кароста", 6200, (20.95, 56.54, 21.02, 56.59)),
    (
        "ziemelu-priekspilseta",
        "Ziemeļu priekšpilsēta",
        "Northern Suburb",
        "Северное предместье",
        "Північне передмістя",
        9800,
        (21.02, 56.54, 21.06, 56.59),
    ),
    ("tosmare", "Tosmare", "Tosmare", "Тосмаре", "Тосмаре", 4100, (21.06, 56.54, 21.10, 56.59)),
    (
        "vecliepaja",
        "Vecliepāja",
        "Old Liepāja",
        "Старая Лиепая",
        "Стара Лієпая",
        12600,
        (20.95, 56.505, 21.02, 56.54),
    ),
    (
        "jaunliepaja",
        "Jaunliepāja",
        "New Liepāja",
        "Новая Лиепая",
        "Нова Лієпая",
        11900,
        (21.02, 56.505, 21.045, 56.54),
    ),
    (
        "ezerkrasts",
        "Ezerkrasts",
        "Lakeside",
        "Эзеркрастс",
        "Езеркрастс",
        5300,
        (21.045, 56.505, 21.10, 56.54),
    ),
    (
        "jauna-pasaule",
        "Jaunā pasaule",
        "New World",
        "Новый свет",
        "Новий світ",
        4700,
        (20.95, 56.45, 20.99, 56.505),
    ),
    (
        "dienvidrietumi",
        "Dienvidrietumi",
        "South-West",
        "Юго-запад",
        "Південний захід",
        8900,
        (20.99, 56.45, 21.03, 56.505),
    ),
    (
        "zala-birzs",
        "Zaļā birzs",
        "Green Grove",
        "Зелёная роща",
        "Зелений гай",
        3588,
        (21.03, 56.45, 21.10, 56.505),
    ),
]

# Organisations named in the source documents (seeds 001 and 002).
ORGANISATIONS = [
    (
        "liepajas-novada-fonds",
        "Liepājas Novada fonds",
        "foundation",
        "Runs residents' support points in two microdistricts.",
    ),
    ("ritums", 'Biedrība "Ritums"', "association", "Runs the residents' support point in Karosta."),
    (
        "martas-centrs",
        'Biedrība "Centrs MARTA" Liepājas nodaļa',
        "association",
        "Support for women and victims of violence.",
    ),
    (
        "digitalo-inovaciju-parks",
        "Digitālo inovāciju parks",
        "municipal",
        "Free digital-skills training for residents.",
    ),
    ("techgirls", "Liepāja TechGirls", "association", "A community of women in technology."),
    (
        "apeirons",
        'Biedrība "Apeirons"',
        "association",
        "Accessibility and people with disabilities.",
    ),
    (
        "socialais-dienests",
        "Liepājas pilsētas Sociālais dienests",
        "municipal",
        "The municipality's social service, with its Addiction Prevention Centre.",
    ),
]


def box(lon_min: float, lat_min: float, lon_max: float, lat_max: float) -> dict:
    """A GeoJSON polygon for a lon/lat box (counter-clockwise, closed)."""
    ring = [
        [lon_min, lat_min],
        [lon_max, lat_min],
        [lon_max, lat_max],
        [lon_min, lat_max],
        [lon_min, lat_min],
    ]
    return {"type": "Polygon", "coordinates": [ring]}
