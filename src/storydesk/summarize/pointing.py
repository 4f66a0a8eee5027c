"""The words that point back to something said before when they open a sentence, by
language: the tables the readability rules (:mod:`.readability`) read. English has its
pronouns and connectives here, and its patterns of several words ("According to the
police, the two men ...", "The protesters, however, ...")."""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["CONNECTIVES", "EN_AGREES_WITH_BEFORE", "EN_CONNECTIVE_PHRASES", "EN_GROUP_WORD",
           "EN_POINTING_PHRASES", "EN_THEY_AFTER_PHRASE", "POINTING_BACK", "PRONOUNS",
           "PointingBack"]

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


# -- English patterns of several words (read by .readability) -------------------------------

# A subordinating word opening a clause before the main one ("When ...", "After ...").
_CLAUSE_OPENER = (r"(?:When|As|After|Before|Because|Although|Though|While|Since|Once|Until"
                  r"|Unless|If|Even though|Even if|Whether|Whenever|Now that|By the time"
                  r"|(?:The (?:last|first|next)|Each|Every) time)")
# What follows a description that stands as a subject for someone told before ("The
# former was ...", "the 26-year-old said ..."; not "The former minister ...").
_AS_SUBJECT = (r"(?=,|\s+(?:is|was|has|had|said|says|will|would|who|did|does|also|then|now"
               r"|later|told|added|became|remains|remained|faces|died)\b)")
# English openers that count people or things named before ("The two directed and
# produced American Pie ...", "Both men were charged").
_GROUP_OPENER = re.compile(r"\s*[\"“‘'`]*((?:The|These) (?:two|three|four|pair|couple|trio|duo)"
                           r"|Both)\b(?! of\b)(?! [A-Z])")  # not "Both Lott and Gingrich"
# ... one of them ("One lived near the camp", "Among them is ...", "Two of them ..."), or
# the others ("Other e-mails call for ...", "Others kicked out the windows", "Seven others
# on board were taken to a hospital"), or neither.
_ONE_OF_THEM = re.compile(
    r"\s*((?:One|Another|The other)(?= (?:was|is|were|are|had|has|lived|died|said|told|"
    r"remained|suffered|became)\b|(?<=Another)(?= [a-z]+ed\b))|Among them\b"
    r"|All (?:of )?(?:this|that|these|those)\b|(?:Of|(?:Many|Some|Most|All|"
    r"None|Each|Several|One|Two|Three|Four|Both) of) them\b"
    r"|Other(?= [a-z][\w-]*s\b)|Others\b"
    r"|(?:The|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten|Eleven|Twelve|Several|Many|Some"
    r"|Most|Few|Dozens|Hundreds|Thousands|\d[\d,]*) (?:of the )?others\b"
    # ... or neither of them ("Neither side is predicting progress", "Neither claim could
    # be confirmed", "Neither did ..."; not "Neither Exxon or Mobil would comment")
    r"|Neither\b(?!(?: \S+){1,4} n?or\b))")
# ... or what is told beside, besides or more than something told before: a phrase that
# sets the sentence beside another ("In another mine explosion, ...", "In a separate
# report, ...", "At the same protest, ...", "On other matters, ..."), the others of those
# told ("The other landed next to the school", "The only other problem ...", "None of the
# other teams ...", "Seven other workers were hiding ..."; not "The other day"), or more of
# them ("Another 19 patients were treated ...", "Police said another 173 people were
# injured", "Another reason is ..."; not after a number of the sentence's own, "a crowd
# of 1,000 ... and another 1,000", nor a time, "for another three weeks").
_NUMBER_WORD = (r"(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty"
                r"|thirty|forty|fifty|a dozen|dozens|hundreds|thousands|several|\d[\d,.]*)")
_BESIDE_TOLD = re.compile(
    r"\s*[\"“‘'`]*((?:In|On|At|During|From|According to) (?:another|a separate|other"
    r"|the same)\b(?= [^,.;]{0,40},)"
    r"|The (?:only )?other\b(?! (?:day|night|week|morning|evening)\b)"
    r"|(?:None|Some|Many|Most|All|Each|Several|Few|One|Two|Three|Four|Five) of the other\b"
    r"|(?i:one|" + _NUMBER_WORD + r") other\b"
    r"|(?:[^\"“”.;\d]*?\s)?[Aa]nother " + _NUMBER_WORD + r"(?= [a-z])"
    r"(?! (?:more )?(?:seconds?|minutes?|hours?|days?|nights?|weeks?|months?|years?"
    r"|decades?|seasons?|times?)\b)"
    # ... or one more of them named by what it is ("Another reason is that ...", "Another
    # pick is Smart and Final"); not what happened to it, as an article's lead tells it
    # ("Another soldier was killed yesterday ...", "Another peace officer has been gunned
    # down ...")
    r"|Another(?= (?:[a-z]+ ){1,2}(?:is|was|are|were)"
    r" (?!(?:also |not |still )?[a-z]+(?:ed|en)\b)))")
