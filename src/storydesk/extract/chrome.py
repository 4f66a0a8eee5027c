"""Web-page chrome in saved plain text: buttons, navigation, share and cookie lines.

Two sources of knowledge:

* a curated list of patterns (data below: case-insensitive regexes, each matched
  against a whole line after its edges are trimmed of bullets, arrows and pipes);
* a caller's hook ``is_boilerplate(line)`` for lines that repeat across many
  articles of one outlet (the store counts them with :func:`line_key`).

Navigation links ("Previous Article", "Next Article") are followed by another
article's headline, and list headings ("Related articles", "Most read") by a run of
headlines: those go too.
"""

from __future__ import annotations

import re
from collections.abc import Callable

MAX_CHROME_WORDS = 30  # a line longer than this is never chrome (cookie notices aside)
MAX_NOTICE_WORDS = 90  # cookie / rights notices may run long
MAX_HEADLINE_WORDS = 25  # a neighbouring headline after "Next Article" is no longer
MAX_LIST_HEADLINES = 10  # headlines removed after a list heading such as "Most read"

# Whole-line chrome: removed alone.
CHROME_LINES: list[str] = [
    # summary buttons
    r"(?:no time to read\??\s*)?get (?:a|the|an ai) summary",
    r"no time to read\??",
    r"(?:show |ai |article |quick )?summary",
    r"summari[sz]e(?: this)?(?: article| story)?",
    r"(?:key (?:points|takeaways)|tl;?\s?dr)",
    # share / social
    r"share(?: this| the)?(?: article| story| post| page| video)?(?: on \w+)?:?",
    r"\d+\s+shares?",
    r"(?:tweet|pin it|copy link|link copied|copy article link|email this|e-?mail)",
    r"(?:print|print this|print article|print this (?:article|page)|font size|text size"
    r"|a\+?\s?a-?)",
    r"(?:bookmark|save|save article|save for later|saved|gift (?:this )?article"
    r"|give this article|listen|listen to (?:this )?(?:article|story)(?: \d+:\d+)?"
    r"|\d+ min(?:ute)?s? (?:read|listen)|reading time:? .*|\d+:\d+|audio|play|play video"
    r"|watch|watch (?:now|video|live)|open in app|expand|close|menu|search|home|caption"
    r"|enlarge (?:this )?image|image|photo|video|gallery|loading\.*|skip to (?:main )?content"
    r"|back to top|toggle navigation|view (?:all|more|comments|gallery)|show more|load more)",
    r"follow(?: us)?(?: on .{1,40})?|follow @\w+|join (?:us|our \w+ channel) on .{1,40}",
    # subscribe / sign up / account
    r"subscribe(?: now| today| here| for free)?!?",
    r"subscribe (?:to|for) .{0,80}",
    r"sign (?:up|in)(?: now| here| for free| today)?!?|sign up (?:for|to) .{0,80}",
    r"(?:log ?in|login|register|create (?:a |an |your )?(?:free )?account|my account)",
    r"(?:already (?:a subscriber|have an account)|become a (?:member|subscriber|patron)"
    r"|support (?:our|independent|quality) journalism|donate|unlock this article"
    r"|this (?:article|content) is (?:for|available to) subscribers).{0,80}",
    r"(?:get|join|receive) (?:our|the) .{0,60}newsletters?.{0,40}",
    r"(?:enter )?(?:your )?e-?mail(?: address)?",
    # related / more reading
    r"continue reading|read (?:the )?full (?:article|story)|keep reading",
    r"(?:read more|read also|also read|see also|related|related article|more|more on this"
    r"|recommended|watch|listen|more from \w+|latest|related stories)\s*:.{1,200}",
    r"(?:click|tap) here.{0,80}|download (?:our|the) (?:free )?app.{0,60}",
    # advertising
    r"(?:advertisement|advertising|ad|ads|sponsored(?: content)?|promoted(?: content)?"
    r"|partner content|paid (?:post|content)|\(?ad\)?|anzeige|publicité|реклама)",
    r"(?:scroll (?:down )?to continue(?: reading)?|(?:story|article) continues below"
    r"(?: advertisement)?|continue reading below|advertisement - scroll to continue)",
    # comments
    r"comments?(?: \(\d+\))?|\d+ comments?|leave a (?:comment|reply)|add a comment"
    r"|join the (?:conversation|discussion)|show comments|post a comment",
    r"(?:report an error|report a (?:typo|mistake)|feedback|contact us|about us"
    r"|corrections? policy|editorial (?:policy|standards))",
    # tags, breadcrumbs
    r"(?:tags|topics|filed under|categories|category|keywords|themen|sujets)\s*:.{0,300}",
    # rights
    r"(?:©|\(c\))\s*.{0,120}|copyright\s*(?:©|\(c\)|\d{4}|by\b|of\b).{0,120}",
    r"reproduction (?:is )?(?:prohibited|forbidden|not permitted).{0,120}",
    # photo credits
    r"\(?(?:photo|photograph|image|picture|pictured|illustration|graphic|credit|credits"
    r"|photo credit|image credit|image source|file photo|lead image|top image|foto|фото)"
    r"\s*(?:by|:|/|©|—|–|-)\s*.{0,150}",
    # pagination, misc
    r"page \d+ of \d+|\d+ of \d+|1\s*2\s*3.*next|(?:« |‹ )?(?:older|newer) (?:post|entries)",
    r"(?:please )?enable javascript.{0,120}|your browser does not support.{0,120}",
    r"this (?:content|video) is not available.{0,80}",
]

