"""The words that point back to something said before when they open a sentence, by
language: the tables the readability rules (:mod:`.readability`) read. English has its
pronouns and connectives here, and rules of several words in :mod:`.readability`."""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["PRONOUNS", "CONNECTIVES", "POINTING_BACK", "PointingBack"]

# First words that point back to something said before. "It" and "There" open many
# self-contained sentences ("It is raining", "There were ..."); "It" is counted (it
# usually refers back in news), "There" is not.
PRONOUNS = frozenset(
    "he she it they him her his hers its their theirs them we us our this these those "
    "that such".split()
)
# Openers that answer the previous sentence, or end a sequence told before it ("Finally,
# the players agreed ..."). "That" / "This" + noun are demonstratives and are in PRONOUNS.
CONNECTIVES = frozenset(
    "but however also and so yet still meanwhile nevertheless nonetheless moreover "
    "furthermore besides instead otherwise then thus hence therefore likewise similarly "
    "indeed again finally lastly".split()
)

class PointingBack(NamedTuple):
    """One language's words that point back when they open a sentence (lower case):
    ``pronouns`` (personal, possessive and demonstrative), ``connectives`` (one word or
    several, space-separated), ``not_before`` (second words after which an opening
    demonstrative names a time, "Diese Woche", not something said before) and
    ``speakers`` (subject pronouns that attribute a quotation: «...», — сказал он)."""

    pronouns: frozenset[str]
    connectives: frozenset[str]
    not_before: frozenset[str] = frozenset()
    speakers: frozenset[str] = frozenset()


def _pb(pronouns: str, connectives: str, not_before: str = "", speakers: str = "") -> PointingBack:
    return PointingBack(frozenset(pronouns.split()),
                        frozenset(c.replace("_", " ") for c in connectives.split()),
                        frozenset(not_before.split()), frozenset(speakers.split()))


# Per base language (``_`` joins a connective of several words). Only words that, opening
# a sentence, nearly always point back: German "Der"/"Die"/"Das" are articles too and are
# left out, as are French "Ce" ("Ce qui ...") and "Alors" ("Alors que ..."), Russian "То"
# ("То, что ...") and Dutch "Zijn" ("are"). Spanish, Italian, Portuguese, Polish and
# Turkish drop the subject pronoun ("Dijo que ...", "Ha detto che ..."): such a sentence
# points back with no word to show it, and these rules cannot see it.
POINTING_BACK: dict[str, PointingBack] = {
    "de": _pb("er sie ihm ihn ihnen ihr ihre ihrem ihren ihrer sein seine seinem seinen "
              "seiner dies diese dieser dieses diesem diesen solche solcher",
              "aber doch jedoch allerdings trotzdem dennoch außerdem zudem ferner deshalb "
              "deswegen daher darum somit stattdessen dabei danach dagegen daraufhin und "
              "auch",
              "woche jahr monat morgen abend nacht wochenende sommer winter frühjahr herbst "
              "saison mal montag dienstag mittwoch donnerstag freitag samstag sonntag",
              "er sie"),
    "fr": _pb("il elle ils elles lui leur leurs son sa ses cette ces cet cela ceci ça celui "
              "celle ceux celles",
              "mais cependant pourtant toutefois néanmoins donc ainsi or puis ensuite et "
              "de_plus en_outre par_ailleurs en_revanche par_conséquent en_effet du_coup",
              "y faut matin soir semaine année mois week-end été hiver printemps automne "
              "nuit saison fois lundi mardi mercredi jeudi vendredi samedi dimanche",
              "il elle ils elles"),
    "es": _pb("él ella ellos ellas su sus este esta estos estas esto ese esa esos esas eso "
              "dicho dicha dichos dichas",
              "pero también además asimismo así y sin_embargo no_obstante por_eso "
              "por_lo_tanto por_tanto en_cambio por_su_parte mientras_tanto aun_así",
              "semana año mes mañana tarde noche fin verano invierno temporada lunes martes "
              "miércoles jueves viernes sábado domingo vez",
              "él ella ellos ellas"),
    "it": _pb("lui lei loro essi esse egli questo questa questi queste quello quella quelli "
              "quelle quel ciò tale suo sua suoi sue",
              "ma però tuttavia comunque inoltre quindi dunque perciò pertanto infatti invece "
              "anche eppure intanto e nel_frattempo ciononostante",
              "settimana anno mese mattina mattino sera notte estate inverno fine stagione "
              "volta lunedì martedì mercoledì giovedì venerdì sabato domenica",
              "lui lei loro egli"),
    "pt": _pb("ele ela eles elas seu sua seus suas este esta estes estas isto esse essa esses "
              "essas isso aquele aquela aqueles aquelas aquilo",
              "mas porém contudo entretanto todavia portanto assim também e no_entanto "
              "além_disso por_isso ainda_assim",
              "semana ano mês manhã tarde noite fim verão inverno temporada vez "
              "segunda-feira terça-feira quarta-feira quinta-feira sexta-feira sábado domingo",
              "ele ela eles elas"),
    "nl": _pb("hij zij ze hem haar hun hen dit dat deze die",
              "maar echter toch ook bovendien daarom dus daarnaast desondanks niettemin "
              "intussen ondertussen daardoor hierdoor daarbij en",
              "week maand jaar ochtend morgen middag avond nacht zomer winter seizoen keer "
              "maandag dinsdag woensdag donderdag vrijdag zaterdag zondag",
              "hij zij ze"),
    "ru": _pb("он она оно они его её ее их ему ей им него неё нее них этот эта это эти "
              "этого этой этим этом этих этому эту такой такая такое такие",
              "но однако также поэтому впрочем зато и а ведь тогда затем потом причём "
              "причем итак следовательно тем_не_менее кроме_того таким_образом при_этом "
              "всё_же все_же между_тем в_свою_очередь к_тому_же вместе_с_тем "
              "кроме_этого помимо_этого вместо_этого",
              "году год неделе неделю месяце месяц утром вечером ночью летом зимой весной "
              "осенью сезоне раз",
              "он она они"),
    "pl": _pb("on ona ono oni one jego jej ich jemu niego niej nich ten ta to ci te tego tej "
              "tym tych temu tę",
              "ale jednak jednakże natomiast również także ponadto dlatego więc zatem "
              "tymczasem a i poza_tym mimo_to co_więcej w_związku_z_tym",
              "roku rok tygodniu tydzień miesiącu miesiąc weekend sezonie razem wieczorem "
              "rano",
              "on ona oni"),
    "tr": _pb("o onlar onu ona onun onları onların bu bunlar bunu buna bunun bunların böyle",
              "ama fakat ancak ayrıca üstelik hatta dolayısıyla yani ve oysa yine_de "
              "öte_yandan bununla_birlikte",
              "yıl hafta sabah akşam gün ay gece sezon yaz kış kez an sırada"),
}
