"""Word lists of the extractor (speech verbs, pronouns, determiners, title, organisation and name words), each word
once, and the cue-verb alternations built from them as prefix trees."""

from __future__ import annotations

import re


def verb_forms(bases: str) -> list[str]:
    """Past, third-person and -ing forms of regular verbs ("argue" -> argued, argues, arguing)."""
    out = []
    for v in bases.split():
        if v.endswith("e"):
            out += [v + "d", v + "s", v[:-1] + "ing"]
        elif v.endswith("y") and v[-2] not in "aeiou":
            out += [v[:-1] + "ied", v[:-1] + "ies", v + "ing"]
        elif v.endswith(("sh", "ch", "ss", "x")):
            out += [v + "ed", v + "es", v + "ing"]
        elif v in ("quip", "snap", "chat", "admit", "regret", "plead", "stop"):
            d = v + v[-1]
            out += [d + "ed", v + "s", d + "ing"]
        else:
            out += [v + "ed", v + "s", v + "ing"]
    return out


SPEECH_VERBS = (
    "said says say saying told tells tell telling wrote writes writing read reads thought thinks feels felt "
    "went shot fired chimed pointed points believes believed hopes hoped".split()
    + verb_forms(
        "add ask explain note state argue claim insist continue declare reply respond recall warn acknowledge "
        "announce observe remark suggest tweet post conclude counter admit maintain complain concede joke quip "
        "predict promise caution urge emphasize emphasise stress report shout yell exclaim testify recount assert "
        "contend charge vow boast lament muse wonder thunder fume scoff agree disagree offer confirm deny reveal "
        "answer comment cite elaborate echo repeat reiterate interject whisper sigh laugh snap retort proclaim "
        "plead inform assure remind allege estimate bark scream chant cry beam gush marvel grumble concur tout "
        "quote opine counsel blast slam rip mock tease"
    )
)
# Verbs that take the speaker after them in an inverted attribution ("Q," said Smith.).
INVERTED_VERBS = (
    "said says added adds asked asks continued continues wrote writes explained recalled replied responded tweeted "
    "noted argued insisted declared answered concluded observed countered warned remarked mused quipped joked "
    "offered stated confirmed cautioned admitted acknowledged recounted interjected chimed reported shouted "
    "exclaimed agreed complained retorted concludes barked screamed cried beamed gushed marveled grumbled "
    "chanted notes observes recalls explains argues insists declares replies responds "
    "quips jokes muses opined"
    # Present tense of the same verbs ("..." agrees Michelle Stevens).
    " agrees warns tweets counters admits complains states cautions recounts retorts shouts exclaims remarks answers"
    " confirms acknowledges offers read reads"
).split()
# Verbs that introduce indirect speech ("S said that Q", "Q, S said.").
INDIRECT_VERBS = (
    "said says told tells added adds argued argues claimed claims insisted insists noted notes warned warns "
    "explained explains stated states acknowledged acknowledges announced announces suggested suggests "
    "predicted predicts promised promises admitted admits maintained maintains conceded concedes emphasized "
    "stressed reported reports testified asserted asserts contended contends charged vowed vows confirmed "
    "confirms denied denies revealed reveals recalled recalls wrote writes believes believed thinks estimated "
    "estimates complained complains observed countered cautioned assured alleged alleges tweeted hopes feels "
    "agreed agrees"
).split()
# Verbs that are attributions only in some uses: never taken as the cue of an unquoted clause on their own.
WEAK_VERBS = {"believes", "believed", "thinks", "thought", "hopes", "hoped", "feels", "felt", "called", "described",
               "describes", "read", "reads", "went", "pointed", "cited", "offered", "estimated", "estimates"}
# Cues of a partial quotation in its sentence ("Trump called the system "rigged"", "chanting "Lock her up!""): the
# speech verbs and the verbs that quote a label or a slogan.
LABEL_VERBS = (
    "called calls calling call dubbed dubs dubbing labeled labelled labels labeling branded brands branding termed "
    "terms terming described describes describing chanted chants chanting shouted shouting yelled yelling "
    "thanked thanking praised praising urged urging mouthed mouthing likened promised promising vowed vowing "
    "warned warning referred referring decried decrying denounced denouncing pledged pledges pledging"
).split()

