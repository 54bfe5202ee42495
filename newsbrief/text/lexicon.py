"""General English word lists for reading sentences out of context.

Closed classes of the language (pronouns, connectives, speech verbs,
honorifics), not words of any one story: what a reader needs to know to
tell whether a sentence leans on the one before it.
"""

from __future__ import annotations

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
