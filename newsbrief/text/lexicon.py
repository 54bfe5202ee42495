"""General English word lists for reading sentences out of context.

Closed classes of the language (pronouns, connectives, speech verbs,
honorifics), not words of any one story: what a reader needs to know to
tell whether a sentence leans on the one before it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Third-person personal pronouns, by what they can stand for.
PERSON_PRONOUNS = frozenset({"he", "she", "him", "his", "her", "hers", "himself", "herself"})
MALE = frozenset({"he", "him", "his", "himself"})
FEMALE = frozenset({"she", "her", "hers", "herself"})
PLURAL_PRONOUNS = frozenset({"they", "them", "their", "theirs", "themselves"})
FIRST_PERSON = frozenset({"i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves"})
SECOND_PERSON = frozenset({"you", "your", "yours", "yourself", "yourselves"})

# Sentence openers that lean on the sentence before: dropped when what
# follows reads as a sentence of its own ("But the police ..." -> "The police ...").
CONNECTIVES = (
    "on the other hand", "as a result", "in addition", "in fact", "after all", "even so", "at the same time",
    "but", "and", "yet", "or", "so", "however", "still", "also", "meanwhile", "instead", "moreover",
    "furthermore", "nevertheless", "nonetheless", "besides", "plus", "thus", "therefore", "hence", "indeed",
    "then", "later", "afterward", "afterwards", "additionally", "otherwise", "likewise", "similarly", "again",
    "now", "consequently", "regardless", "anyway", "of course", "in turn", "by contrast", "in contrast",
)
# Connectives that join without a comma ("But the ..."); the others need one
# to be told from other uses ("Still photos ...", "Then-Sen. Obama").
BARE_CONNECTIVES = frozenset({"but", "and", "yet", "or", "so", "plus"})

# Words that can open a clause: after a bare connective, one of these (or a
# capitalised word, or a number) shows that the rest is a sentence.
CLAUSE_OPENERS = frozenset({
    "the", "a", "an", "he", "she", "they", "it", "we", "i", "you", "this", "that", "these", "those", "his", "her",
    "their", "its", "our", "my", "there", "some", "many", "most", "all", "no", "one", "two", "three", "several",
    "few", "each", "every", "both", "neither", "none", "others", "another", "police", "officials", "people",
})

# Verbs that attribute speech ("..., Smith said"); present, past and -ing.
SPEECH_VERBS = frozenset("""
said says say told tells tell added adds wrote writes noted notes explained explains argued argues tweeted
tweets stated states asked asks continued continues recalled recalls insisted insists warned warns declared
declares claimed claims acknowledged acknowledges admitted admits conceded concedes replied replies responded
responds remarked remarks observed observes suggested suggests posted posts commented comments announced
announces testified testifies joked jokes quipped quips urged urges predicted predicts cautioned cautions
agreed agrees emphasized emphasised stressed stresses concluded concludes shouted shouts reiterated repeated
yelled wondered wonders boasted complained complains lamented laments mused vowed vows promised promises
pleaded screamed whispered saying telling writing adding noting explaining arguing tweeting recalling
insisting warning declaring claiming asking replying responding announcing describing described describes
confirmed confirms denied denies told texted emailed messaged reported reports recounted recounts
revealed reveals shared shares echoed echoes countered counters elaborated captioned chanted stressed
""".split())

# Titles and honorifics that stand before a name ("Sen.", "President",
# "Attorney General"): stripped to find the name itself.
TITLES = frozenset("""
mr mrs ms miss mx dr drs prof sir dame lord lady rev reverend fr father sister brother pope king queen prince
princess sheikh president vice sen senator sens rep reps representative gov governor gen general lt col sgt capt
cpt adm admiral maj cmdr cpl pvt mayor judge justice chief officer sheriff secretary minister premier chancellor
ambassador attorney director commissioner superintendent supt coach detective det inspector trooper deputy
acting former late then-sen then-president president-elect congressman congresswoman councilman councilwoman
alderman ald assemblyman assemblywoman delegate del prosecutor chairman chairwoman chair ceo spokesman
spokeswoman spokesperson founder professor dean principal pastor bishop archbishop cardinal rabbi imam agent
st saint sergeant captain lieutenant colonel major corporal private commander marshal
""".split())
MALE_TITLES = frozenset({"mr", "sir", "lord", "king", "prince", "father", "fr", "brother", "congressman",
                         "councilman", "assemblyman", "chairman", "spokesman", "alderman"})
FEMALE_TITLES = frozenset({"mrs", "ms", "miss", "dame", "lady", "queen", "princess", "sister", "congresswoman",
                           "councilwoman", "assemblywoman", "chairwoman", "spokeswoman"})

# Capitalised words that end names of places and organisations, not people
# ("the White House", "the Washington Post", "Cook County").
NOT_SURNAMES = frozenset("""
house senate congress court courts street avenue road county city state states university college school
institute center centre department ministry agency office committee council commission party post times news
journal tribune herald daily press network channel group company corp inc co ltd llc foundation association
union bank church hospital airport station park river lake mountain island islands valley bay beach hall
tower building square bridge army navy force forces police guard service services administration government
republic kingdom federation nations organization organisation club team league cup games festival museum
library prison jail district region province capitol gazette magazine review report show series awards
""".split())

# Nouns for a person or an organisation: "The company said", "The
# ambassador also served": a definite description that needs its name.
ROLE_NOUNS = frozenset("""
man woman boy girl men women boys girls child children teen teenager teens teenagers kid kids baby toddler
couple pair duo trio family mother father mom dad son daughter brother sister wife husband widow widower parent
parents grandmother grandfather friend friends neighbor neighbour neighbors neighbours suspect suspects victim
victims gunman shooter attacker driver passenger pilot officer officers deputy trooper agent detective sheriff
company firm group organization organisation agency network channel retailer airline automaker startup giant
maker manufacturer brand studio label chain carrier bank insurer lender
actor actress singer rapper star celebrity comedian host model author writer director producer artist
musician player athlete coach quarterback pitcher striker
official spokesman spokeswoman spokesperson lawyer attorney judge prosecutor senator congressman congresswoman
governor mayor president ambassador diplomat minister secretary lawmaker candidate nominee leader chief
executive ceo founder owner chairman chairwoman employee worker nurse doctor teacher student professor
researcher scientist soldier veteran inmate prisoner defendant plaintiff witness survivor resident residents
engineer inspector analyst expert economist historian consultant activist organizer volunteer firefighter paramedic
surgeon physician physicist chemist biologist psychiatrist psychologist astronomer anthropologist archaeologist
paleoanthropologist epidemiologist meteorologist investigator manager editor reporter correspondent journalist
columnist commentator critic pastor priest rabbi bishop commissioner superintendent principal administrator dean
sergeant captain lieutenant colonel commander marshal coroner publicist strategist pollster aide adviser advisor
representative delegate councilman councilwoman trustee treasurer clerk counsel
""".split())

# Days and months (and "God", "I"): capitalised, never a name of someone in the story.
CALENDAR = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
                       "february", "march", "april", "may", "june", "july", "august", "september", "october",
                       "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
                       "nov", "dec", "god", "i"})

# Titles that only a person bears ("Mr. Ross", "Sen. Graham"), unlike "St." or "Acting".
HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "sen", "senator", "rep", "gov", "governor", "president",
                        "judge", "sheriff", "mayor", "officer", "detective", "sgt", "lt", "capt", "gen", "col",
                        "prof", "professor", "rev", "coach", "chief", "secretary", "ambassador", "prosecutor",
                        "spokesman", "spokeswoman", "spokesperson", "congressman", "congresswoman"})

# The organisations among the role nouns: "the company" is named by an organisation, not a person.
ORG_ROLES = frozenset({"company", "firm", "group", "organization", "organisation", "agency", "network", "channel",
                        "retailer", "airline", "automaker", "startup", "giant", "maker", "manufacturer", "brand",
                        "studio", "label", "chain", "carrier", "bank", "insurer", "lender"})

# A title as written before a name, as the noun a description uses ("Sen."
# Elizabeth Warren is "the senator").
TITLE_NOUNS = {"sen": "senator", "rep": "representative", "gov": "governor", "gen": "general", "lt": "lieutenant",
               "sgt": "sergeant", "capt": "captain", "prof": "professor", "atty": "attorney", "det": "detective",
               "supt": "superintendent", "cmdr": "commander", "adm": "admiral", "col": "colonel", "insp": "inspector"}

# --- Titles and roles for one reader each ------------------------------------
# TITLES, ROLE_NOUNS and TITLE_NOUNS above are the shared lists. Those below
# are each read by one module and differ from the shared ones on purpose:
# merging any two would change what that module finds, so they stay apart,
# but here, next to the shared ones, where a change to one shows the others.

# Role nouns and titles together: a lower-case word before a name that says
# who the person is ("consultant plastic surgeon Neil Bulstrode").
ROLE_WORDS = ROLE_NOUNS | TITLES

# Titles abbreviated with a dot before a name ("Sen. Ann Lee"), and "Mt.",
# "Ft." of places: the sentence splitter never ends a sentence after one.
TITLE_ABBREVIATIONS = ("Mr", "Mrs", "Ms", "Messrs", "Mmes", "Dr", "Drs", "Gen", "Gens", "Sen", "Sens", "Rep", "Reps",
                       "Gov", "Govs", "Lt", "Col", "Capt", "Sgt", "Maj", "Adm", "Cmdr", "Cdr", "Prof", "Rev", "Hon",
                       "Pres", "Supt", "Ald", "Atty", "Insp", "Det", "Cpl", "Pvt", "Brig", "Fr", "Msgr", "Mt", "Ft")
# Abbreviations with a dot that a speaker's name may carry in a quote's
# attribution: titles, and "Del.", "St.", "Jr.", "Sr." (which may end a
# sentence, so the splitter does not take them).
NAME_ABBREVIATIONS = ("Sen", "Sens", "Rep", "Reps", "Gov", "Gen", "Gens", "Dr", "Drs", "Mr", "Mrs", "Ms", "Lt", "Col",
                      "Sgt", "Capt", "Adm", "Rev", "Prof", "Atty", "Cmdr", "Maj", "Cpl", "Pvt", "Supt", "Det", "Insp",
                      "Ald", "Del", "St", "Jr", "Sr")

# Words stripped from the front of a speaker's name: titles, and the
# offices, parties, agencies and countries a title run holds ("Former U.S.
# Ambassador Michael McFaul", "FBI Special Agent Ann Lee").
SPEAKER_TITLES = frozenset("""
former president vice sen senator rep representative gov governor gen general dr mr mrs ms miss ambassador secretary
attorney prime minister chief judge justice officer lt col sgt capt cpt adm admiral mayor rev reverend pope king
queen prince princess sheriff director professor prof coach u.s us u.s. national security adviser advisor state
defense foreign house white senate majority minority leader speaker press deputy acting retired lord sir dame
chairman chairwoman chair commissioner detective sergeant captain lieutenant colonel major corporal pvt private
spokesman spokeswoman spokesperson ceo founder russian american british french democratic republican gop assistant
associate executive special counsel agent fbi cia first lady russia ukraine china america britain france germany
israel iran iraq syria mexico canada japan india korea nato un sens reps gens st saint superintendent principal
inspector trooper dep deputies homeland interior treasury energy the and new top federal district supreme court
councilman councilwoman ald alderman delegate del assemblyman assemblywoman congressman congresswoman pastor father
bishop archbishop cardinal rabbi imam dean chancellor provost auditor
""".split())
# The head of a title: in a capitalised run, everything up to the last one
# is the title ("Richland County Sheriff Leon Lott", "Police Chief Ann Lee",
# "State Sen. Bo Chan", "Secretary of State Ann Lee").
TITLE_HEADS = frozenset("""
sheriff chief sen senator rep representative gov governor mayor secretary minister ambassador president director
commissioner judge attorney general spokesman spokeswoman spokesperson superintendent coach detective det sergeant
sgt captain capt lieutenant lt officer deputy trooper councilman councilwoman congressman congresswoman assemblyman
assemblywoman professor prof dr chairman chairwoman ceo pastor bishop rabbi dean chancellor principal inspector agent
counsel adviser advisor leader commander administrator manager treasurer clerk marshal constable coroner prosecutor
supt adm admiral col colonel gen gens sens reps del delegate ald alderman auditor comptroller premier justice
executive founder president-elect
""".split())

# Words the entity extractor strips from the front of a name, lower-case
# ("gen." and "u.s." also with their dot); all but "ex" and "gen." are
# SPEAKER_TITLES too.
NAME_TITLES = frozenset("""
mr mrs ms miss dr sen senator gen general rep gov governor president vice attorney secretary former retired judge
justice lt col capt sgt adm admiral prof professor rev ambassador minister prime chief the sir lord lady mayor pope
king queen prince princess speaker leader gen. u.s. us ex acting deputy first
""".split())
# Lower-case words a role phrase may hold before its head ("former
# national security adviser").
TITLE_MODIFIERS = frozenset("""
former retired acting deputy senior current then incoming outgoing longtime top chief national security foreign
policy state special of to for the on ex interim assistant associate executive general vice defense white house press
""".split())
# Head nouns that make a phrase a role ("former US ambassador to Russia",
# "a Russia expert"): occupations too, unlike TITLE_HEADS.
ROLE_PHRASE_HEADS = frozenset("""
ambassador adviser advisor secretary general gen senator sen president director head chief official minister expert
analyst specialist diplomat fellow scholar spokesman spokeswoman spokesperson correspondent reporter editor
professor prof chairman chairwoman chair leader member founder ceo executive lawyer attorney counsel governor gov
mayor representative rep envoy officer agent aide strategist researcher economist historian author critic manager
owner candidate nominee judge justice commander deputy physicist scientist coach captain administrator commissioner
prosecutor investigator negotiator consultant lobbyist activist journalist columnist writer producer actor actress
singer player vice speaker treasurer partner student teacher doctor dr surgeon sheriff detective pastor bishop
cardinal pope king queen prince princess emperor chancellor premier militant commentator host anchor skeptic
advocate proponent architect engineer designer artist cofounder
""".split())

# Titles that are no role at all: not kept as an entity's role.
SOCIAL_TITLES = frozenset({"mr", "mrs", "ms", "miss", "sir"})
# Titles that say nothing of a role: two people may both be "Dr." or
# "former", and still be two.
COURTESY_TITLES = SOCIAL_TITLES | {"mx", "dr", "drs", "prof", "dame", "lord", "lady", "former", "acting", "late",
                                   "then-sen", "then-president", "st", "saint"}


def role_words(roles: Iterable[str]) -> set[str]:
    """The words of a person's roles, abbreviated titles written out ("Sen."
    is "senator"): what a description ("the senator") is matched against."""
    return {TITLE_NOUNS.get(w, w) for r in roles for w in re.findall(r"[\w-]+", r.lower())}
