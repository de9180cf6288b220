"""Harmonised geography: ISO 3166 alpha-2 country codes and IOM Missing Migrants route labels."""

from __future__ import annotations

import re
from functools import cache

import pycountry

# Publisher spellings that pycountry does not resolve by name.
_COUNTRY_ALIASES = {
    "democratic republic of the congo": "CD",
    "congo, democratic republic of the": "CD",
    "republic of the congo": "CG",
    "congo": "CG",
    "iran": "IR",
    "iran (islamic republic of)": "IR",
    "syria": "SY",
    "russia": "RU",
    "turkey": "TR",
    "türkiye": "TR",
    "south korea": "KR",
    "north korea": "KP",
    "laos": "LA",
    "vietnam": "VN",
    "viet nam": "VN",
    "bolivia": "BO",
    "venezuela": "VE",
    "tanzania": "TZ",
    "moldova": "MD",
    "kosovo": "XK",
    "palestine": "PS",
    "state of palestine": "PS",
    "occupied palestinian territory": "PS",
    "czech republic": "CZ",
    "cape verde": "CV",
    "swaziland": "SZ",
    "micronesia": "FM",
    "federated states of micronesia": "FM",
    "myanmar/burma": "MM",
    "burma": "MM",
    "gambia, the": "GM",
    "the gambia": "GM",
    "former yugoslav republic of macedonia, the": "MK",
    "macedonia": "MK",
    "vatican city state": "VA",
    "vatican city": "VA",
    "holy see": "VA",
    "united states": "US",
    "el": "GR",  # Eurostat's code for Greece
    "uk": "GB",
    "usa": "US",
    "united kingdom of great britain and northern ireland": "GB",
    "ivory coast": "CI",
    "cote d'ivoire": "CI",
    "brunei": "BN",
    "east timor": "TL",
    "western sahara": "EH",
    "germany (until 1990 former territory of the frg)": "DE",
    "china (including hong kong)": "CN",
    "são tomé and príncipe": "ST",
    "sao tome and principe": "ST",
    "cook islands (nz)": "CK",
    "netherlands antilles": "AN",
    "serbia and montenegro": "CS",
}

# Alpha-3 codes that Frontex and IOM use outside ISO 3166.
_SPECIAL_ALPHA3 = {"XKX": "XK"}

_PARENTHESES = re.compile(r"\s*\(.*?\)\s*")


@cache
def country_code(name: str) -> str | None:
    """ISO alpha-2 code for a country name or alpha-3 code; None when it is not one country."""
    text = name.strip()
    if not text:
        return None
    key = text.casefold()
    if key in _COUNTRY_ALIASES:
        return _COUNTRY_ALIASES[key]
    if len(text) == 3 and text.isupper():
        if text in _SPECIAL_ALPHA3:
            return _SPECIAL_ALPHA3[text]
        found = pycountry.countries.get(alpha_3=text)
        return found.alpha_2 if found else None
    bare = _PARENTHESES.sub(" ", text).strip()
    if bare.casefold() in _COUNTRY_ALIASES:
        return _COUNTRY_ALIASES[bare.casefold()]
    for candidate in (text, bare):
        try:
            return pycountry.countries.lookup(candidate).alpha_2
        except LookupError:
            continue
    return None


# Every known spelling of a route, mapped to the IOM Missing Migrants Project label.
ROUTE_LABELS = {
    # Frontex route names
    "Central Mediterranean Route": "Central Mediterranean",
    "Eastern Mediterranean Route": "Eastern Mediterranean",
    "Western Mediterranean Route": "Western Mediterranean",
    "Western African Route": "Western Africa / Atlantic route to the Canary Islands",
    "Western Balkan Route": "Western Balkans",
    "Eastern Borders Route": "Eastern land borders",
    "Circular Route from Albania to Greece": "Circular route Albania-Greece",
    "Black Sea Route": "Black Sea",
    # IOM Missing Migrants labels of the pre-2021 exports
    "Western African": "Western Africa / Atlantic route to the Canary Islands",
    "Calais to United Kingdom": "English Channel to the UK",
    "Central America to US": "US-Mexico border crossing",
    "Darien Gap": "Darien",
    "Horn Africa to Yemen": "Horn of Africa to Yemen crossing",
}


def route_label(name: str | None) -> str | None:
    """The IOM Missing Migrants label for a route; multi-valued cells keep every part, harmonised."""
    if name is None:
        return None
    parts = [part.strip() for part in str(name).split(",") if part.strip()]
    if not parts:
        return None
    return ", ".join(ROUTE_LABELS.get(part, part) for part in parts)


# Arrival country (IOM DTM / UNHCR) to the sea route that leads to it.
ARRIVAL_ROUTES = {
    "IT": "Central Mediterranean",
    "MT": "Central Mediterranean",
    "GR": "Eastern Mediterranean",
    "CY": "Eastern Mediterranean",
    "BG": "Eastern Mediterranean",
    "ES": "Western Mediterranean",
    "GB": "English Channel to the UK",
}


def nationality_code(code: str) -> str:
    """ISO alpha-2 for a nationality given as alpha-3; the publisher's own code when it is not a
    country (Frontex: STL stateless, OOO unknown, OOS other sub-Saharan)."""
    return country_code(code) or code.strip()