# Whole-line chrome recognised by a word anywhere in it: (substrings that must occur
# in the lower-cased line, pattern for the whole line). Short lines only.
KEYWORD_LINES: list[tuple[tuple[str, ...], str]] = [
    (("newsletter",), r".{0,40}newsletters?(?: sign-?up)?"),
    (
        ("getty", "shutterstock", "ap photo", "reuters/", "/ reuters", "afp", "epa-efe",
         "alamy", "istock", "wikimedia"),
        r".{0,120}(?:getty images|shutterstock|\bap photo/|reuters/|\bafp via\b|epa-efe|alamy"
        r"|istock|wikimedia commons|\bafp photo|/ ?reuters\b).{0,80}",
    ),
]

# Chrome found anywhere in a line (notices that come in many wordings).
CHROME_SEARCH: list[str] = [
    r"\bwe use cookies\b",
    r"\b(?:this|our) (?:web)?site uses cookies\b",
    r"\b(?:accept|allow|reject|manage|decline) (?:all |optional |additional )?cookies\b",
    r"\bcookie (?:policy|settings|preferences|consent|notice|banner)\b",
    r"\bby (?:continuing to (?:use|browse)|using) (?:this|our) (?:site|website)\b",
    r"\ball rights reserved\b",
    r"\bвсе права защищены\b",
    r"\btous droits réservés\b",
    r"\balle rechte vorbehalten\b",
]

# Navigation to a neighbouring article: removed with the headline that follows.
NAV_LINES: list[str] = [
    r"(?:previous|prev|next|older|newer)(?: article| post| story| item| news| entry)?",
    r"(?:read|up) next|read previous|what to read next|next up",
    r"(?:предыдущая|следующая) (?:статья|новость)",
    r"(?:vorheriger|nächster) artikel|article (?:précédent|suivant)",
]
# A navigation link with the neighbour's headline on the same line.
NAV_INLINE: list[str] = [
    r"(?:previous|prev|next)(?: article| post| story)?\s*[:\-–—|»›>]\s*.{1,250}",
]

# Headings of headline lists: removed with the headlines under them.
LIST_HEADINGS: list[str] = [
    r"read more|read also|also read|see also|more to read",
    r"related(?: articles| stories| news| posts| coverage| content| reading| topics)?:?",
    r"more (?:stories|news|articles|from \w[\w ]{0,40}|on this (?:story|topic)|in \w[\w ]{0,30})",
    r"you (?:may|might) also (?:like|be interested in|enjoy)|recommended(?: for you| stories)?",
    r"most (?:read|popular|viewed|shared|commented)|trending(?: now| stories)?",
    r"popular(?: now| stories)?|editor'?s? picks|don'?t miss|top stories|latest(?: news| stories)?",
    r"(?:читайте также|см\. также|lesen sie auch|à lire aussi|lea también)",
]

SHARE_WORDS = frozenset(
    "share tweet facebook twitter x whatsapp telegram email e-mail mail linkedin reddit vk "
    "ok pinterest print copy link copied messenger viber flipboard pocket sms threads bluesky "
    "mastodon comments comment save bookmark snapchat tumblr weibo wechat line".split()
)

_EDGE_CHARS = " \t-–—•·|>»«›‹<←→↑↓#*_=+~[]"
# Cheap substrings that every notice of CHROME_SEARCH contains.
_NOTICE_KEYS = ("cookie", "reserved", "права защищены", "droits réservés", "vorbehalten")
_DIGITS = re.compile(r"\d+")
_NONWORD = re.compile(r"[\W_]+")
_SENTENCE_END = re.compile(r"[.!?…:]['\"”’»)]*$")
_BREADCRUMB = re.compile(r"[^>»/|]{1,40}(?:\s[>»/|]\s[^>»/|]{1,40}){2,}")