# ... a definite description that only names what a sentence before said ("The exception
# was Italy", "The answer is far from clear.", "The latter ..."); not with what it names
# after it ("The reason for the delay ...", "The result of the vote ...").
_LABEL_BACK = re.compile(
    r"\s*[\"“‘'`]*(The (?:exception|answer|reason|result|difference|latter)\b"
    r"(?!\s+(?:of|for|to|behind|why|that|from|between|in)\b)"
    # "The former" standing for someone, not describing him ("The former minister ...")
    rf"|The former{_AS_SUBJECT}"
    # ... or a step, a document or an event told before, named by a noun that only stands
    # for it ("The decision came less than three hours after ...", "The procedure is part
    # of the Wye River agreement", "The declaration addresses ...", "The move followed
    # ..."); not with what it names after it ("The decision to close the pier ...")
    r"|The (?:decision|move|request|declaration|procedure|plan|proposal|announcement"
    r"|statement|measure|step|agreement|deal|accord|letter|order|verdict|offer|warning"
    r"|appeal|visit|remarks|comments|purchase|acquisition|merger|transaction|bill|vote"
    r"|resolution|settlement|attack|bombing|killing|shooting|incident|broadcast)\b"
    r"(?!\s+(?:of|for|to|behind|why|that|from|between|in|by|on|with|at|over|against|and"
    r"|or)\b))")
# "he", "she", "his" or "her" after an opening phrase that names no one ("Since the 1980s,
# his works have been translated ..."; not "After Smith resigned, he ...").
_OPENING_PHRASE = (
    # (a tokenizer's spaced hyphen counts as a word: "After a quarter - century of ...")
    r"(?:[A-Z][a-z]*(?: (?:[a-z0-9][\w'’-]*|-)){0,7}"
    # ... and up to two more such phrases, each after a comma ("At one point, rather than
    # present a closing statement, he stood ...", "With a promise to balance the budget,
    # end welfare and represent ..., he appeared to ...")
    r"(?:, (?:[a-z0-9][\w'’-]*|-)(?: (?:[a-z0-9][\w'’-]*|-)){0,7}){0,2}"
    # ... or a phrase of place or time, whatever it names ("In Atlanta's posh Buckhead
    # neighborhood, he shot ...", "In February, he also became ...")
    r"|(?:In|At|On|Near|Outside|Inside|Across|Throughout)(?: [\w'’.-]+){1,8})"
    # ... a clause about it naming no one ("In recent appearances in court, where he is
    # facing charges of corruption, he was seen with a black eye")
    r"(?:, (?:where|when|which|who|whose)(?: (?:[a-z0-9][\w'’-]*|-)){1,20})?")
_PRONOUN_AFTER_PHRASE = re.compile(rf"\s*{_OPENING_PHRASE}, ((?:he|she|his|her)(?=\s))")
# ... and "it" after a phrase of time, place or manner, opened by a preposition, a time
# word or an adverb, when "it" is not the subject that stands for nothing ("Last week, it
# also refused to allow ...", "On Monday, it rejected ...", "Most recently, it raised $20
# million."; not "If the companies merge, it would create ...", "Wembley said that, once
# the deal was completed, it ...", "On Monday, it was announced that ...")
_IT_AFTER_PHRASE = re.compile(
    r"\s*(?:(?:In|On|At|By|Under|Through|Among|Across|Throughout|Over|During|Within|Off"
    r"|To)(?: [\w'’.-]+){1,8}|(?:Last|Next|This|Today|Yesterday|Tomorrow|Earlier|Later|There"
    r"|Most|[A-Z][a-z]+ly)(?: (?:[a-z0-9][\w'’-]*|-)){0,7}), (it)(?= )"
    r"(?! (?:is|was|'s|’s|has been|had been"
    r"|will be|would be|seems|seemed|appears|appeared|remains|remained|became|becomes|took"
    r"|takes|rained|snowed|looked|looks|felt|feels|may be|might be|could be|should be"
    r"|must be|wasn't|isn't|hasn't been|happened|turned out|emerged)\b)")