AUX = (
    r"(?:(?:has|have|had|was|were|is|are|would|will|could|can|may|might|should|did|does|do|also|then|later|"
    r"previously|once|recently|again|simply|only|just|repeatedly|reportedly|publicly|privately|earlier|often|"
    r"never|not|always|quickly|flatly|bluntly|firmly|angrily|told|been|being)\s+)"
)
PRONOUNS = {"he", "she", "they", "i", "we", "it", "you"}
PERSONAL_PRONOUNS = {"he", "she", "i", "we", "they"}
DETERMINERS = {
    "the", "a", "an", "one", "another", "his", "her", "their", "its", "our", "two", "three", "some", "many",
    "several", "other", "both", "most", "few", "these", "those", "this", "that", "each", "all", "my", "your",
}
NOUN_DETERMINERS = {"the", "a", "an", "his", "her", "their", "its", "our", "my", "your", "these", "those"}
OBJECT_LEADS = (DETERMINERS - {"that", "this", "all", "both", "each"}) | {"him", "them", "us", "me", "you"}
# Words that cannot start a name even when capitalized at a sentence start.
NAME_STOP = {
    "The", "A", "An", "In", "On", "At", "But", "And", "Or", "If", "When", "While", "As", "So", "Yet", "For", "To",
    "Of", "By", "With", "From", "After", "Before", "That", "This", "These", "Those", "There", "Here", "It", "Its",
    "He", "She", "They", "We", "I", "You", "His", "Her", "Their", "Our", "My", "Your", "Asked", "According",
    "Speaking", "Still", "Then", "Now", "Also", "However", "Meanwhile", "Later", "Earlier", "Last", "Next",
    "Mr", "Mrs", "Ms", "Dr", "What", "Why", "How", "Who", "Where", "Instead", "Although", "Though", "Because",
    "Since", "Until", "Despite", "During", "Over", "Under", "Between", "Among", "Into", "Through", "Without",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Today", "Yesterday", "Tomorrow",
    "Not", "Even", "Just", "Only", "Some", "Many", "Most", "All", "Both", "Each", "Every", "No", "Yes",
    "Well", "Oh", "Like", "Unlike", "Here's", "There's", "It's", "That's", "What's", "Let's", "Here’s", "There’s",
    "It’s", "That’s", "What’s", "Let’s", "Admitting", "Writing", "Reacting", "Responding",
}
TIME_WORDS = {"later", "earlier", "also", "then", "again", "recently", "previously", "once", "today", "yesterday",
               "tonight", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "on", "last",
               "this", "night", "morning", "afternoon", "evening", "week", "month", "year", "in", "at", "ago",
               "jan", "feb", "aug", "sept", "oct", "nov", "dec", "january", "february", "march", "april", "june",
               "july", "august", "september", "october", "november", "december", "weekend", "day", "separately",
               "however", "meanwhile", "too", "both", "himself", "herself", "themselves", "privately", "publicly",
               "still", "now", "already", "even", "never", "just", "finally", "reportedly", "repeatedly", "often"}
CLAUSE_PREPS = {"at", "in", "on", "during", "after", "before", "to", "of", "from", "with", "for", "about", "as",
                 "by", "via", "through", "without", "while", "when", "last", "earlier", "later", "this", "yesterday",
                 "today", "tuesday", "monday", "wednesday", "thursday", "friday", "saturday", "sunday", "so"}
LEAD_SKIP = {"but", "and", "or", "so", "yet", "when", "as", "while", "if", "because", "then", "now", "still",
              "also", "meanwhile", "however", "though", "although", "instead", "later", "earlier", "here", "there"}