def _alt(patterns: list[str]) -> re.Pattern[str]:
    # patterns are lower case and matched against lower-cased lines: faster than re.I
    return re.compile("(?:" + "|".join(f"(?:{p})" for p in patterns) + r")[.!:]?")


_SEARCH = re.compile("|".join(CHROME_SEARCH))
_NAV = _alt(NAV_LINES)
_NAV_INLINE = _alt(NAV_INLINE)
_LIST = _alt(LIST_HEADINGS)
_LINE = _alt(CHROME_LINES + NAV_LINES + NAV_INLINE + LIST_HEADINGS)
_KEYWORD = [re.compile(p) for _, p in KEYWORD_LINES]
_KEYS = re.compile("|".join(re.escape(k) for keys, _ in KEYWORD_LINES for k in keys))


# A site's notice about cookies and personal data, read inside any sentence (such
# notices come glued to a page's headline or body, where no line test sees them), in the
# languages of the labelled pages (en, de, es, fr, it, pl, ru, tr): what it is about ...
_NOTICE_TOPIC = re.compile(
    r"cookie|çerez|ciastecz|\bкуки\b|privacy[ -]?polic|datenschutz|polity\w* prywatno"
    r"|política de privacidad|politique de confidentialit|informativa (?:sulla )?privacy"
    r"|gizlilik politika|политик\w* конфиденциальност|personal (?:data|information)"
    r"|personenbezogen\w* daten|\bdan\w* osobow|datos personales|données personnelles"
    r"|dati personali|kişisel veri|персональн\w+ данн|\b(?:gdpr|dsgvo|rodo|rgpd|kvkk)\b"
    r"|datenverarbeitung|przetwarzani\w* (?:twoich )?danych|tratamiento de (?:sus )?datos"
    r"|traitement de\w* (?:vos )?données|trattamento dei dati")
# ... and how it speaks to the reader: the site itself, consent, where to read more, an
# account (news about cookies or personal data does none of these: "Kraft makes Oreo
# cookies", "spyware steals personal data", "DSGVO-Bußgelder deutlich gestiegen")
_NOTICE_VOICE = re.compile(
    r"\b(?:our|this) (?:web ?)?(?:site|page|portal)\b|\byou (?:agree|consent|accept)\b"
    r"|\byour (?:browser|consent|account|settings)\b|\bwe (?:use|collect|process)\b"
    r"|\bunsere[rnms]? (?:web ?)?(?:seite|site|website|internetauftritt|angebot|datenschutz)"
    r"|\b(?:sie stimmen|ihre zustimmung|wir (?:verwenden|setzen|nutzen)|sammeln wir"
    r"|finden sie|siehe)\b|akzeptier|\bnasz\w* (?:witryn|stron|serwis|polityk)|\bzbieramy\b"
    r"|\btwoj\w* dan|chcieliby\w* poinformowa|wyra\w* zgod|można znaleźć|znajdziesz"
    r"|zakładając konto|\bnuestr[oa] (?:sitio|web|página|portal|política)\b|\brecopilamos\b"
    r"|\bsu (?:información|cuenta)\b|\bacepta|\bpor favor revise\b|\bnotre (?:site|politique)"
    r"|\bce site\b|\bnous utilisons\b|\bvos données\b|\baccepte|\bnostr[oa] (?:sito"
    r"|informativa)\b|\bquesto sito\b|\butilizziamo\b|\baccett|\bsitemiz|kullanmaya devam"
    r"|inceleyebilirsiniz|\bkabul|на нашем сайте|\bэтот сайт|\bмы используем|\bсоглас")
# ... or cookies with a site, a browser, settings or personalised content ("Für eine
# aktivierte Nutzung der Webseite werden Cookies benötigt.")
_COOKIE_VOICE = re.compile(
    r"web ?site|webseite|\bseite\b|\bsites?\b|browser|przeglądar|navegador|navigateur"
    r"|tarayıcı|settings|einstellungen|third[- ]party|show you|personali[sz]"
    r"|personalisierung")


# What every match of _NOTICE_TOPIC holds: a sentence with none is not searched.
_NOTICE_HINTS = (
    "cooki", "çerez", "ciastecz", "куки", "priva", "prywat", "datenschutz", "confidential",
    "конфиденц", "personal", "personen", "osobow", "personnel", "kişisel", "персональн",
    "gdpr", "dsgvo", "rodo", "rgpd", "kvkk", "datenverarbeitung", "przetwarzan",
    "tratamiento", "traitement", "trattamento", "gizlilik")


def may_hold_notice(text: str) -> bool:
    """Whether ``text`` (an article, or one sentence) holds a word every site notice
    holds: a cheap test, so that an article without one need not be read sentence by
    sentence (:func:`is_site_notice`)."""
    low = text.lower()
    return any(h in low for h in _NOTICE_HINTS)