# ... and "they", "their", "them" after such a phrase holding no plural or group noun
# they could stand for ("As a gift, they gave John Paul a spacesuit.", "Tuesday, they
# could not come to such an accord."; not "When people transfer ..., they find ...").
EN_THEY_AFTER_PHRASE = re.compile(rf"\s*({_OPENING_PHRASE}), ((?:they|their|them)(?=\s))")
# ... and a group told before ("According to the local police, the two men lured ...",
# "Beneath a desk, the three curled up"; not "the two-time champion").
_GROUP_AFTER_PHRASE = re.compile(
    rf"\s*{_OPENING_PHRASE}, (the (?:two|three|four|pair|couple|trio|duo))(?![-'’\w])(?! of\b)")
EN_GROUP_WORD = re.compile(
    r"\b(?:[a-z]+[^siu'’\W]s|people|police|staff|public|team|government|crowd|family"
    r"|couple|pair|both|all|each|many|some|most|others|everyone|men|women|children|army"
    r"|party|group|company|firm|club)\b", re.IGNORECASE)
# "The 26-year-old" standing for someone named before ("On Saturday, the 26-year-old was
# handed the keys to the Tardis ...", "When the 26-year-old unknown was unveiled ..."),
# not before a name ("The 26-year-old actor Matt Smith ..."); or a role given an age
# ("The actress, 33, reportedly headed to ...").
_AGE_BACK = re.compile(
    r"\s*(?:(?:On|In|At|Last|This|Earlier|Later) [\w'’-]+(?: [\w'’-]+)?, "
    rf"|{_CLAUSE_OPENER} )?"
    rf"([Tt]he \d+\s*-\s*year\s*-\s*old(?= [a-z]+{_AS_SUBJECT}|{_AS_SUBJECT})"
    r"|[Tt]he [a-z]+(?: [a-z]+)?(?=, \d{1,3},))")

# ... or as the subject of an opening clause ("When he turned he saw fire.", "As they
# stepped outside ..."); not when a name follows the clause, which the pronoun then
# stands for ("After she left the clinic, Lindsay Lohan checked into ...").
_PRONOUN_IN_CLAUSE = re.compile(
    rf"\s*{_CLAUSE_OPENER} ((?:he|she|they|his|her|their|him|them)\b)(?![^,]*, [A-Z])")

# A connective set off after the sentence's first phrase answers the previous sentence
# as an opening one does ("The protesters, however, struggle ...", "Unlike Elvis, though,
# Page never got bloated.", "Budig, too, acknowledged ...").
_CONNECTIVE_INSIDE = re.compile(
    r"\s*(?![\"“‘'`])[^;:\"“”]{1,60}?, (however|though|nevertheless|nonetheless|meanwhile"
    r"|instead|in turn|too),")
# Agreeing or not, with nothing said of with what ("Williams agreed.", "In a statement,
# the commerce secretary, Gary Locke, ... agreed."; not "as agreed", "to agree"), or
# refusing what the sentence does not say ("The panel refused, to avoid appearing
# biased."; not "... offered to plead guilty but prosecutors had refused."): each
# pattern with the words one of which a sentence must hold for it to be searched (most
# hold none; a search tries every position).
EN_AGREES_WITH_BEFORE: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...] = (
    (("refused", "declined"), re.compile(
        r"^(?:(?! but | and )[^,;])*?\b(refused|declined)"
        r"(?:\.[\"”'’]?\s*$|, (?:to|saying|citing)\b)")),
    (("agree", "concur"), re.compile(
        r"(?<!\bas )(?<!\bto )(?<!\bearlier )(?<!\bpreviously )"
        r"\b(agreed|agrees|concurred|concurs|disagreed|disagrees)\.[\"”'’]?\s*$")),
    # ... or agreeing with or changing what was told before, as "that" ("The Angels
    # apparently are good with that.", "Two big hits ... changed all that Saturday night")
    (("that",), re.compile(
        r"\b(?:with|about) (that)\.[\"”'’]?\s*$|\b(?:changed|ended) all (that)\b")),
    # ... or saying of it, as "this" ("The union said this clearly addresses the league's
    # desire ...", "White House officials said this would put off ...")
    (("this", "these", "those"), re.compile(
        r"\b(?:said|says|added|noted|argued|believes|believed|thinks|thought|insisted|warned"
        r"|claimed) (?:that )?(this|these|those) (?:is|was|were|are|would|will|could"
        r"|should|has|had|clearly|means|meant|shows|showed|makes|made|may|might)\b")),
    # ... or naming or judging it, as "it" or "them", right after the subject ("The New
    # Zealanders called it ``megaphone diplomacy.''", "Authorities have called it an
    # assassination attempt"; not "Human Rights Watch, which has been documenting the
    # massacre, has described it as ...")
    ((" it", " them"), re.compile(
        r"^[^,;:\"“”']{0,60}?\b(?:called|calls|call|described|describes|termed|terms|dubbed"
        r"|labeled|labelled|branded|brands|hailed|hails|praised|praises|condemned|condemns"
        r"|denounced|denounces|welcomed|welcomes|criticized|criticised|criticizes|rejected"
        r"|rejects|defended|defends) (it|them)\b")),
)