# Words that make a chunk a clause rather than a noun phrase naming a speaker.
CLAUSE_WORDS = {"that", "who", "which", "whom", "whose", "is", "are", "was", "were", "be", "been", "being", "has",
                 "have", "had", "do", "does", "did", "will", "would", "can", "could", "should", "may", "might",
                 "must", "each", "where", "what", "not", "to", "it", "this", "these", "those", "if", "than"}
OPENING_PREPS = {"During", "In", "At", "After", "Before", "On", "Since", "Following", "With", "Despite", "Amid",
                  "Earlier", "Later", "Last", "Speaking", "Asked", "Throughout", "Over", "Under", "Unlike", "Like"}
TITLE_SMALL = {"of", "the", "a", "an", "and", "in", "on", "for", "with", "to", "at", "by", "from", "or", "&"}
# Capitalized title words that go into the role rather than the name ("Foreign Minister Sergey Lavrov").
TITLE_WORDS = {
    "President", "Vice", "Prime", "Minister", "Foreign", "Defense", "Defence", "Interior", "Finance", "Transport",
    "Secretary", "Senator", "Sen.", "Sen", "Rep.", "Rep", "Representative", "Gov.", "Gov", "Governor", "Mayor",
    "Chairman", "Chairwoman", "Chair", "Director", "General", "Gen.", "Judge", "Justice", "Chief", "Executive",
    "Speaker", "Leader", "Majority", "Minority", "Ambassador", "Commissioner", "Attorney", "Deputy", "Spokesman",
    "Spokeswoman", "Spokesperson", "Press", "Secretary-General", "Chancellor", "King", "Queen", "Prince", "Pope",
    "Mr.", "Mrs.", "Ms.", "Dr.", "Mr", "Mrs", "Ms", "Dr", "Prof.", "Professor", "Sir", "Lord", "Lady", "Dame",
    "Col.", "Colonel", "Capt.", "Captain", "Lt.", "Sgt.", "Adm.", "Admiral", "Rev.", "Father", "Sheikh", "Former",
    "Republican", "Democratic", "Democrat", "State", "Port", "Authority", "U.S.", "US", "Senior", "Assistant",
    "National", "Security", "Adviser", "Advisor", "Head", "CEO", "Founder", "Candidate", "Presidential", "Nominee",
    "Supreme", "Officer", "Health", "Labor", "Labour", "Trade", "Economy", "Energy",
    "Environment", "MP", "Manager", "Moderator", "Councillor", "Councilor", "Presenter", "Host", "Coach",
    "Economist", "Analyst", "Minister-President", "Premier", "Climate",
}
LOWER_TITLES = {"minister", "president", "secretary", "governor", "mayor", "chairman", "chairwoman", "chair",
                 "director", "spokesman", "spokeswoman", "spokesperson", "leader", "manager", "moderator", "mp",
                 "councillor", "councilor", "commissioner", "ambassador", "judge", "senator", "chief", "officer",
                 "economist", "analyst", "presenter", "host", "correspondent", "coach", "captain", "lawyer",
                 "attorney", "professor", "adviser", "advisor", "executive", "founder", "editor", "reporter"}
HONORIFICS = {"Mr.", "Mrs.", "Ms.", "Dr.", "Mr", "Mrs", "Ms", "Dr", "Sir", "Prof."}
ORG_WORDS = {
    "Party", "House", "Department", "Post", "Times", "News", "Service", "Committee", "Council", "University",
    "Ministry", "Office", "Agency", "Association", "Union", "Federation", "Commission", "Court", "Senate",
    "Congress", "Journal", "Press", "Network", "Company", "Corporation", "Inc.", "Group", "Institute", "Foundation",
    "Bank", "Administration", "Campaign", "Authority", "Tribune", "Herald", "Street", "Avenue", "Square", "City",
    "County", "States", "Kingdom", "Republic", "Nations", "Airport", "Center", "Centre", "Club", "Church",
    "Assembly", "Parliament", "Government", "Army", "Navy", "Force", "Guard", "Police", "Magazine",
    "Review", "Channel", "TV", "Radio", "Reuters", "CNN", "NBC", "ABC", "CBS", "Fox", "BBC", "Day", "Week",
    "Coast", "Sea", "Ocean", "Island", "Islands", "Hill", "Lines", "Party's", "Foundation's", "United", "FC",
    "Rovers", "Athletic", "Festival", "Summit", "Ltd", "Group's",
}
ORG_OR_TITLE_WORDS = frozenset(ORG_WORDS | TITLE_WORDS)
ROLE_STOP = DETERMINERS | {"of", "by", "for", "from", "with", "at", "in", "on", "to", "and", "or", "as", "like",
                              "than", "about", "said", "says", "told", "led", "fronted", "including", "under"}
