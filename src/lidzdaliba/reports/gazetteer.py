"""Turning a typed address into a point, without calling any outside service.

A municipality can load its streets here (from the State Address Register, VZD); the demo
carries a small table of Liepāja streets with approximate coordinates. A typed address is
matched by its street name (case and diacritics ignored), so "graudu iela 10" finds
Graudu iela.
"""

from __future__ import annotations

import unicodedata

STREETS: dict[str, dict[str, tuple[float, float]]] = {
    "liepaja": {
        "Graudu iela": (56.5085, 21.0118),
        "Lielā iela": (56.5069, 21.0127),
        "Rožu iela": (56.5078, 21.0105),
        "Kuršu iela": (56.5050, 21.0150),
        "Jūrmalas iela": (56.5010, 21.0060),
        "Peldu iela": (56.5040, 21.0010),
        "Ganību iela": (56.5250, 21.0100),
        "Klaipēdas iela": (56.4800, 21.0150),
        "Brīvības iela": (56.5210, 21.0300),
        "Cenkones iela": (56.5280, 21.0500),
        "Flotes iela": (56.5400, 21.0200),
        "Atmodas bulvāris": (56.5550, 21.0050),
        "Zemnieku iela": (56.5180, 21.0200),
        "Ezera iela": (56.5150, 21.0600),
        "Vaiņodes iela": (56.4950, 21.0500),
        "Dzintaru iela": (56.4980, 20.9950),
        "Kalnu iela": (56.5100, 21.0200),
        "Rīgas iela": (56.5200, 21.0160),
        "Tirgoņu iela": (56.5060, 21.0140),
        "Republikas iela": (56.5230, 21.0150),
    }
}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def locate(municipality_slug: str, address: str) -> tuple[float, float] | None:
    """The approximate point of the street named in ``address``, or ``None``."""
    folded = _fold(address or "")
    if not folded.strip():
        return None
    best = None
    for street, point in STREETS.get(municipality_slug, {}).items():
        name = _fold(street)
        short = name.rsplit(" ", 1)[0]  # "graudu" from "graudu iela"
        matches = name in folded or (len(short) > 3 and folded.startswith(short))
        if matches and (best is None or len(name) > len(best[0])):
            best = (name, point)
    return best[1] if best else None