def is_site_notice(sentence: str) -> bool:
    """Whether a sentence is a site's notice about cookies or personal data ("Wir
    verwenden auf unserer Webseite Cookies ...", "Szczegółowy opis procesu
    przetwarzania danych można znaleźć w polityce prywatności."): it names cookies,
    a privacy policy or personal data and speaks to the reader as the site does."""
    if not may_hold_notice(sentence):
        return False
    low = sentence.lower()
    return _NOTICE_TOPIC.search(low) is not None and (
        _NOTICE_VOICE.search(low) is not None
        or ("cookie" in low and _COOKIE_VOICE.search(low) is not None))


def line_key(line: str) -> str:
    """A line's identity for counting repeats: lower case, digits and punctuation
    collapsed, whitespace collapsed ("Share  on X (12)" -> "share on x 0")."""
    s = _DIGITS.sub("0", line.casefold())
    return _NONWORD.sub(" ", s).strip()


def _core(line: str) -> str:
    return " ".join(line.strip(_EDGE_CHARS).split())


def is_chrome(line: str) -> bool:
    """True when one line, on its own, is page chrome by the curated patterns."""
    if len(line) > 12 * MAX_NOTICE_WORDS:
        return False
    core = _core(line).lower()
    if not core:
        return bool(line.strip())  # a line of only bullets / arrows
    n_words = core.count(" ") + 1
    if n_words <= MAX_CHROME_WORDS:
        if _LINE.fullmatch(core):
            return True
        if (
            any(c in core for c in ">»/|")
            and _BREADCRUMB.fullmatch(core)
            and not _SENTENCE_END.search(core)
        ):
            return True
        if n_words <= 12 and all(w in SHARE_WORDS for w in core.replace(",", " ").split()):
            return True
        if n_words <= 20 and _KEYS.search(core):
            return any(rx.fullmatch(core) for rx in _KEYWORD)
    if n_words <= MAX_NOTICE_WORDS:
        if any(k in core for k in _NOTICE_KEYS) and _SEARCH.search(core):
            return True
    return False


def line_keys(raw: str, max_words: int = 20) -> set[str]:
    """The keys of one article's lines worth counting for per-outlet boilerplate: lines
    of at most ``max_words`` words left after the curated chrome is stripped, so that
    neighbouring headlines under "Next Article" / "Read more" (which are other
    articles' titles) are not counted as the outlet's boilerplate."""
    keys = set()
    for ln in strip_chrome([" ".join(x.split()) for x in raw.splitlines()]):
        if ln and ln.count(" ") < max_words:
            keys.add(line_key(ln))
    keys.discard("")
    return keys


def _is_headline(line: str) -> bool:
    core = _core(line)
    if not core:
        return False
    n = core.count(" ") + 1
    return n <= MAX_HEADLINE_WORDS and len(core) <= 250


def _is_list_headline(line: str) -> bool:
    return _is_headline(line) and not _SENTENCE_END.search(line.strip())


def strip_chrome(
    lines: list[str], is_boilerplate: Callable[[str], bool] | None = None
) -> list[str]:
    """The lines that are not page chrome, in order; empty lines are kept so that
    paragraph breaks survive.

    ``is_boilerplate(line)`` (optional) says whether a stripped line is one that
    repeats across many articles of the same outlet; date lines are never given
    to it (an outlet's "Published: ..." lines look alike).
    """
    from storydesk.extract.dates import is_date_line

    out: list[str] = []
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        s = line.strip()
        i += 1
        if not s:
            out.append(line)
            continue
        core = _core(s).lower() if len(s) < 100 else ""
        if core and len(core) < 60 and _NAV.fullmatch(core):
            # the neighbouring article's headline (and its date) follow
            j = _next_nonempty(lines, i)
            if j is not None and _is_headline(lines[j]) and not is_chrome(lines[j]):
                i = j + 1
                k = _next_nonempty(lines, i)
                if k is not None and is_date_line(lines[k]):
                    i = k + 1
            continue
        if core and len(core) < 80 and _LIST.fullmatch(core):
            taken = 0
            while taken < MAX_LIST_HEADLINES:
                j = _next_nonempty(lines, i)
                if j is None or not _is_list_headline(lines[j]) or is_date_line(lines[j]):
                    break
                i = j + 1
                taken += 1
            continue
        if is_chrome(s):
            continue
        if is_boilerplate is not None and is_boilerplate(s) and not is_date_line(s):
            continue
        out.append(line)
    return out


def _next_nonempty(lines: list[str], i: int) -> int | None:
    while i < len(lines):
        if lines[i].strip():
            return i
        i += 1
    return None