# "Even" or "Not even" before whom or what it singles out of others told before ("Even
# Speaker Newt Gingrich conceded ...", "Not even his alliance with Yilmaz ...", "Even IBM
# ... will ultimately feel the pressure"); not before a clause or a time ("Even before
# the vote, ...", "Even if ...", "Even though ...").
_EVEN = re.compile(
    r"\s*(Not even|Even)\s+(?!(?:before|after|if|though|as|when|while|where|with|without|in|at|on"
    r"|for|by|during|under|more|less|now|then|today|so|worse|better|the|a|an)\b)"
    r"(?![a-z]+(?:ly|ing)\b)")


# English connectives of several words, before a comma ("As well, Intel has been ...").
_CONNECTIVE_PHRASE = re.compile(
    r"\s*((?:As well|In addition|On the other hand|At the same time|By contrast|In contrast"
    r"|In turn|Even so|As a result|In the meantime|On top of that|What's more|After all"
    r"|In fact|In other words|Once again|Even then|That said|Of course|Then again"
    r"|If so|If not|In that case|In any case|Either way"
    # what was told before, as "that" ("In exchange for that, Microsoft places ...", "To
    # do that, it has brought in Sun ...")
    r"|(?:To do|In exchange for|Because of|Despite|Besides|Beyond|Apart from|Aside from"
    r"|Other than|In spite of|As a result of|On top of) (?:all )?(?:that|this)"
    r"|Not only (?:that|this)|Worse (?:still|yet)|Even (?:worse|better)|Better (?:still|yet)"
    r"|What(?:'s| is) worse"
    # ... or named, as "that" or "this" with a noun ("For that reason, ...", "With that in
    # mind, ...", "For that procedural breakthrough, Holbrooke recommended ...")
    r"|(?:For|With|Given) (?:that|this|these|those)(?: [a-z]+){1,2}"
    # ... or as "it", "them", "him", "her" ("In it, the king called on ...", "Without
    # it, the central bank is unlikely to ...", "With it, SeaMicro shrinks ...")
    r"|(?:In|With|Without|For|Of|By|Under|Through|Despite|Against|Beyond|Unlike|Like"
    r"|Besides|To|From|Among|On|At|After|Before|Behind|Beside|Inside|Within|Between"
    r"|About|Around|Over|Except) (?:it|them|him|her)"
    # a concession to what was said before ("True, Jackman held his own ...")
    r"|True|Granted|Admittedly|To be sure"
    # a reply to what was said before ("Right, unborn females ...", "Well, ...", "All
    # right, so Ted Hendry won't be in the World Series")
    r"|All right|Alright|Right|Well|Yes|No|Oh|Okay|OK|Sure)),",
    re.IGNORECASE)
# English openers that date a sentence from one told before it ("Less than two weeks
# later, Timmons was arrested", "The next day,", "Earlier,", "Since then,", "At that
# point,"); not "Later Tuesday".
_RELATIVE_TIME = re.compile(
    r"\s*((?:(?:less than|more than|about|some|just|only|nearly|almost)\s+)?"
    r"(?:(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|a few|\d+)\s+)?"
    r"(?:minutes?|hours?|days?|weeks?|months?|years?|decades?)\s+(?:later|earlier|before|after)"
    r"(?: that| this)?"  # "Three years after that, the state established ..."
    r"|later|earlier|afterwards?|soon after|shortly after(?:wards?)?"
    r"|the (?:next|following|previous) (?:day|morning|evening|night|week|month|year)"
    r"|the day (?:before|after)|at that (?:point|time|moment)|at the time|by that time"
    r"|by then|until then|since then|before that|after that|previously|now)\s*,",
    re.IGNORECASE)


# What an English sentence opens with that stands for someone or something told before:
# each pattern's first group is the word or phrase (:func:`.readability.opening_pronoun`).
EN_POINTING_PHRASES = (_GROUP_OPENER, _ONE_OF_THEM, _BESIDE_TOLD, _LABEL_BACK,
                       _PRONOUN_AFTER_PHRASE, _IT_AFTER_PHRASE, _PRONOUN_IN_CLAUSE,
                       _AGE_BACK, _GROUP_AFTER_PHRASE)
# ... and the connectives of several words (:func:`.readability.opening_connective`).
EN_CONNECTIVE_PHRASES = (_CONNECTIVE_PHRASE, _RELATIVE_TIME, _EVEN, _CONNECTIVE_INSIDE)
