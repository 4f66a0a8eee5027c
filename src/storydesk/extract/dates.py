"""Dates: parse the common ways news pages, feeds and JSON write a date, and find a
date line ("date 2024-01-28", "Published: Jan. 28, 2024") at the head of a text.

Strict regular expressions first (fast, predictable); python-dateutil only as a
last resort for short strings that carry a four-digit year. Output is ISO 8601:
``YYYY-MM-DD`` when no time is given, else a full timestamp (with its offset when
the source names a time zone).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

MIN_YEAR = 1900
MAX_YEARS_AHEAD = 1  # a date more than this many years after today is nonsense
HEAD_LINES = 8  # how many non-empty lines at the head of a text may hold its date

_MONTHS: dict[str, int] = {}
for _n, _names in enumerate(
    [
        "january jan janvier janv januar jänner enero ene gennaio "
        "gen janeiro января январь stycznia styczeń ocak januari يناير",
        "february feb febr février fév févr februar febrero febbraio "
        "fevereiro fev февраля февраль lutego luty şubat februari فبراير",
        "march mar mars märz marzo março марта март marca marzec mart maart مارس",
        "april apr avril abril aprile abr апреля апрель kwietnia kwiecień nisan أبريل إبريل",
        "may mai mayo maggio maio мая май maja maj mayıs mei مايو",
        "june jun juin juni junio giugno junho июня июнь czerwca czerwiec haziran يونيو",
        "july jul juillet juil juli julio luglio lug julho июля июль lipca lipiec temmuz يوليو",
        "august aug août agosto ago августа август sierpnia sierpień ağustos augustus أغسطس",
        "september sep sept septembre septiembre settembre set "
        "setembro сентября сентябрь września wrzesień eylül سبتمبر",
        "october oct octobre oktober okt octubre ottobre ott "
        "outubro out октября октябрь października październik ekim أكتوبر",
        "november nov novembre noviembre novembro ноября ноябрь listopada listopad kasım نوفمبر",
        "december dec décembre déc dezember dez diciembre dic "
        "dicembre dezembro декабря декабрь grudnia grudzień aralık ديسمبر",
    ],  # en fr de es it pt ru, then pl tr nl ar
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _n

# Time-zone abbreviations whose offset is not in doubt (ET/PT/CST are: left naive).
_TZ_HOURS: dict[str, float] = {
    "z": 0, "utc": 0, "gmt": 0, "ut": 0, "bst": 1, "cet": 1, "cest": 2, "met": 1, "eet": 2,
    "eest": 3, "msk": 3, "wet": 0, "west": 1, "jst": 9, "kst": 9, "hkt": 8, "sgt": 8,
    "awst": 8, "aest": 10, "aedt": 11, "nzst": 12, "nzdt": 13, "est": -5, "edt": -4,
    "cdt": -5, "mst": -7, "mdt": -6, "pst": -8, "pdt": -7, "wib": 7, "pkt": 5, "trt": 3,
    "gst": 4, "ast": 3, "ist": 5.5,
}

_MONTH_RE = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_WEEKDAY = (
    r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?"
    r"|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag"
    r"|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\.?,?\s+"
)
_TIME = (
    r"(?:\s*,?\s*(?:at\s+|[-|@·•]\s*|T)?(?P<H>[0-2]?\d)[:h](?P<M>[0-5]\d)"
    r"(?::(?P<S>[0-5]\d)(?:[.,]\d+)?)?(?:\s*(?P<ampm>[ap])\.?\s?m\b\.?)?"
    r"(?:\s*\(?(?P<tz>Z\b|[+-]\d{2}:?\d{2}\b|(?:UTC|GMT)(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?"
    r"|(?-i:[A-Z]{2,4})\b)\)?)?)?"
)
_FORMATS = [
    # 2024-01-28, 2024/01/28, 2024.01.28 (+ time)
    ("ymd", r"(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?!\d)"),
    # 2024年1月28日 (Chinese, Japanese), 2024년 1월 28일 (Korean)
    ("ymd", r"(?P<y>\d{4})\s*[年년]\s*(?P<m>\d{1,2})\s*[月월]\s*(?P<d>\d{1,2})\s*[日일]"),
    # 28 January 2024, Sun, 28 Jan 2024, 28-Jan-2024, 28th of January, 2024
    (
        "dmy",
        rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\.?(?:\s+of)?[\s-]+(?P<mon>{_MONTH_RE})\.?,?[\s-]+"
        r"(?P<y>\d{4})(?!\d)",
    ),
    # January 28, 2024, Jan. 28 2024, January 28th, 2024
    (
        "mdy",
        rf"(?P<mon>{_MONTH_RE})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})(?!\d)",
    ),
    # 28.01.2024 (day first), 01/28/2024 (month first unless the first number > 12)
    ("num", r"(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})(?!\d)"),
]
_PRE_TIME = r"(?:(?P<H0>[0-2]?\d):(?P<M0>[0-5]\d)\s*,?\s+)?"
_DATE_RES = [
    (kind, re.compile(rf"{_PRE_TIME}(?:{_WEEKDAY})?{body}{_TIME}", re.I))
    for kind, body in _FORMATS
]
# A dateline opening the first paragraph: "VELGRAD, Feb. 16, 2026 (Meridian Wire) - ".
_DATELINE_PLACE = re.compile(
    r"[A-ZÀ-ÞА-ЯЁ][\w'’.-]*(?:[ -][A-ZÀ-ÞА-ЯЁ][\w'’.-]*){0,3}"
    r"(?:,\s*[A-ZÀ-ÞА-ЯЁ][\w'’.-]*(?:\s[A-ZÀ-ÞА-ЯЁ][\w'’.-]*){0,2})?,\s+"
)
_DATELINE_END = re.compile(r"\.?\s*(?:\([^)\n]{1,40}\)|/[^/\n]{1,40}/)?\.?\s*(?:[-–—]{1,2}|:)?\s")
_EPOCH = re.compile(r"\d{10}(?:\d{3})?(?:\.\d+)?")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_TRAILING_JUNK = re.compile(r"[\s,.;|()\[\]]*")
_LABEL = re.compile(
    r"(?P<label>date|dated|published|publication date|first published|originally published"
    r"|posted|updated|last updated|last modified|modified|created|issued|released"
    r"|veröffentlicht|aktualisiert|publié le|publié|mis à jour|publicado|actualizado"
    r"|опубликовано|обновлено)\b\.?(?:\s+(?:on|at|le|am|el))?\s*[:\-–—|]?\s*",
    re.I,
)
_MID_LABEL = re.compile(
    r"\s[·|•—–-]\s*(?=(?:published|posted|updated|date|dated|last updated)\b)", re.I
)
_SECONDARY = re.compile(r"(?:last\s+)?(?:updated|modified|aktualisiert|mis|actual|обнов)", re.I)
_BY = re.compile(r"(?:by|von|par|por)\s", re.I)
_SENTENCE_END = re.compile(r"[.!?…]['\"”’»)]*$")


def _offset(tz: str | None) -> timezone | None:
    if not tz:
        return None
    t = tz.strip().lower().replace(" ", "")
    if t in _TZ_HOURS:
        return timezone(timedelta(hours=_TZ_HOURS[t]))
    m = re.fullmatch(r"(?:utc|gmt)?([+-])(\d{1,2}):?(\d{2})?", t)
    if not m:
        return None
    hours, minutes = int(m.group(2)), int(m.group(3) or 0)
    if hours > 14 or minutes > 59:
        return None
    sign = -1 if m.group(1) == "-" else 1
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _plausible(year: int) -> bool:
    return MIN_YEAR <= year <= date.today().year + MAX_YEARS_AHEAD


def _build(kind: str, m: re.Match[str]) -> str | None:
    g = m.groupdict()
    y = int(g["y"])
    if kind == "ymd":
        mo, d = int(g["m"]), int(g["d"])
    elif kind in ("dmy", "mdy"):
        mo, d = _MONTHS[g["mon"].lower()], int(g["d"])
    else:
        a, b = int(g["a"]), int(g["b"])
        if g["sep"] == "/" and a <= 12:
            mo, d = a, b  # US order
        else:
            mo, d = b, a
    if not _plausible(y):
        return None
    try:
        day = date(y, mo, d)
    except ValueError:
        return None
    if g.get("H") is None and g.get("H0") is not None:
        g["H"], g["M"] = g["H0"], g["M0"]
    if g.get("H") is None:
        return day.isoformat()
    hour, minute, second = int(g["H"]), int(g["M"]), int(g["S"] or 0)
    if g.get("ampm"):
        if hour > 12:
            return day.isoformat()
        hour = hour % 12 + (12 if g["ampm"].lower() == "p" else 0)
    if hour > 23:
        return day.isoformat()
    tz = _offset(g.get("tz"))
    return datetime(y, mo, d, hour, minute, second, tzinfo=tz).isoformat()


# Where a date of _DATE_RES can begin: a digit, a month name or a weekday (the first
# three letters of any, a superset that match_date then checks).
_RUN = re.compile(r"[^\W_]+")
_STARTS = frozenset(
    [m[:3] for m in _MONTHS]
    + "mon tue wed thu fri sat sun die mit don fre sam son lun mar mer jeu ven dim".split()
)


def find_dates(s: str) -> list[tuple[int, int, str]]:
    """Every date of :func:`match_date` written in ``s``, left to right, not overlapping:
    ``(start, end, iso)``, each starting at a word."""
    out: list[tuple[int, int, str]] = []
    end = 0
    for m in _RUN.finditer(s):
        i = m.start()
        if i < end or (i and s[i - 1].isalnum()):
            continue
        if not (s[i].isdigit() or s[i:i + 3].lower() in _STARTS):
            continue
        found = match_date(s, i)
        if found:
            out.append((i, found[1], found[0]))
            end = found[1]
    return out


def match_date(s: str, pos: int = 0) -> tuple[str, int] | None:
    """A date written at ``s[pos:]``: ``(iso, end)``, or None."""
    for kind, rx in _DATE_RES:
        m = rx.match(s, pos)
        if m:
            iso = _build(kind, m)
            if iso:
                return iso, m.end()
    return None


def _dateutil(s: str) -> str | None:
    if len(s) > 80 or not _YEAR.search(s):
        return None
    try:
        from dateutil import parser
    except ImportError:  # pragma: no cover - dateutil comes with trafilatura
        return None
    try:
        dt = parser.parse(s, default=datetime(1904, 1, 1))
        other = parser.parse(s, default=datetime(1908, 2, 2))
    except (ValueError, OverflowError, TypeError):
        return None
    if dt.date() != other.date():
        return None  # year, month or day not given: no date
    if not _plausible(dt.year):
        return None
    if ":" not in s and not (dt.hour or dt.minute or dt.second):
        return dt.date().isoformat()
    return dt.isoformat()


def parse_date(s: str) -> str | None:
    """An ISO 8601 date (``YYYY-MM-DD``) or timestamp from a date as written, or None.

    Reads ISO 8601, RFC 822 ("Sun, 28 Jan 2024 10:00:00 GMT"), "28 January 2024",
    "Jan. 28, 2024", "January 28, 2024 10:15 UTC", "28.01.2024", "01/28/2024" and
    Unix timestamps. Years before 1900 or more than a year ahead are rejected.
    """
    if not isinstance(s, str):
        s = str(s)
    s = s.strip()
    if not s or len(s) > 200:
        return None
    if _EPOCH.fullmatch(s):
        secs = float(s) / (1000 if len(s.split(".")[0]) == 13 else 1)
        try:
            dt = datetime.fromtimestamp(secs, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
        return dt.isoformat() if _plausible(dt.year) else None
    found = match_date(s)
    if found:
        iso, end = found
        if _TRAILING_JUNK.fullmatch(s, end):
            return iso
    return _dateutil(s)


def date_in_line(line: str) -> tuple[str, str, bool] | None:
    """Read one line as a date line.

    Returns ``(iso, rest, secondary)``: ``rest`` is what follows the date when the
    line goes on into body text ("date 2024-01-28 Moscow, Jan 28 - ..."), else "";
    ``secondary`` is True for an "Updated"/"Modified" date. None when the line is
    not a date line.
    """
    s = line.strip()
    if not s or len(s) > 100_000:
        return None
    lm = _LABEL.match(s)
    if not lm and len(s) < 160:
        # "Elin Varga · Published 3 March 2026, 11:04"
        mid = _MID_LABEL.search(s, 0, 80)
        if mid:
            lm = _LABEL.match(s, mid.end())
            if not lm:
                return None
    pos = lm.end() if lm else 0
    found = match_date(s, pos)
    if not found:
        return None
    iso, end = found
    rest = s[end:].strip(" \t,;|-–—·•:")
    secondary = bool(lm and _SECONDARY.match(lm.group("label")))
    if not rest:
        return iso, "", secondary
    words = rest.split()
    if _LABEL.match(rest) or _BY.match(rest) or (
        len(words) <= 4 and not _SENTENCE_END.search(rest)
    ):
        return iso, "", secondary  # "… | Updated: …", "… by Staff", "… | Moscow"
    if lm:
        return iso, rest, secondary  # a labelled date written before the first sentence
    return None  # a sentence that starts with a date is body text


def date_in_dateline(line: str) -> str | None:
    """The date of a dateline that opens a paragraph ("KARSK, Ostmark, March 2, 2026
    (Meridian Wire) - ..."), or None. The text is left as it is."""
    m = _DATELINE_PLACE.match(line)
    if not m:
        return None
    found = match_date(line, m.end())
    if not found or not _DATELINE_END.match(line, found[1]):
        return None
    return found[0]


def is_date_line(line: str) -> bool:
    """True when the whole line is a date (labelled or not) and nothing else."""
    found = date_in_line(line)
    return bool(found and not found[1])


def find_date_line(text: str) -> tuple[str | None, str]:
    """The date written on a line near the head of ``text``, and the text without it.

    A labelled date ("Published: ...") anywhere counts too when none is at the head.
    Returns ``(None, text)`` when there is no date line.
    """
    lines = text.split("\n")
    idx, iso, rest = find_date_in_lines(lines)
    if idx is None:
        return None, text
    if rest:
        lines[idx] = rest
    else:
        del lines[idx]
    return iso, "\n".join(lines)


def date_lines(lines: list[str], head: int = HEAD_LINES) -> list[tuple[int, str, str, bool]]:
    """Every date line among ``lines`` as ``(index, iso, rest, secondary)``: any in the
    first ``head`` non-empty lines, and labelled whole-line dates ("Updated: ...")
    further down."""
    out: list[tuple[int, str, str, bool]] = []
    seen = 0
    for i, line in enumerate(lines):
        if not line or line.isspace():
            continue
        if seen < head:
            seen += 1
            found = date_in_line(line)
            if found:
                out.append((i, *found))
        elif len(line) < 120 and _LABEL.match(line.lstrip()):
            found = date_in_line(line)
            if found and not found[1]:
                out.append((i, *found))
    return out


def find_date_in_lines(
    lines: list[str], head: int = HEAD_LINES
) -> tuple[int | None, str | None, str]:
    """``(index, iso, rest)`` of the article's date line among ``lines``: the first
    primary date in the first ``head`` non-empty lines, else an "Updated" one there,
    else the first labelled date line further down. ``(None, None, "")`` when none."""
    found = date_lines(lines, head)
    if not found:
        return None, None, ""
    best = next((f for f in found if not f[3]), found[0])
    return best[0], best[1], best[2]
