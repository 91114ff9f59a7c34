"""Short sentences, in Latvian and English, that say why a project was or was not funded.

Latvian numbers use a no-break space (U+00A0) between thousands and a decimal comma
(``184 937,53 €``); English uses ``,`` and ``.`` (``€184,937.53``).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

__all__ = ["LANGUAGES", "format_count", "format_money", "sentence"]

LANGUAGES = ("lv", "en")
NBSP = "\u00a0"
_SYMBOLS = {"EUR": "€", "PLN": "zł", "USD": "$", "GBP": "£"}


def _decimal(value: Any) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def _group(digits: str, sep: str) -> str:
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return sep.join(parts)


def _number(value: Any, lang: str, places: int) -> str:
    amount = _decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    text = f"{abs(amount):f}"
    whole, _, frac = text.partition(".")
    thousands, point = (NBSP, ",") if lang == "lv" else (",", ".")
    out = sign + _group(whole, thousands)
    return f"{out}{point}{frac}" if frac else out


def format_count(value: Any, lang: str = "lv") -> str:
    """A whole number: ``1 312`` (lv, no-break space) or ``1,312`` (en)."""
    return _number(value, lang, 0)


def format_money(value: Any, lang: str = "lv", currency: str = "EUR") -> str:
    """Money rounded to cents; whole amounts without decimals.

    ``format_money(8120, "lv") == "8 120 €"`` (no-break spaces), ``format_money(11.36, "en")
    == "€11.36"``. Other currencies are written with their symbol or code after the amount.
    """
    amount = _decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    places = 0 if amount == amount.to_integral_value() else 2
    text = _number(amount, lang, places)
    symbol = _SYMBOLS.get(currency.upper(), currency) if currency else ""
    if not symbol:
        return text
    if lang == "en" and symbol in ("€", "$", "£"):
        return f"{symbol}{text}"
    return f"{text}{NBSP}{symbol}"


def _lv_plural(n: Any, one: str, many: str) -> str:
    try:
        k = int(n)
    except (TypeError, ValueError):
        return many
    return one if k % 10 == 1 and k % 100 != 11 else many


_TEXT: dict[str, dict[str, str]] = {
    "lv": {
        "funded": "finansēts {round}. kārtā: {score_text}; bija atlikuši {left}, tas maksāja "
        "{cost}",
        "funded-mes": "finansēts {round}. kārtā: tā {supporters} {supporters_word} katrs "
        "samaksāja ne vairāk kā {max_payment} (vidēji {average_payment})",
        "funded-phragmen": "finansēts {round}. kārtā: tā {supporters} {supporters_word} to "
        "varēja nopirkt visātrāk; palika {left}",
        "funded-completion": "finansēts {round}. kārtā (papildināšana): vēl bija atlikuši "
        "{left}, tas maksāja {cost}",
        "funded-free": "finansēts {round}. kārtā: tas neko nemaksā",
        "no-money": "nav finansēts: kad pienāca tā kārta, bija atlikuši {left}, bet vajadzēja "
        "{cost}",
        "stopped": "nav finansēts: skaitīšana apstājās pirms tā kārtas (atlikuši {left}, tas "
        "maksā {cost})",
        "below-threshold": "nav finansēts: {score_text}, mazāk nekā noteiktais slieksnis "
        "{threshold}",
        "supporters-short": "nav finansēts: tā {supporters} {supporters_word} bija atlikuši "
        "tikai {supporters_money}, bet vajadzēja {cost}",
        "no-supporters": "nav finansēts: neviens par to nebalsoja",
        "replaced": "nav finansēts: salīdzinājumā vairāk balsotāju deva priekšroku otram "
        "rezultātam ({prefer_greedy} pret {prefer_mes})",
    },
    "en": {
        "funded": "funded in round {round}: {score_text}; {left} was left, it cost {cost}",
        "funded-mes": "funded in round {round}: its {supporters} {supporters_word} each paid "
        "at most {max_payment} (on average {average_payment})",
        "funded-phragmen": "funded in round {round}: its {supporters} {supporters_word} could "
        "buy it soonest; {left} remained",
        "funded-completion": "funded in round {round} (completion): {left} was still left, it "
        "cost {cost}",
        "funded-free": "funded in round {round}: it costs nothing",
        "no-money": "not funded: {left} left when its turn came, it needed {cost}",
        "stopped": "not funded: counting stopped before its turn ({left} left, it costs {cost})",
        "below-threshold": "not funded: {score_text}, below the threshold of {threshold}",
        "supporters-short": "not funded: its {supporters} {supporters_word} had only "
        "{supporters_money} left, it needed {cost}",
        "no-supporters": "not funded: nobody voted for it",
        "replaced": "not funded: in the comparison more voters preferred the other outcome "
        "({prefer_greedy} against {prefer_mes})",
    },
}

_SCORE_WORDS = {
    "lv": {
        "votes": ("balss", "balsis"),
        "points": ("punkts", "punkti"),
        "score": ("punkts", "punkti"),
        "density": ("", ""),
    },
    "en": {
        "votes": ("vote", "votes"),
        "points": ("point", "points"),
        "score": ("point", "points"),
        "density": ("", ""),
    },
}


def _score_text(numbers: dict[str, Any], unit: str, lang: str) -> str:
    if "score" in numbers:
        value = numbers["score"]
    elif "supporters" in numbers:
        value, unit = numbers["supporters"], "votes"
    else:
        return ""
    if isinstance(value, Fraction) and value.denominator != 1:
        shown = _number(value, lang, 2)
    else:
        shown = format_count(value, lang)
    one, many = _SCORE_WORDS[lang].get(unit, _SCORE_WORDS[lang]["votes"])
    word = _lv_plural(value, one, many) if lang == "lv" else (one if value == 1 else many)
    return f"{shown} {word}".strip()


def sentence(
    reason: str,
    numbers: dict[str, Any],
    round_no: int | None,
    lang: str = "lv",
    currency: str = "EUR",
    score_unit: str = "votes",
    rule_family: str = "greedy",
) -> str:
    """Render one decision as a sentence in ``lang`` (``lv`` or ``en``).

    Raises :class:`ValueError` for another language.
    """
    if lang not in _TEXT:
        raise ValueError(f"unsupported language {lang!r}; use one of {LANGUAGES}")
    key = reason
    if reason == "funded" and rule_family == "mes":
        key = "funded-mes"
    elif reason == "funded" and rule_family == "phragmen":
        key = "funded-phragmen"
    template = _TEXT[lang].get(key, _TEXT[lang]["no-money"])
    supporters = numbers.get("supporters", 0)
    if lang == "lv":
        supporters_word = _lv_plural(supporters, "atbalstītājs", "atbalstītāji")
        if key == "supporters-short":
            supporters_word = _lv_plural(supporters, "atbalstītājam", "atbalstītājiem")
    else:
        supporters_word = "supporter" if supporters == 1 else "supporters"
    values = {
        "round": round_no if round_no is not None else "",
        "cost": format_money(numbers.get("cost", 0), lang, currency),
        "left": format_money(numbers.get("budget_left", 0), lang, currency),
        "supporters": format_count(supporters, lang),
        "supporters_word": supporters_word,
        "max_payment": format_money(numbers.get("max_payment", 0), lang, currency),
        "average_payment": format_money(numbers.get("average_payment", 0), lang, currency),
        "supporters_money": format_money(numbers.get("supporters_money", 0), lang, currency),
        "threshold": format_count(numbers.get("threshold", 0), lang),
        "score_text": _score_text(numbers, score_unit, lang),
        "prefer_mes": format_count(numbers.get("prefer_mes", 0), lang),
        "prefer_greedy": format_count(numbers.get("prefer_greedy", 0), lang),
    }
    return template.format(**values)