ABBREV = {
    "mr", "mrs", "ms", "dr", "sen", "rep", "gov", "gen", "lt", "col", "capt", "sgt", "adm", "rev", "st", "jr", "sr",
    "prof", "no", "vs", "v", "inc", "ltd", "co", "corp", "jan", "feb", "mar", "apr", "aug", "sept", "sep", "oct",
    "nov", "dec", "u.s", "u.n", "u.k", "e.g", "i.e", "d.c", "calif", "fla", "mass", "pa", "ind", "ill", "wis",
    "mich", "minn", "n.y", "n.h", "n.j", "va", "ga", "ariz", "ky", "tenn", "tex", "okla", "la", "md", "mo",
}

FEMALE_WORDS = {"mrs", "mrs.", "ms", "ms.", "chairwoman", "spokeswoman", "congresswoman", "businesswoman", "actress",
                 "mother", "wife", "daughter", "sister", "queen", "princess", "lady", "dame", "woman", "grandmother"}
MALE_WORDS = {"mr", "mr.", "chairman", "spokesman", "congressman", "businessman", "actor", "father", "husband",
               "son", "brother", "king", "prince", "sir", "lord", "man", "grandfather"}
FEMALE_NAMES = set(
    "hillary sophie katrin annett ulrike margarethe helen hannah sarah elizabeth catherine karen nicole michelle "
    "rachel susan ruth ann anne jane kate claire marie louise christine ingrid astrid sigrid carmen mercedes ines "
    "inês esther judith miriam deborah janet margaret elisabeth isabel isabelle chloe zoe lucy emily amy megan hope "
    "kellyanne nancy betsy elaine dianne kirsten jill sheryl caroline charlotte alice grace rose carly kelly sally "
    "debbie jennifer lauren mary patricia barbara linda jessica ashley stephanie heather nikki kathleen ellen "
    "madeleine gwen jeanne yvonne dominique beatrice agnes iris doris gretchen heidi liz beth meg kim lynn "
    "marine ségolène segolene ursula angela theresa eleanor harriet"
    .split()
)
MALE_NAMES_A = set("luca nikola joshua ilya sasha mustafa akira jonah elijah ezra noah andrea costa garcia "
                    "ibrahima moussa issa musa yahya".split())


def alternation(words: set[str] | frozenset[str] | list[str]) -> str:
    """A regular expression matching any of ``words``, as a prefix tree ("sa(?:id|y(?:ing|s)?)"): the same matches,
    tried in the same order as the alternation sorted longest first (of two words, one a prefix of the other, the
    longer is tried first), but without trying every word at every position, which made the cue searches slow."""
    tree: dict = {}
    for w in set(words):
        node = tree
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = [re.escape(ch) + emit(node[ch]) for ch in sorted(k for k in node if k)]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(tree)


SPEECH_VERB_SET = frozenset(SPEECH_VERBS)
VERB_ALT = "|".join(
    ["points? out", "pointed out", "went on to say", "goes on to say", "went on", "shot back", "fired back",
     "chimed in", "wrote back", "writes back"]
    + [alternation(set(SPEECH_VERBS) - {"went", "shot", "fired", "chimed", "pointed", "points"})]
)
INV_ALT = alternation(INVERTED_VERBS)
IND_ALT = alternation(INDIRECT_VERBS)
IND_MAXLEN = max(map(len, INDIRECT_VERBS))
ING_SPEECH = sorted({v for v in SPEECH_VERBS if v.endswith("ing")})
