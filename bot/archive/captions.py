"""Title, source and date of a document from an upload's caption.

Two forms, as admins write them:

    Протокол заседания; Trend; 2025-07-15          (title; source; date — any of them may be left out)

    Название: Протокол заседания                   (one "key: value" per line, keys in ru/en/kk/az)
    Источник: Trend
    Дата: 15.07.2025
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

# The sidecar's own field names, and what admins call them in the bot's languages.
FIELD_KEYS: dict[str, tuple[str, ...]] = {
    "title": ("title", "name", "название", "заголовок", "наименование", "атауы", "тақырыбы", "başlıq", "ad"),
    "source": ("source", "agency", "источник", "агентство", "дереккөз", "mənbə", "mənbəyi"),
    "date": ("date", "дата", "күні", "күн", "tarix", "tarixi"),
    "place": ("place", "место", "орын", "орны", "yer", "yeri"),
}
EDITABLE_FIELDS = ("title", "source", "date")
_KEY_OF = {alias: key for key, aliases in FIELD_KEYS.items() for alias in aliases}
_KEY_VALUE = re.compile(r"^\s*([^\W\d_][\w ]{0,20}?)\s*[:=]\s*(.*?)\s*$")
_DATE_FORMATS = (
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
    re.compile(r"^(?P<d>\d{1,2})[./](?P<m>\d{1,2})[./](?P<y>\d{4})$"),
)
MAX_FIELD_CHARS = 300


@dataclass
class CaptionMeta:
    fields: dict[str, str] = field(default_factory=dict)
    bad_date: str = ""  # what was written where a date belongs, when it is not one


def parse_date(text: str) -> str | None:
    """ "2025-07-15", "15.07.2025" or "15/07/2025" as ISO "2025-07-15"; None when it is not a real date."""
    text = text.strip()
    for pattern in _DATE_FORMATS:
        match = pattern.match(text)
        if match:
            try:
                return date(int(match["y"]), int(match["m"]), int(match["d"])).isoformat()
            except ValueError:
                return None
    return None


def _set(meta: CaptionMeta, key: str, value: str) -> None:
    value = " ".join(value.split())[:MAX_FIELD_CHARS]
    if not value:
        return
    if key == "date":
        iso = parse_date(value)
        if iso is None:
            meta.bad_date = value
            return
        value = iso
    meta.fields[key] = value


def parse_caption(caption: str | None) -> CaptionMeta:
    """Metadata fields ("title", "source", "date", "place") found in a caption."""
    meta = CaptionMeta()
    lines = [line for line in (caption or "").splitlines() if line.strip()]
    keyed = [(_KEY_VALUE.match(line), line) for line in lines]
    if lines and all(m and m.group(1).strip().lower() in _KEY_OF for m, _ in keyed):
        for match, _ in keyed:
            assert match is not None
            _set(meta, _KEY_OF[match.group(1).strip().lower()], match.group(2))
        return meta
    # "title; source; date": a part's place says what it is; a date is recognised wherever it stands.
    for position, part in enumerate(part.strip() for part in " ".join(lines).split(";")):
        if not part:
            continue
        if parse_date(part) is not None or position == 2:
            _set(meta, "date", part)
        elif position < 2:
            _set(meta, ("title", "source")[position], part)
    return meta
