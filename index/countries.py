"""The countries a text names, in the staff's languages.

A commission is a pair (or a group) of countries, and its reports name them. "Who co-chaired the 13th
meeting of the Azerbaijan–Uzbekistan commission?" over an archive that reports the 13th German–Uzbek
session is a near miss dense similarity cannot see: the commission, the session number and one of the
two countries all match. So the countries a question names are, like its numbers
(:mod:`index.constraints`), something the answering document must name too, in any of its languages:
"азербайджано-грузинской", "Azerbaijan–Georgia", "Azərbaycan-Gürcüstan" and "Әзербайжан мен Грузия"
all name the same two countries.

Names are matched as word beginnings (stems) in lower case, so that the forms a language bends a
name into ("Казахстана", "казахстанско-", "Kazakhstan's", "Kasachstans") all count. The list covers
the countries around the commission's work (the former Soviet states, their neighbours and partners)
in Russian, English, Kazakh, Azerbaijani, Turkish and German. A country missing from it is simply
not checked.
"""

from __future__ import annotations

import re

# Country -> word beginnings in ru, en, kk, az, tr, de, as regular-expression fragments matched at a
# word's start in lower case. Careful with short stems: "türk" alone would take Turkmenistan for Turkey,
# "грузи" would take "грузить" (to load) for Georgia, "alman" the Turkish verb form "almanız".
COUNTRY_STEMS: dict[str, tuple[str, ...]] = {
    "Azerbaijan": (
        "азербайдж",
        "azerbaij",
        "azeri",
        "әзербайжан",
        "әзірбайжан",
        "azərbaycan",
        "azerbaycan",
        "aserbaidsch",
    ),
    "Russia": ("росси", "русск", r"рф\b", "russia", "ресей", "rusiya", "rusya", "russland", "russisch"),
    "Kazakhstan": ("казах", "kazakh", "kazak", "қазақ", "qazax", "kasach"),
    "Kyrgyzstan": ("кыргыз", "киргиз", "kyrgyz", "kirgiz", "қырғыз", "qırğız", "kırgız", "kirgis"),
    "Uzbekistan": ("узбек", "uzbek", "өзбек", "özbək", "özbek", "usbek"),
    "Turkmenistan": ("туркмен", "turkmen", "түрікмен", "түркімен", "türkmən", "türkmen"),
    "Tajikistan": ("таджик", "tajik", "тәжік", "tacik", "tadschik"),
    "Turkey": ("турци", "турецк", "turkey", "turkish", "türkiy", "turkiy", "түркия", "түрік елі", "türkei", "türkisch"),
    "Georgia": (
        "грузи[яиюе]",
        "грузинск",
        "georgia",
        "gürcüst",
        "gürcist",
        r"gürcü\b",
        "гүржі",
        "georgien",
        "georgisch",
    ),
    "Belarus": ("беларус", "белорус", "belarus", "weißrussland", "belarussisch"),
    "Germany": (
        "герман",
        "немец",
        "немц",
        "немецк",
        "germany",
        r"german\b",
        "неміс",
        "германия",
        "almaniya",
        "almanya",
        r"alman\b",
        "deutsch",
    ),
    "Iran": ("иран", "iran"),
    "Hungary": ("венгр", "венгер", "hungar", "мажар", "macarıstan", r"macar\b", "ungarn", "ungarisch"),
    "China": ("кита[йяе]", "китайск", "china", "chinese", "қытай", r"çin\b", "çin[ld]", "chines"),
    "Ukraine": ("украин", "ukrain", "ukrayn"),
    "Armenia": ("армени", "армянск", "armenia", "ermənistan", "ermeni", "armenien", "armenisch"),
    "Moldova": ("молдав", "молдов", "moldov", "moldau"),
    "Mongolia": ("монгол", "mongol", "moğol"),
    "Afghanistan": ("афган", "afghan", "əfqan", "afgan"),
    "Pakistan": ("пакистан", "pakistan"),
    "India": ("инди[яиюе]", "индийск", r"india\b", "indian", "үнді", "hindistan", "indien", "indisch"),
    "Korea": ("коре[яиюе]", "корейск", "korea", "koreya", r"kore\b", "kores"),
    "Japan": ("япон", "japan", "жапон", "yaponiya", "japon"),
    "France": ("франци", "французск", "france", "french", "fransa", "frankreich", "französisch"),
    "Italy": ("итали", "итальянск", "italy", "italian", "italiya", "italya", "italien"),
    "Poland": ("польш", "польск", "poland", "polish", "polşa", "polonya", "polen", "polnisch"),
    "Latvia": ("латви", "latvia", "latviya", "letonya", "lettland"),
    "Lithuania": ("литв[аеуы]", "литовск", "lithuania", "litva", "litvanya", "litauen"),
    "Estonia": ("эстон", "estonia", "estoniya", "estonya", "estland"),
    "Egypt": ("египет", "египт", "egypt", "misir", "ägypt"),
    "Saudi Arabia": ("саудовск", "saudi", "səudiyyə", "suudi"),
    "United Arab Emirates": ("оаэ", "эмират", "emirates", r"uae\b", "əmirlik", r"bae\b", "emirate"),
    "Qatar": ("катар", "qatar", "katar"),
    "Israel": ("израил", "israel", "israil"),
    "Serbia": ("серби", "serbia", "serbiya", "sırbistan", "serbien"),
    "Bulgaria": ("болгар", "bulgar", "bolqar"),
    "Romania": ("румын", "romania", "rumıniya", "romanya", "rumänien"),
    "Austria": ("австри", "austria", "avstriya", "avusturya", "österreich"),
    "Switzerland": ("швейцар", "switzerland", "swiss", "isveçrə", "isviçre", "schweiz"),
    "Finland": ("финлян", "finland", "finlandiya", "finnland"),
    "Malaysia": ("малайзи", "malaysia", "malayziya", "malezya"),
    "Indonesia": ("индонез", "indonesia", "indonez"),
    "Vietnam": ("вьетнам", "vietnam", "vyetnam"),
    "United States": (
        r"сша\b",
        "америк",
        "united states",
        "american",
        r"usa\b",
        r"abş\b",
        "amerika",
        "vereinigte staaten",
    ),
    "United Kingdom": (
        "великобритан",
        "британ",
        "united kingdom",
        "britain",
        "british",
        "böyük britaniya",
        "birleşik krallık",
        "großbritannien",
    ),
}


def _canonical(text: str) -> str:
    # Turkish dotted capital İ lower-cases to "i" plus a combining dot; treat it as a plain "i".
    return text.lower().replace("i̇", "i")


_PATTERNS = {country: re.compile(r"(?<!\w)(?:" + "|".join(stems) + ")") for country, stems in COUNTRY_STEMS.items()}


def countries_in(text: str) -> set[str]:
    """Every listed country the text names."""
    text = _canonical(text)
    return {country for country, pattern in _PATTERNS.items() if pattern.search(text)}


def commission_countries(question: str) -> set[str]:
    """The countries of the commission a question asks about: two or more it names, else none.

    A single country is not a commission's pair: "Which German city hosts the fair?" may be
    answered by a text that never writes "Germany" (measured on XQuAD: checking single countries
    cost a point of its Russian and English questions and changed nothing on the archive).
    """
    named = countries_in(question)
    return named if len(named) >= 2 else set()
