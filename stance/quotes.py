"""Quotations and their speakers in news text, by fast rules (no model download).

``extract_quotes(text)`` returns the quotations of an article in document order, each with the character offsets of
the quoted content (marks excluded), the speaker's full name as given in the article, the offsets of the mention the
cue attaches to (which may be a pronoun or "the minister"), the speaker's role when the article gives one, the cue,
whether the quotation is direct, and its paragraph (0-based, paragraphs separated by blank lines).
``extract(text)`` returns the same list together with warnings (unbalanced quotation marks and the like).
Neither function raises on any ``str``.

Supported patterns, in short: ``"Q," S said.`` / ``"Q," said S.`` / ``S said: "Q"`` / ``S, title: "Q"`` /
``according to S, "Q"`` / ``S said that Q`` (indirect) / ``Q, S said.`` (indirect) / split and multi-paragraph quotes /
curly quotes, guillemets and „low-high“ marks / pronoun and surname speakers resolved to the full name /
quotes without a cue inheriting the speaker of the neighbouring quote / a quotation inside a reported clause
(``S said the plan was "a disaster" for farmers``), returned as the whole clause and direct only when 80% of its
letters are quoted / ``S <any verb>: "Q"`` / ``S called it "Q"`` and ``S pledged to "Q"`` (object or "to" included) /
``"Q," an angry S retaliated.`` (a verb outside the cue list closing the sentence) / ``"Q," it read.`` and
``"Q," read one.`` (signs, letters) / ``"Q1," X tweeted after Y argued that "Q2"`` (Q2 is Y's). A quotation inside a
sentence takes no speech verb of the sentence before, and markup attribute values (``<tweet author="...">``) are no
quotations. See ``docs/quotes.md``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["Quote", "QuoteExtraction", "extract", "extract_quotes"]


@dataclass
class Quote:
    """One quotation (or, with ``direct=False``, one reported clause) in an article."""

    quote: str
    quote_start: int
    quote_end: int
    speaker: str | None
    speaker_start: int | None
    speaker_end: int | None
    role: str | None
    cue: str | None
    direct: bool
    paragraph: int

    def to_dict(self) -> dict[str, Any]:
        """The quotation as a plain dict (the JSONL record fields, without ``article_id``)."""
        return asdict(self)


@dataclass
class QuoteExtraction:
    """Result of :func:`extract`: the quotations and what could not be parsed cleanly."""

    quotes: list[Quote] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------------------------------------------------
# Vocabulary

def _forms(bases: str) -> list[str]:
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


_SPEECH_VERBS = (
    "said says say saying told tells tell telling wrote writes writing read reads thought thinks feels felt "
    "went shot fired chimed pointed points believes believed hopes hoped".split()
    + _forms(
        "add ask explain note state argue claim insist continue declare reply respond recall warn acknowledge "
        "announce observe remark suggest tweet post conclude counter admit maintain complain concede joke quip "
        "predict promise caution urge emphasize emphasise stress report shout yell exclaim testify recount assert "
        "contend charge vow boast lament muse wonder thunder fume scoff agree disagree offer confirm deny reveal "
        "answer comment cite elaborate echo repeat reiterate interject whisper sigh laugh snap retort proclaim "
        "plead inform assure remind allege estimate bark scream chant cry beam gush marvel grumble insist "
        "acknowledge concur explain tout quote opine recall counsel blast slam rip mock tease acknowledge"
    )
)
# Verbs that take the speaker after them in an inverted attribution ("Q," said Smith.).
_INVERTED_VERBS = (
    "said says added adds asked asks continued continues wrote writes explained recalled replied responded tweeted "
    "noted argued insisted declared answered concluded observed countered warned remarked mused quipped joked "
    "offered stated confirmed cautioned admitted acknowledged recounted interjected chimed reported shouted "
    "exclaimed agreed complained retorted concluded concludes barked screamed cried beamed gushed marveled grumbled "
    "chanted notes observes recalls explains continues argues insists declares replies responds adds asks quipped "
    "quips jokes joked mused muses opined"
    # Present tense of the same verbs ("..." agrees Michelle Stevens).
    " agrees warns tweets counters admits complains states cautions recounts retorts shouts exclaims remarks answers"
    " confirms acknowledges offers read reads"
).split()
# Verbs that introduce indirect speech ("S said that Q", "Q, S said.").
_INDIRECT_VERBS = (
    "said says told tells added adds argued argues claimed claims insisted insists noted notes warned warns "
    "explained explains stated states acknowledged acknowledges announced announces suggested suggests "
    "predicted predicts promised promises admitted admits maintained maintains conceded concedes emphasized "
    "stressed reported reports testified asserted asserts contended contends charged vowed vows confirmed "
    "confirms denied denies revealed reveals recalled recalls wrote writes believes believed thinks estimated "
    "estimates complained complains observed countered cautioned assured alleged alleges tweeted hopes feels "
    "agreed agrees"
).split()
# Verbs that are attributions only in some uses: never taken as the cue of an unquoted clause on their own.
_WEAK_VERBS = {"believes", "believed", "thinks", "thought", "hopes", "hoped", "feels", "felt", "called", "described",
               "describes", "read", "reads", "went", "pointed", "cited", "offered", "estimated", "estimates"}

_AUX = (
    r"(?:(?:has|have|had|was|were|is|are|would|will|could|can|may|might|should|did|does|do|also|then|later|"
    r"previously|once|recently|again|simply|only|just|repeatedly|reportedly|publicly|privately|earlier|often|"
    r"never|not|always|quickly|flatly|bluntly|firmly|angrily|told|been|being)\s+)"
)
_PRONOUNS = {"he", "she", "they", "i", "we", "it", "you"}
_PERSONAL_PRONOUNS = {"he", "she", "i", "we", "they"}
_DETERMINERS = {
    "the", "a", "an", "one", "another", "his", "her", "their", "its", "our", "two", "three", "some", "many",
    "several", "other", "both", "most", "few", "these", "those", "this", "that", "each", "all", "my", "your",
}
# Words that cannot start a name even when capitalized at a sentence start.
_NAME_STOP = {
    "The", "A", "An", "In", "On", "At", "But", "And", "Or", "If", "When", "While", "As", "So", "Yet", "For", "To",
    "Of", "By", "With", "From", "After", "Before", "That", "This", "These", "Those", "There", "Here", "It", "Its",
    "He", "She", "They", "We", "I", "You", "His", "Her", "Their", "Our", "My", "Your", "Asked", "According",
    "Speaking", "Still", "Then", "Now", "Also", "However", "Meanwhile", "Later", "Earlier", "Last", "Next", "On",
    "Mr", "Mrs", "Ms", "Dr", "What", "Why", "How", "Who", "Where", "Instead", "Although", "Though", "Because",
    "Since", "Until", "Despite", "During", "Over", "Under", "Between", "Among", "Into", "Through", "Without",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Today", "Yesterday", "Tomorrow",
    "In", "Not", "Even", "Just", "Only", "Some", "Many", "Most", "All", "Both", "Each", "Every", "No", "Yes",
    "Well", "Oh", "Like", "Unlike", "Here's", "There's", "It's", "That's", "What's", "Let's", "Here’s", "There’s",
    "It’s", "That’s", "What’s", "Let’s", "Admitting", "Asked", "Speaking", "Writing", "Reacting", "Responding",
}
_TIME_WORDS = {"later", "earlier", "also", "then", "again", "recently", "previously", "once", "today", "yesterday",
               "tonight", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "on", "last",
               "this", "night", "morning", "afternoon", "evening", "week", "month", "year", "in", "at", "ago",
               "jan", "feb", "aug", "sept", "oct", "nov", "dec", "january", "february", "march", "april", "june",
               "july", "august", "september", "october", "november", "december", "weekend", "day", "separately",
               "however", "meanwhile", "too", "both", "himself", "herself", "themselves", "privately", "publicly",
               "still", "now", "already", "even", "never", "just", "finally", "reportedly", "repeatedly", "often"}
_CLAUSE_PREPS = {"at", "in", "on", "during", "after", "before", "to", "of", "from", "with", "for", "about", "as",
                 "by", "via", "through", "without", "while", "when", "last", "earlier", "later", "this", "yesterday",
                 "today", "tuesday", "monday", "wednesday", "thursday", "friday", "saturday", "sunday", "so"}
_LEAD_SKIP = {"but", "and", "or", "so", "yet", "when", "as", "while", "if", "because", "then", "now", "still",
              "also", "meanwhile", "however", "though", "although", "instead", "later", "earlier", "here", "there"}
# Words that make a chunk a clause rather than a noun phrase naming a speaker.
_CLAUSE_WORDS = {"that", "who", "which", "whom", "whose", "is", "are", "was", "were", "be", "been", "being", "has",
                 "have", "had", "do", "does", "did", "will", "would", "can", "could", "should", "may", "might",
                 "must", "each", "where", "what", "not", "to", "it", "this", "these", "those", "if", "than"}
# Capitalized title words that go into the role rather than the name ("Foreign Minister Sergey Lavrov").
_TITLE_WORDS = {
    "President", "Vice", "Prime", "Minister", "Foreign", "Defense", "Defence", "Interior", "Finance", "Transport",
    "Secretary", "Senator", "Sen.", "Sen", "Rep.", "Rep", "Representative", "Gov.", "Gov", "Governor", "Mayor",
    "Chairman", "Chairwoman", "Chair", "Director", "General", "Gen.", "Judge", "Justice", "Chief", "Executive",
    "Speaker", "Leader", "Majority", "Minority", "Ambassador", "Commissioner", "Attorney", "Deputy", "Spokesman",
    "Spokeswoman", "Spokesperson", "Press", "Secretary-General", "Chancellor", "King", "Queen", "Prince", "Pope",
    "Mr.", "Mrs.", "Ms.", "Dr.", "Mr", "Mrs", "Ms", "Dr", "Prof.", "Professor", "Sir", "Lord", "Lady", "Dame",
    "Col.", "Colonel", "Capt.", "Captain", "Lt.", "Sgt.", "Adm.", "Admiral", "Rev.", "Father", "Sheikh", "Former",
    "Republican", "Democratic", "Democrat", "State", "Port", "Authority", "U.S.", "US", "Senior", "Assistant",
    "National", "Security", "Adviser", "Advisor", "Head", "CEO", "Founder", "Candidate", "Presidential", "Nominee",
    "Supreme", "Leader", "Officer", "Health", "Labor", "Labour", "Trade", "Economy", "Energy", "Justice",
    "Environment", "MP", "Manager", "Moderator", "Councillor", "Councilor", "Presenter", "Host", "Coach",
    "Economist", "Analyst", "Chief", "Minister-President", "Premier", "Chancellor", "Environment", "Climate",
}
_LOWER_TITLES = {"minister", "president", "secretary", "governor", "mayor", "chairman", "chairwoman", "chair",
                 "director", "spokesman", "spokeswoman", "spokesperson", "leader", "manager", "moderator", "mp",
                 "councillor", "councilor", "commissioner", "ambassador", "judge", "senator", "chief", "officer",
                 "economist", "analyst", "presenter", "host", "correspondent", "coach", "captain", "lawyer",
                 "attorney", "professor", "adviser", "advisor", "executive", "founder", "editor", "reporter"}
_HONORIFICS = {"Mr.", "Mrs.", "Ms.", "Dr.", "Mr", "Mrs", "Ms", "Dr", "Sir", "Prof."}
_ORG_WORDS = {
    "Party", "House", "Department", "Post", "Times", "News", "Service", "Committee", "Council", "University",
    "Ministry", "Office", "Agency", "Association", "Union", "Federation", "Commission", "Court", "Senate",
    "Congress", "Journal", "Press", "Network", "Company", "Corporation", "Inc.", "Group", "Institute", "Foundation",
    "Bank", "Administration", "Campaign", "Authority", "Tribune", "Herald", "Street", "Avenue", "Square", "City",
    "County", "States", "Kingdom", "Republic", "Nations", "Airport", "Center", "Centre", "Club", "Church",
    "Assembly", "Parliament", "Government", "Army", "Navy", "Force", "Guard", "Police", "Times", "Magazine",
    "Review", "Channel", "TV", "Radio", "Reuters", "CNN", "NBC", "ABC", "CBS", "Fox", "BBC", "Day", "Week",
    "Coast", "Sea", "Ocean", "Island", "Islands", "Hill", "Lines", "Party's", "Foundation's", "United", "FC",
    "Rovers", "Athletic", "Festival", "Summit", "Ltd", "Group's",
}
_ORG_OR_TITLE_WORDS = frozenset(_ORG_WORDS | _TITLE_WORDS)
_ABBREV = {
    "mr", "mrs", "ms", "dr", "sen", "rep", "gov", "gen", "lt", "col", "capt", "sgt", "adm", "rev", "st", "jr", "sr",
    "prof", "no", "vs", "v", "inc", "ltd", "co", "corp", "jan", "feb", "mar", "apr", "aug", "sept", "sep", "oct",
    "nov", "dec", "u.s", "u.n", "u.k", "e.g", "i.e", "d.c", "calif", "fla", "mass", "pa", "ind", "ill", "wis",
    "mich", "minn", "n.y", "n.h", "n.j", "va", "ga", "ariz", "ky", "tenn", "tex", "okla", "la", "md", "mo",
}

_FEMALE_WORDS = {"mrs", "mrs.", "ms", "ms.", "chairwoman", "spokeswoman", "congresswoman", "businesswoman", "actress",
                 "mother", "wife", "daughter", "sister", "queen", "princess", "lady", "dame", "woman", "grandmother"}
_MALE_WORDS = {"mr", "mr.", "chairman", "spokesman", "congressman", "businessman", "actor", "father", "husband",
               "son", "brother", "king", "prince", "sir", "lord", "man", "grandfather"}
_FEMALE_NAMES = set(
    "hillary sophie katrin annett ulrike margarethe helen hannah sarah elizabeth catherine karen nicole michelle "
    "rachel susan ruth ann anne jane kate claire marie louise christine ingrid astrid sigrid carmen mercedes ines "
    "inês esther judith miriam deborah janet margaret elisabeth isabel isabelle chloe zoe lucy emily amy megan hope "
    "kellyanne nancy betsy elaine dianne kirsten jill sheryl caroline charlotte alice grace rose carly kelly sally "
    "debbie jennifer lauren mary patricia barbara linda jessica ashley stephanie heather nikki kathleen ellen "
    "madeleine gwen jeanne yvonne dominique beatrice agnes iris doris gretchen heidi liz beth meg kim lynn "
    "marine ségolène segolene ursula angela theresa eleanor harriet"
    .split()
)
_MALE_NAMES_A = set("luca nikola joshua ilya sasha mustafa akira jonah elijah ezra noah andrea costa garcia "
                    "ibrahima moussa issa musa yahya".split())

# --------------------------------------------------------------------------------------------------------------------
# Precompiled patterns

def _alt(words: set[str] | frozenset[str] | list[str]) -> str:
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


_SPEECH_VERB_SET = frozenset(_SPEECH_VERBS)
_VERB_ALT = "|".join(
    ["points? out", "pointed out", "went on to say", "goes on to say", "went on", "shot back", "fired back",
     "chimed in", "wrote back", "writes back"]
    + [_alt(set(_SPEECH_VERBS) - {"went", "shot", "fired", "chimed", "pointed", "points"})]
)
_INV_ALT = _alt(_INVERTED_VERBS)
_IND_ALT = _alt(_INDIRECT_VERBS)
_IND_MAXLEN = max(map(len, _INDIRECT_VERBS))

_OPEN_MARKS = ("\"", "“", "„", "«", "‹", "''")
# Straight and curly double marks close each other: mixed pairs ("…” or “…") are common typing accidents.
_CLOSE_FOR = {'"': ('"', "”"), "“": ("”", "“", '"'), "„": ("“", "”"), "«": ("»",), "‹": ("›",), "''": ("''",)}
_MARK_RE = re.compile(r"''|[\"“”„«»‹›]")
_ATTR_VALUE_RE = re.compile(r"[\w-]=([\"“”])")
_DOUBLE_MARK_RE = re.compile(r"[\"“”]")
_TAG_RE = re.compile(r"<[A-Za-z][^<>]*>")  # a markup tag, attributes included (newlines allowed)
_PARA_SPLIT_BLANK = re.compile(r"\n[ \t\r\f\v\u00a0]*\n\s*")
_HAS_BLANK_LINE = re.compile(r"\n[ \t\r\f\v\u00a0]*\n")
_LINE_RE = re.compile(r"[^\n]+")
_WORD_RE = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
_TOKEN_RE = re.compile(r"[^\s,;:()\[\]\"“”„«»]+")
_LETTER_RE = re.compile(r"[^\W\d_]")
# End of the last sentence in a string (used on text before a quote).
_BOUNDARY_RE = re.compile(r"(?:[.!?][\"”’)]*|[—–]\s*-?)\s+")
# A sentence end: terminal punctuation, optional closing marks, then space + capital/quote or end of text.
_SENT_END_RE = re.compile(r"[.!?]+[\"”’)]*(?=\s+(?:[^\W\d_a-z]|[\d\"“‘'(\[«„])|\s*$)")

# After a closing mark: ``, said S`` (inverted) or ``, S said`` or ``, according to S``.
_AFTER_INV_RE = re.compile(
    rf"^[,\s]*(?:—\s*)?(?:(?:then|later|also)\s+)?(?P<verb>{_INV_ALT})\s+(?P<spk>[^,;:!?()\"“”]{{1,120}}?)"
    rf"(?=\s*[,;:!?(\"“”]|\s*\.[\"”’)]*\s*$|\s+(?:in|at|on|during|before|after|who|when|while|to|about|of|from|last|this|via|as|"
    rf"because|adding|according|recently|earlier|later|with|outside|inside|told|said|referring)\b|\s*$)"
)
_AFTER_SV_RE = re.compile(
    rf"^[,\s]*(?:—\s*)?(?P<spk>[^,;:!?()\"“”—]{{1,100}}?)(?:\s*\([^()]{{1,30}}\))?(?P<app>\s*,\s*[^;:!?\"“”]{{1,160}}?,)?\s+{_AUX}{{0,3}}"
    rf"(?P<verb>{_VERB_ALT})\b"
)
_AFTER_ANY_VERB_RE = re.compile(
    r"^[,\s]*(?P<spk>(?:[\w’'.-]+\s+){0,4}?[\w’'.-]+)\s+(?P<verb>[a-z]{2,}ed)(?:\s+(?:back|in|up|out))?"
    r"[ \t\u00a0]*(?:[.;!]|\Z|(?P<comma>,))"
)
_AFTER_ACC_RE = re.compile(
    r"^[,\s]*(?P<verb>according to)\s+(?P<spk>[^,;:!?()\"“”]{1,120}?)(?=\s*[,;:!?(]|\s*\.[\"”’)]*\s*$|\s*$)"
)
# After a closing mark, a dash and a name ending the line: ``"Q." ― Martha Aguilar`` (collections of reader voices).
_AFTER_DASH_RE = re.compile(
    r"[ \t\u00a0]*[―—–-]{1,2}[ \t\u00a0]*"
    r"(?P<spk>(?:[A-Z\u00C0-\u00DE][\w.'’-]*[ \t\u00a0]+){0,4}[A-Z\u00C0-\u00DE][\w'’-]*)[ \t\u00a0.]*(?=\n|$)"
)
# A transcript label opening a quotation: ``"PENCE: Well, the question ..."``.
_LABEL_IN_QUOTE_RE = re.compile(r"(?P<spk>[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,2}):\s")
# Before an opening mark.
_BEFORE_COLON_RE = re.compile(r"(?P<spk>[^,:;.!?\"“”()]{1,80}?)(?:\s*,\s*(?P<role>[^:;!?\"“”]{1,160}?))?\s*:\s*$")
_BEFORE_ACC_RE = re.compile(r"\b(?P<verb>[Aa]ccording to)\s+(?P<spk>[^,;:!?\"“”]{1,120}?)\s*,\s*$")
_BEFORE_VERB_RE = re.compile(
    rf"(?P<head>.*?)(?P<app>,\s*[^,;:!?\"“”]{{1,160}}?,)?\s+{_AUX}{{0,3}}(?P<verb>{_VERB_ALT})\b"
    rf"(?P<tail>[^\"“”„«]*)$",
    re.S,
)
# Indirect speech in a sentence without quotation marks.
_IND_THAT_RE = re.compile(
    rf"^(?P<head>.*?)(?P<app>,\s*[^,;:!?]{{1,160}}?,)?\s+{_AUX}{{0,3}}(?P<verb>{_IND_ALT})\b"
    rf"(?P<obj>\s+(?:(?:reporters|journalists|the\s+\w+|an?\s+\w+(?:\s+\w+)?|[A-Z][\w.]*(?:\s+[A-Z][\w.]*)*|him|her|"
    rf"them|us|me|CNN|Fox|[A-Z][\w.&-]*['’]s\s+[\"“][^\"“”]{{1,60}}[\"”])\s+))?"
    rf"(?:(?:on|in|at|last|this|during|earlier|late)\s+[^,]{{1,40}}?\s+)?(?:\s*(?P<that>that)\b)?\s*(?P<clause>.{{12,}})$",
    re.S,
)
_IND_TRAIL_RE = re.compile(
    rf"^(?P<clause>.{{12,}}?)\s*,\s*(?P<spk>[^,;:!?\"“”]{{1,100}}?)(?P<app>\s*,\s*[^,;:!?]{{1,120}},)?\s+{_AUX}{{0,2}}"
    rf"(?P<verb>{_IND_ALT})(?P<rest>\b(?!\s+(?:that|to|if|whether)\b)[^,;]{{0,40}})?[.!?]?[\"”’)]*\s*$",
    re.S,
)
_IND_TRAIL_INV_RE = re.compile(
    rf"^(?P<clause>.{{12,}}?)\s*,\s*(?P<verb>{_INV_ALT})\s+(?P<spk>[^,;:!?\"“”]{{1,100}}?)"
    rf"(?P<app>\s*,\s*[^;:!?]{{1,120}})?[.!?]?[\"”’)]*\s*$",
    re.S,
)
_IND_ACC_FRONT_RE = re.compile(r"^\s*(?P<verb>[Aa]ccording to)\s+(?P<spk>[^,;:!?]{1,120}?)\s*,\s*(?P<clause>.{8,})$", re.S)
_IND_ACC_BACK_RE = re.compile(
    r"^(?P<clause>.{8,}?)\s*,\s*(?P<verb>according to)\s+(?P<spk>[^,;:!?]{1,120}?)[.!?]?[\"”’)]*\s*$", re.S
)
_PARTICIPLE_CUE_RE = re.compile(
    r",\s+(adding|saying|continuing|noting|explaining|arguing|insisting|writing|telling|asking|warning)\b"
)
_ING_SPEECH = sorted({v for v in _SPEECH_VERBS if v.endswith("ing")})
_TAIL_PARTICIPLE_RE = re.compile(
    rf"(?:,|\bbefore|\bthen|\band)\s+({_alt(_ING_SPEECH)})\b[^.!?]*$"
)
# The sentence goes on after a closing mark with a lowercase word.
_CLAUSE_GOES_ON_RE = re.compile(r"[ \u00a0]+[a-z]")
# "that" after a cue verb and its object (no verb between), and the punctuation and space after a cue verb.
_THAT_LEAD_RE = re.compile(
    r"(?:\s+(?!(?:is|are|was|were|be|been|has|have|had|would|will|could|can|should|may|might|must|so|such|that)\b)"
    r"[^\s\"“”]+){0,15}?\s+that\s+"
)
# An attribution ending a reported clause: ``, according to the Times`` / ``, said Ruiz`` / ``, aides said on Sunday``
# (after the verb, only a time or a place: ``, John said none were added`` is a clause of its own).
_TAIL_ATTR_RE = re.compile(
    rf"\s*,\s*(?:(?P<acc>according\s+to)\s+[^,;:!?\"“”]{{1,120}}?|(?P<inv>{_INV_ALT})\s+(?P<ispk>[^,;:!?\"“”]{{1,100}}?)|"
    rf"(?P<spk>[^,;:!?\"“”]{{1,100}}?)\s+{_AUX}{{0,2}}(?P<verb>{_IND_ALT})"
    rf"(?:\s+(?i:{'|'.join(sorted(_CLAUSE_PREPS, key=len, reverse=True))})\b[^,;:!?\"“”]{{0,40}}?)?)"
    r"\s*[.!?]?[\"”’)]*\s*\Z"
)
_EDGE_MARKS_RE = re.compile(r"\A(?:''|[\"“”„«»‹›])+|(?:''|[\"“”„«»‹›])+\Z")
_PAREN_TAIL_RE = re.compile(r"\s*\([^()]{1,30}\)\s*\Z")
_TITLE_SMALL = {"of", "the", "a", "an", "and", "in", "on", "for", "with", "to", "at", "by", "from", "or", "&"}
_TITLE_BEFORE_RE = re.compile(
    r"(?:[A-Z][\w.&-]*['’]s?|\b(?:titled|entitled|headlined|called|named|show|program|programme|book|memoir|"
    r"column|article|film|movie|song|album|op-ed|essay|headline|report|documentary|series|magazine|newspaper),?)"
    r"\s+\Z"
)
_WHO_RE = re.compile(r"\s*(who)\s*")
_SKIP_PUNCT_RE = re.compile(r"[\s,:;—–-]*")
# A second verb phrase of the reporting sentence after a quotation ("declaring it "Q" and said it was ...").
_COORD_VERB_RE = re.compile(rf"\b(?:and|but|then)\s+(?:\w+ly\s+)?(?:{_VERB_ALT})\b")
_WEEKDAYS = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_CLAUSE_ADVERBIAL_RE = re.compile(
    rf"(?:(?:on\s+|last\s+|this\s+|early\s+|late\s+)?{_WEEKDAYS}(?:\s+(?:night|morning|afternoon|evening))?|"
    r"(?:last|this)\s+(?:week|month|year|weekend)|yesterday|today|tonight|earlier|later|again|"
    r"(?:at|in|during)\s+(?:an?|the|his|her|their)\s+(?:[\w’'-]+\s+){0,4}?(?:rally|interview|speech|statement|"
    r"event|debate|meeting|conference|hearing|appearance|town\s+hall)(?:\s+(?:in|at)\s+[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,2})?)"
    r",?\s+"
)
_NOUN_DETERMINERS = {"the", "a", "an", "his", "her", "their", "its", "our", "my", "your", "these", "those"}
_PREV_WORD_RE = re.compile(r"([\w’'-]+)\s+\Z")
_NEW_SENTENCE_RE = re.compile(r"[ \u00a0]+[A-Z\"“]")
_AUX_END_RE = re.compile(rf"\s+{_AUX}{{1,3}}\Z")
_IND_ANY_RE = re.compile(rf"\b(?:{_alt(set(_INDIRECT_VERBS) | set(_INVERTED_VERBS))}|[Aa]ccording to)\b")
_VERB_ANY_RE = re.compile(rf"\b(?:{_VERB_ALT})\b")
# Cues of a partial quotation in its sentence ("Trump called the system "rigged"", "chanting "Lock her up!""): the
# speech verbs and the verbs that quote a label or a slogan.
_LABEL_VERBS = (
    "called calls calling call dubbed dubs dubbing labeled labelled labels labeling branded brands branding termed "
    "terms terming described describes describing chanted chants chanting shouted shouting yelled yelling "
    "thanked thanking praised praising urged urging mouthed mouthing likened promised promising vowed vowing "
    "warned warning referred referring decried decrying denounced denouncing pledged pledges pledging"
).split()
_PARTIAL_CUE_RE = re.compile(
    rf"(?<![\w-])(?:{_alt(set(_LABEL_VERBS) | set(_SPEECH_VERBS) - _WEAK_VERBS - {'went', 'shot', 'fired', 'read', 'reads', 'chimed', 'pointed', 'points'})})\b"
)
# A naming verb and its object right before a quotation: "called it", "calling Merkel", "dubbed him" (not a
# possessive: "what he called Machado's "sex tape"" names a thing, it predicates nothing).
_SMALL_CLAUSE_RE = re.compile(
    r"\b(?P<verb>call(?:s|ed|ing)?|dub(?:s|bed|bing)|label(?:s|ed|led|ing|ling)|brand(?:s|ed|ing)|term(?:s|ed|ing)|"
    r"pronounc(?:es|ed|ing))\s+(?P<obj>(?:it|him|her|them|this|that|himself|herself|themselves)|"
    r"[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,2})(?:\s+(?:a|an|the))?[ \u00a0]*\Z"
)
# A cue verb, at most three words, and the infinitive marker right before a quotation ("pledging to "Q"").
_TO_COMPLEMENT_RE = re.compile(
    rf"\b(?P<verb>{_alt(set(_LABEL_VERBS) | set(_SPEECH_VERBS) - _WEAK_VERBS)})"
    r"(?:\s+[\w’'-]+){0,3}?\s+(?P<obj>to)[ \u00a0]*\Z"
)
_OBJECT_LEADS = (_DETERMINERS - {"that", "this", "all", "both", "each"}) | {"him", "them", "us", "me", "you"}
_UP = r"[A-Z\u00C0-\u00D6\u00D8-\u00DE\u0100-\u024F]"
_NAMEWORD = rf"{_UP}[^\W\d_]+(?:[-’'][^\W\d_]+)*"
# A full name, optionally after an honorific: "(?<![\w.’'])(?:(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Prof)\.\s+)?{_NAMEWORD}...",
# written to start with the capital letter (then the look-behind at the letter before it, then the honorific's or
# the name word's other letters), so that the search skips to capital letters instead of trying every position:
# the same matches, about twice as fast.
_NAMEWORD_REST = r"[^\W\d_]+(?:[-’'][^\W\d_]+)*"
_HONORIFIC_REST = "|".join(
    rf"(?<={first})(?:{rest})\.\s+{_NAMEWORD}"
    for first, rest in (("M", "r|rs|s"), ("D", "r"), ("S", "en"), ("R", "ep"), ("G", "ov|en"), ("P", "rof"))
)
_PERSON_RE = re.compile(
    rf"{_UP}(?<![\w.’'].)(?:{_HONORIFIC_REST}|{_NAMEWORD_REST})(?:\s+[A-Z]\.)*"
    rf"(?:\s+(?:(?:de|da|van|von|der|den|bin|al|la|le|del|di|du|dos|ter)\s+)?{_NAMEWORD}(?:\s+[A-Z]\.)*){{1,5}}"
    rf"(?:,?\s+(?:Jr|Sr)\.?)?"
)
_SENT_SUBJECT_RE = re.compile(
    rf"\s*(?:(?:But|And|So|Then|Still|Yet|Later|Earlier|Meanwhile|However),?\s+)?"
    rf"((?:[Hh]e|[Ss]he|I|[Ww]e|[Tt]hey)\b|(?:{_UP}[\w’'.\-]*\s+){{0,5}}{_UP}[\w’'\-]*)"
)
_OPENING_PREPS = {"During", "In", "At", "After", "Before", "On", "Since", "Following", "With", "Despite", "Amid",
                  "Earlier", "Later", "Last", "Speaking", "Asked", "Throughout", "Over", "Under", "Unlike", "Like"}
_APPOS_AFTER_RE = re.compile(r",\s+((?:the\s+|an?\s+)?[^,.;:!?\"“”()]{2,100}?)\s*(?=,|\.\s|;|\s+(?:said|told|says)\b)")
_ROLE_CUT_RE = re.compile(r"\s+(?:who|which|whose|with|where|when|since|after|before|while)\b.*$|\s*,.*$", re.S)
_ROLE_LEAD_RE = re.compile(r"^(?:(?:a|an|its|their|his|her)\s+)?(?:\d+-year-old\s+)?", re.I)
_SPACE_RE = re.compile(r"\s+")


# --------------------------------------------------------------------------------------------------------------------
# Internal records


@dataclass
class _Span:
    """A quoted stretch found by the mark scanner."""

    start: int  # content start (after the opening mark)
    end: int  # content end (before the closing mark)
    open_pos: int  # position of the opening mark
    close_end: int  # position after the closing mark (== end when unclosed)
    para: int
    closed: bool
    indirect: bool = False  # a reported clause holding quoted words, under 80% of its letters quoted


@dataclass
class _Attr:
    """An attribution: who, with which cue, and where the mention is."""

    speaker: str | None
    s_start: int | None
    s_end: int | None
    role: str | None
    cue: str | None
    end: int = -1  # where the attribution clause after a quote ends (for runs of quotes)


@dataclass
class _Person:
    name: str
    role: str | None = None
    gender: str | None = None  # "f", "m" or None when unknown


# --------------------------------------------------------------------------------------------------------------------
# Paragraphs and sentences


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: blocks separated by blank lines, or lines when there are no blank lines."""
    out: list[tuple[int, int]] = []
    if _HAS_BLANK_LINE.search(text):
        pos = 0
        for m in _PARA_SPLIT_BLANK.finditer(text):
            if text[pos : m.start()].strip():
                out.append(_trim(text, pos, m.start()))
            pos = m.end()
        if text[pos:].strip():
            out.append(_trim(text, pos, len(text)))
    else:
        for m in _LINE_RE.finditer(text):
            if m.group().strip():
                out.append(_trim(text, m.start(), m.end()))
    return out


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _tail_start(text: str, start: int, end: int) -> int:
    r"""Where the final ``[.!?]?[\"”’)]*\s*`` of ``text[start:end]`` begins (its earliest possible start)."""
    while end > start and text[end - 1].isspace():
        end -= 1
    while end > start and text[end - 1] in "\"”’)":
        end -= 1
    if end > start and text[end - 1] in ".!?":
        end -= 1
    return end


def _is_abbrev_end(text: str, dot: int) -> bool:
    """Whether the period at ``dot`` ends an abbreviation or an initial rather than a sentence."""
    j = dot
    while j > 0 and (text[j - 1].isalpha() or text[j - 1] == "."):
        j -= 1
    word = text[j:dot].lower()
    if not word:
        return False
    if len(word) == 1 and text[dot - 1].isupper():
        return True  # an initial: "John F. Kennedy"
    return word in _ABBREV or word.rstrip(".") in _ABBREV


def _sentence_spans(text: str, start: int, end: int, abbrev: Any = None) -> list[tuple[int, int]]:
    """Sentences of ``text[start:end]`` as (start, end) offsets (``abbrev(dot)``: a cached :func:`_is_abbrev_end`)."""
    out = []
    pos = start
    chunk = text[start:end]
    for m in _SENT_END_RE.finditer(chunk):
        dot = start + m.start()
        if text[dot] == "." and (abbrev(dot) if abbrev else _is_abbrev_end(text, dot)):
            continue
        e = start + m.end()
        if text[pos:e].strip():
            out.append(_trim(text, pos, e))
        pos = e
    if text[pos:end].strip():
        out.append(_trim(text, pos, end))
    return out


def _first_sentence_end(text: str, start: int, end: int, abbrev: Any = None) -> int | None:
    """The end of the first of :func:`_sentence_spans` (without finding the others), or None when there is none."""
    pos = start
    for m in _SENT_END_RE.finditer(text[start:end]):
        dot = start + m.start()
        if text[dot] == "." and (abbrev(dot) if abbrev else _is_abbrev_end(text, dot)):
            continue
        e = start + m.end()
        if text[pos:e].strip():
            return _trim(text, pos, e)[1]
        pos = e
    if text[pos:end].strip():
        return _trim(text, pos, end)[1]
    return None


# --------------------------------------------------------------------------------------------------------------------
# Quotation marks


def _scan_marks(text: str, paras: list[tuple[int, int]], warnings: list[str]) -> list[_Span]:
    """Pair quotation marks paragraph by paragraph; join multi-paragraph quotations.

    Nested quotations use other marks (single quotes, or curly inside straight) and are left inside their parent."""
    spans: list[_Span] = []
    pending: _Span | None = None  # a quotation left open at the end of the previous paragraph
    pending_ch = ""
    # The marks around a markup attribute value (``<tweet author="@x" date="May 2">`` left in scraped text) are no
    # quotation marks: the mark right after "=" and the next double mark.
    markup: set[int] = set()
    if "=" in text and "<" in text:
        for tag in _TAG_RE.finditer(text):  # only inside a tag: a stray 'a="' in prose pairs nothing away
            for m in _ATTR_VALUE_RE.finditer(text, tag.start(), tag.end()):
                if m.start(1) not in markup:
                    markup.add(m.start(1))
                    c = _DOUBLE_MARK_RE.search(text, m.end(), tag.end())
                    if c is not None:
                        markup.add(c.start())
    for pi, (ps, pe) in enumerate(paras):
        marks = [(m.start(), m.group()) for m in _MARK_RE.finditer(text, ps, pe) if m.start() not in markup]
        open_pos, open_ch, open_len = -1, "", 0
        cont: _Span | None = None
        k0 = 0
        if pending is not None:
            if marks and marks[0][0] == ps and marks[0][1] in _OPEN_MARKS:
                # Continuation paragraph: the quotation goes on; this paragraph's opening mark is skipped.
                cont, open_pos, open_ch, open_len = pending, pending.open_pos, pending_ch, len(pending_ch)
                k0 = 1
            else:
                warnings.append(f"unbalanced quotation mark at offset {pending.open_pos} (paragraph {pending.para})")
                spans.append(pending)
        pending = None
        for pos, ch in marks[k0:]:
            if open_pos < 0:
                if ch in _OPEN_MARKS:
                    open_pos, open_ch, open_len = pos, ch, len(ch)
                else:
                    warnings.append(f"closing quotation mark without an opening one at offset {pos}")
                continue
            if ch not in _CLOSE_FOR[open_ch]:
                continue  # a different mark inside a quotation: nested, left alone
            if ch == "“" and open_ch == "“":
                prev = text[pos - 1] if pos > 0 else " "
                if prev.isspace() or prev in "(—–-":
                    # Another opening mark while one is open: the closing mark before it is missing.
                    warnings.append(f"quotation opened at offset {open_pos} not closed before offset {pos}")
                    spans.append(_make_span(text, cont, open_pos, open_len, pos, pos, pi, closed=False))
                    cont = None
                    open_pos, open_ch, open_len = pos, ch, 1
                    continue
            spans.append(_make_span(text, cont, open_pos, open_len, pos, pos + len(ch), pi, closed=True))
            cont = None
            open_pos = -1
        if open_pos >= 0:
            pending = _make_span(text, cont, open_pos, open_len, pe, pe, pi, closed=False)
            pending_ch = open_ch
    if pending is not None:
        warnings.append(f"unbalanced quotation mark at offset {pending.open_pos} (paragraph {pending.para})")
        spans.append(pending)
    return spans


def _make_span(
    text: str, cont: _Span | None, open_pos: int, open_len: int, end: int, close_end: int, pi: int, closed: bool
) -> _Span:
    if cont is not None:
        start, para, open_pos = cont.start, cont.para, cont.open_pos
    else:
        start, para = open_pos + open_len, pi
    s, e = _trim(text, start, end)
    if e <= s:
        s = e = start
    return _Span(start=s, end=e, open_pos=open_pos, close_end=close_end, para=para, closed=closed)


# --------------------------------------------------------------------------------------------------------------------
# Speaker mentions


def _mention_from_chunk(text: str, cs: int, ce: int, from_end: bool = True) -> tuple[int, int, str | None] | None:
    """Find the speaker mention in ``text[cs:ce]`` (a subject or inverted-subject chunk).

    Returns (start, end, role) of the mention, with a role taken from title words before a name. A mention never
    crosses a quotation mark: the chunk is cut after its last mark (before its first one when the subject follows
    the verb)."""
    marks = [m.start() for m in _MARK_RE.finditer(text, cs, ce)]
    if marks:
        if from_end:
            cs = marks[-1] + (2 if text.startswith("''", marks[-1]) else 1)
        else:
            ce = marks[0]
    pm = _PAREN_TAIL_RE.search(text, cs, ce) if from_end else None
    if pm is not None and pm.start() > cs:
        ce = pm.start()  # "Harry M. Reid (D-Nev.) told": the party tag is not part of the name
    chunk = text[cs:ce]
    toks = [(cs + m.start(), cs + m.end(), m.group()) for m in _TOKEN_RE.finditer(chunk)]
    # Leading conjunctions and adverbs are not part of the subject ("But Tom Miller argues"), nor trailing times
    # ("Priebus later Thursday told").
    while toks and toks[0][2].lower() in _LEAD_SKIP:
        toks = toks[1:]
    if from_end:
        while len(toks) > 1 and toks[-1][2].lower().rstrip(".") in _TIME_WORDS:
            toks = toks[:-1]
    if not toks or len(toks) > 14:
        return None
    if any(t[2].lower() in _CLAUSE_WORDS for t in toks):
        # A clause rather than a noun phrase: only a pronoun or name right before the verb can be the subject.
        last = toks[-1][2]
        if from_end and (last.lower() in _PERSONAL_PRONOUNS or last[:1].isupper()):
            k = len(toks) - 1
            while k > 0 and toks[k - 1][2][:1].isupper() and toks[k - 1][2].lower() not in _CLAUSE_WORDS:
                k -= 1
            toks = toks[k:]
        else:
            return None
    if from_end:
        # The subject ends right before the verb: walk backwards.
        last = toks[-1][2]
        if last.lower() in _PRONOUNS and len(toks) <= 3:
            return toks[-1][0], toks[-1][1], None
    else:
        first = toks[0][2]
        if first.lower() in _PRONOUNS:
            return (toks[0][0], toks[0][1], None) if len(toks) == 1 else None
    caps = [t for t in toks if t[2][:1].isupper() or t[2][:1].isdigit()]
    lower_words = [t for t in toks if t[2][:1].islower()]
    # A name: the last run of capitalized tokens (particles allowed inside).
    run: list[tuple[int, int, str]] = []
    i = len(toks) - 1
    while i >= 0:
        w = toks[i][2]
        if w[:1].isupper() or (run and w in ("de", "da", "van", "von", "der", "bin", "al", "la", "le", "del", "di")):
            run.insert(0, toks[i])
            i -= 1
        else:
            break
    if run and i < len(toks) - 1 and run[-1] is toks[-1]:
        # Split title words off the front of the run ("Foreign Minister Sergey Lavrov").
        k = 0
        while k < len(run) - 1 and run[k][2].lower() in _DETERMINERS:
            k += 1
        titles, _ = _split_title([t[2] for t in run[k:]])
        k += len(titles)
        name_toks = run[k:]
        if name_toks and name_toks[0][2] in _NAME_STOP and len(name_toks) == 1 and name_toks[0][2] != "I":
            return None
        if name_toks:
            role_toks = toks[: len(toks) - len(name_toks)]
            role = _pre_role([t[2] for t in role_toks])
            if len(toks) - len(name_toks) > 8:
                return None
            return name_toks[0][0], name_toks[-1][1], role
    if not caps or lower_words:
        # A common-noun phrase ("a senior official", "the minister", "sources"): the whole chunk.
        first = toks[0][2].lower()
        if first in _DETERMINERS or len(toks) <= 2 or toks[0][2][:1].isupper():
            if len(toks) <= 8:
                return toks[0][0], toks[-1][1], None
    return None


_NAMEWORD_RE = re.compile(_NAMEWORD)
_NAMEWORD_GOES_ON_RE = re.compile(r"[^\W\d_]|[-’'][^\W\d_]")
#: up to this many known surnames, each is looked up with ``str.find``; beyond, one regex pass over the text
_FIND_MAX_SURNAMES = 24


def _gender(words: list[str], titles: list[str], role: str | None) -> str | None:
    """A guess at a person's gender from honorifics, role words and the first name; None when unsure."""
    hints = {t.lower() for t in titles}
    if role:
        hints.update(w.lower().strip(".,") for w in role.split())
    if hints & _FEMALE_WORDS:
        return "f"
    if hints & _MALE_WORDS:
        return "m"
    if not words:
        return None
    first = words[0].lower()
    if first in _FEMALE_NAMES:
        return "f"
    if first.endswith("a") and first not in _MALE_NAMES_A and len(first) > 2:
        return "f"
    return "m" if len(words) >= 2 and first.replace("-", "").isalpha() else None


def _role_like(phrase: str) -> bool:
    """Whether an apposition reads like a role ("the union's chairman", "regional director of X")."""
    words = phrase.split()
    if not words or not words[0][:1].islower():
        return False
    for w in words[:4]:
        lw = w.lower().strip(",.")
        if lw in _CLAUSE_WORDS or lw in _SPEECH_VERB_SET:
            return False
    first = words[0].lower()
    if first not in ("the", "a", "an") and (first.endswith("ed") or first.endswith("ing")):
        return False
    return True


_ROLE_STOP = _DETERMINERS | {"of", "by", "for", "from", "with", "at", "in", "on", "to", "and", "or", "as", "like",
                              "than", "about", "said", "says", "told", "led", "fronted", "including", "under"}


def _pre_role(words: list[str]) -> str | None:
    """The role words right before a name ("Club chairman", "Turkey's trade minister"), if the last is a title."""
    if not words:
        return None
    last = words[-1].strip(",")
    if not (last in _TITLE_WORDS or last.lower() in _LOWER_TITLES):
        return None
    out: list[str] = []
    for w in reversed(words):
        if w.lower() in _ROLE_STOP or w.lower() in _SPEECH_VERB_SET or w.endswith(",") or len(out) >= 4:
            break
        out.insert(0, w)
    role = " ".join(t for t in out if t not in _HONORIFICS)
    return role or None


def _split_title(words: list[str]) -> tuple[list[str], list[str]]:
    """Split "Swiss Environment Minister Sophie Delacroix" into title words and name words, at the last title word."""
    k = -1
    for i, w in enumerate(words[:-1]):
        if w in _TITLE_WORDS or w.lower() in _LOWER_TITLES:
            k = i
    return words[: k + 1], words[k + 1 :]


def _normalize_role(role: str | None) -> str | None:
    """A role as a short noun phrase: no leading article or age, no relative clause or second apposition."""
    if not role:
        return None
    role = _SPACE_RE.sub(" ", role).strip(" ,")
    role = _ROLE_CUT_RE.sub("", role)
    role = _ROLE_LEAD_RE.sub("", role).strip(" ,")
    if not role or not _LETTER_RE.search(role) or len(role.split()) > 14:
        return None
    if role.split()[0].lower() in ("who", "which", "whose", "adding", "according", "in", "on", "at", "speaking"):
        return None
    return role


def _clean_name(name: str) -> str:
    name = _SPACE_RE.sub(" ", name).strip(" ,")
    if name.endswith("’s") or name.endswith("'s"):
        name = name[:-2]
    return name


# --------------------------------------------------------------------------------------------------------------------
# The extractor


class _Extractor:
    def __init__(self, text: str) -> None:
        self.text = text
        self.warnings: list[str] = []
        self.paras = _paragraphs(text)
        self.persons: list[tuple[int, _Person]] = []  # (position, person) of each person mention, in order
        self.by_last: dict[str, _Person] = {}
        self._sentences: dict[int, list[tuple[int, int]]] = {}  # sentences of a paragraph, computed on demand
        self._abbrev_ends: dict[int, bool] = {}  # _is_abbrev_end per period offset
        self._ctx_starts: dict[tuple[int, int], int] = {}  # _ctx_start per (opening mark, lower bound)
        self._title_ends: list[int] = []  # offsets after the closing mark of each title ("NBC's "Today"")
        self._close_ends: set[int] = set()  # offsets after the closing mark of each quotation or title
        self._index_people()

    # ---- people -----------------------------------------------------------------------------------------------

    def _index_people(self) -> None:
        """Index person mentions: full names (with any title before them and apposition after them, kept as the
        person's role and gender hints), then surname-only mentions of people already named."""
        text = self.text
        for m in _PERSON_RE.finditer(text):
            words = m.group().split()
            start = m.start()
            while words and words[0] in _NAME_STOP:
                start = text.index(words[0], start) + len(words[0])
                words = words[1:]
            titles, words = _split_title(words)
            if len(words) < 2 or not _ORG_OR_TITLE_WORDS.isdisjoint(words):
                if len(words) == 1 and words[0] in self.by_last:
                    self.persons.append((m.start(), self.by_last[words[0]]))
                continue
            if not words[0][:1].isupper():
                continue
            name = _clean_name(" ".join(words))
            role = " ".join(t for t in titles if t not in _HONORIFICS) or None
            if role is None:
                before = text[max(0, start - 60) : start].split("\n")[-1]
                role = _pre_role(before.split())
            if role is None:
                am = _APPOS_AFTER_RE.match(text, m.end())
                if am and _role_like(am.group(1)):
                    role = am.group(1)
            # (mentions come in text order here, so the person list stays sorted by appending)
            self._register(name, m.start(), _normalize_role(role), titles, append=True)
        # Surname-only mentions ("Orlov said") of people named in full earlier: each known surname looked up with
        # ``str.find`` (much faster than reading every capitalised word); an occurrence counts when it is a whole
        # name word (no word character, apostrophe or hyphen before it, and the word does not go on after it).
        found = []
        known = {last: p for last, p in self.by_last.items() if _NAMEWORD_RE.fullmatch(last) is not None}
        if len(known) > _FIND_MAX_SURNAMES:
            # many people (a long transcript): one pass of a pattern of all the surnames, not one pass per surname
            pattern = re.compile(r"(?<![\w’'-])(?:%s)(?![^\W\d_]|[-’'][^\W\d_])"
                                 % "|".join(map(re.escape, sorted(known, key=len, reverse=True))))
            found = [(m.start(), known[m.group()]) for m in pattern.finditer(text)]
        else:
            for last, p in known.items():
                n = len(last)
                k = text.find(last)
                while k >= 0:
                    before = text[k - 1] if k > 0 else " "
                    if not (before.isalnum() or before in "_’'-") and not _NAMEWORD_GOES_ON_RE.match(text, k + n):
                        found.append((k, p))
                    k = text.find(last, k + 1)
            found.sort(key=lambda x: x[0])
        self.persons.extend(found)
        self.persons.sort(key=lambda x: x[0])

    def _register(self, name: str, pos: int, role: str | None, titles: list[str] | None = None,
                  append: bool = False) -> _Person:
        words = name.split()
        if len(words) > 1 and words[-1].rstrip(".") in ("Jr", "Sr"):
            words = words[:-1]
        last = words[-1].rstrip(".,") if words else name
        person = self.by_last.get(last)
        if person is None:
            person = _Person(name, role)
            self.by_last[last] = person
        else:
            if len(words) >= 2 and len(name) > len(person.name) and not words[0] in _TITLE_WORDS:
                person.name = name
            if role and not person.role:
                person.role = role
        if person.gender is None:
            person.gender = _gender(words, titles or [], role)
        if append:
            self.persons.append((pos, person))
        else:
            bisect.insort(self.persons, (pos, person), key=lambda x: x[0])
        return person

    def _resolve(self, s: int, e: int, role: str | None) -> tuple[str | None, str | None]:
        """The full name and role for the mention ``text[s:e]``."""
        mention = _clean_name(self.text[s:e])
        low = mention.lower()
        if low == "who":
            # A relative pronoun: the person named right before it ("said Beck, who said ...").
            person = self._most_recent_person(s)
            return (person.name, person.role) if person is not None else (mention, None)
        if low in _PRONOUNS:
            if low in ("it", "you", "they", "we"):
                return mention, None
            if low == "i":
                return mention, None
            person = self._most_recent_person(s, "m" if low == "he" else "f" if low == "she" else None)
            if person is None:
                return mention, None
            return person.name, person.role
        words = mention.split()
        if words and words[0][:1].isupper() and words[0].lower() not in _DETERMINERS:
            titles, words = _split_title(words)
            if titles and not role:
                role = " ".join(t for t in titles if t not in _HONORIFICS) or None
            name = " ".join(words)
            person = self._register(name, s, role)
            return person.name, role or person.role
        # A common-noun phrase: "the minister" -> the most recent person with that role word, if any.
        head = words[-1].lower() if words else ""
        if words and words[0].lower() in ("the", "this") and len(words) <= 4:
            for _, p in reversed(self._people_before(s)):
                if p.role and head in p.role.lower():
                    return p.name, p.role
        return mention, role

    def _people_before(self, pos: int) -> list[tuple[int, _Person]]:
        return [x for x in self.persons if x[0] < pos]

    def _most_recent_person(self, pos: int, gender: str | None = None) -> _Person | None:
        """The person mentioned last before ``pos``, agreeing in gender when it is known."""
        best = unknown = None
        for p_pos, person in self.persons:
            if p_pos >= pos:
                break
            if gender is None or person.gender == gender:
                best = person
            elif person.gender is None:
                unknown = person
        return best or unknown

    # ---- attribution of quotations ----------------------------------------------------------------------------

    def _attr(self, cue: str, s: int, e: int, role: str | None, end: int = -1) -> _Attr | None:
        if e <= s:
            return None
        # Role from an appositive or title; the person registry keeps it for later mentions.
        role = _normalize_role(role)
        name, prole = self._resolve(s, e, role)
        return _Attr(name, s, e, role or prole, cue.lower() if cue else cue, end)

    def _with_appos(self, ment: tuple[int, int, str | None], m: re.Match, base: int) -> tuple[int, int, str | None]:
        """Apply an apposition (group ``app`` of ``m``): "Smith, the mayor, said" gives the role; "Its spokesman,
        Uwe Rehberg, said" gives the name, the noun phrase becoming the role."""
        if not m.group("app"):
            return ment
        a_s, a_e = base + m.start("app"), base + m.end("app")
        app = self.text[a_s:a_e]
        head = self.text[ment[0] : ment[1]]
        head_is_name = head[:1].isupper() and head.split()[0].lower() not in _DETERMINERS
        if not head_is_name and head.lower() not in _PRONOUNS:
            inner = _mention_from_chunk(self.text, a_s, a_e, from_end=True)
            if inner is not None and self.text[inner[0]].isupper():
                role = inner[2] or _normalize_role(head)
                return inner[0], inner[1], role
        return ment[0], ment[1], app.strip(" ,") if _role_like(app.strip(" ,")) else ment[2]

    def _after(self, sp: _Span, limit: int) -> _Attr | None:
        """Attribution after the closing mark: ``, said S`` / ``, S said`` / ``, according to S``."""
        text = self.text
        a0 = sp.close_end
        seg = text[a0:limit]
        m = _AFTER_DASH_RE.match(text, a0, self.paras[sp.para][1] if sp.close_end <= self.paras[sp.para][1] else len(text))
        if m:
            return self._attr("―", m.start("spk"), m.end("spk"), None, m.end())
        if not seg or seg[:1] not in " ,\u00a0—":
            if not (seg[:1] == "," or seg[:2].strip() == ""):
                return None
        m = _AFTER_ACC_RE.match(seg)
        if m:
            return self._attr(m.group("verb"), a0 + m.start("spk"), a0 + m.end("spk"), None, limit)
        m = _AFTER_INV_RE.match(seg)
        if m:
            cs, ce = a0 + m.start("spk"), a0 + m.end("spk")
            ment = _mention_from_chunk(text, cs, ce, from_end=False)
            if ment is not None:
                role = ment[2]
                # "said Weaver, the campaign manager." : role after the comma, up to the sentence end.
                rest = text[ce : limit]
                rm = re.match(r"\s*,\s*([^.;:!?\"“”]{2,160}?)\s*(?:[.;!?]|$)", rest)
                if rm and role is None and not rm.group(1).split()[0].lower() in ("adding", "who", "according"):
                    role = rm.group(1)
                return self._attr(m.group("verb"), ment[0], ment[1], role, limit)
        m = _AFTER_SV_RE.match(seg)
        if m and text[sp.start : sp.end].rstrip().endswith(".") and not seg.lstrip().startswith((",", "—")):
            m = None  # ""... is broken." Democratic candidates agreed": a new sentence, not "Q," S said
        if (m and text[sp.start : sp.end].rstrip().endswith(("?", "!"))
                and (re.match(r"[ \t\u00a0]*[,:][ \t\u00a0]*(?:''|[\"“„«])[ \t\u00a0]*[A-Z]", text[a0 + m.end() : a0 + m.end() + 8])
                     or re.match(r"\s+(?:[\w’'-]+\s+){0,3}that\b[^.!?]*?(?:''|[\"“„«])", text[a0 + m.end() : self.paras[sp.para][1]]))):
            # ""Why now?" Mills then writes back, "You look cute."", ""... run!" She replied to him that it was an
            # "honor ..."": the verb introduces the next quotation or a reported clause holding one
            m = None
        if m:
            cs, ce = a0 + m.start("spk"), a0 + m.end("spk")
            ment = _mention_from_chunk(text, cs, ce, from_end=True)
            if ment is None and text[cs:ce].strip().lower() == "it" and m.group("verb") in ("read", "reads"):
                # ""I am still Sanders," it read.": a sign or a message.
                ment = (*_trim(text, cs, ce), None)
            if ment is not None and text[ment[0] : ment[1]].lower() in _PRONOUNS and _WORD_RE.search(text, cs, ment[0]):
                ment = None  # "... "Q" every time he thinks about it": a clause, not an attribution
            if ment is not None:
                ment = self._with_appos(ment, m, a0)
                return self._attr(m.group("verb"), ment[0], ment[1], ment[2], limit)
        if text[sp.start : sp.end].rstrip()[-1:] in (",", "?", "!"):
            # ""Q," an angry Hollande retaliated.": a mention and a verb outside the cue list closing the sentence
            # right after a quotation that ends with a comma are its attribution; not a subordinate clause ("as his
            # father dreamed"), and before a comma only a pronoun ("he demanded, as ..."; not "He answered, "Q2"",
            # nor the noun phrase "the bespectacled, 71-year-old diplomat").
            m = _AFTER_ANY_VERB_RE.match(seg)
            if m:
                cs, ce = a0 + m.start("spk"), a0 + m.end("spk")
                ment = _mention_from_chunk(text, cs, ce, from_end=True)
                words = text[cs:ce].lower().split()
                ok = ment is not None and not any(w in _CLAUSE_WORDS for w in words) and words[0] not in _LEAD_SKIP
                if ok and m.group("comma"):
                    ok = (len(words) == 1 and words[0] in _PERSONAL_PRONOUNS
                          and not re.match(r"\s*(?:''|[\"“„«])", text[a0 + m.end() : a0 + m.end() + 4]))
                if ok:
                    return self._attr(m.group("verb"), ment[0], ment[1], ment[2], limit)
        return None

    def _before(self, sp: _Span, ctx_start: int) -> tuple[_Attr | None, bool, int]:
        """Attribution before the opening mark. Returns (attr, mixed, clause start): ``mixed`` when the quotation
        continues a reported clause begun after the cue ("S said the plan was "a disaster""), which then starts
        at the clause start (after the cue and a "that" following it), else -1."""
        text = self.text
        ctx = text[ctx_start : sp.open_pos]
        if not ctx.strip():
            return None, False, -1
        m = _BEFORE_ACC_RE.search(ctx)
        if m:
            return self._attr(m.group("verb"), ctx_start + m.start("spk"), ctx_start + m.end("spk"), None), False, -1
        m = _BEFORE_VERB_RE.match(ctx)
        if m:
            # "While not everything Trump says is true, Jamieson said Trump is "Q"": the last cue verb with a
            # subject of its own is the cue, not the first.
            last = None
            for vm in _VERB_ANY_RE.finditer(ctx, m.end("verb")):
                last = vm
            if last is not None:
                k = self._subject_start(ctx_start, ctx_start + last.start()) - ctx_start
                if k > m.start("verb") and ctx[k : last.start()].strip():
                    m2 = _BEFORE_VERB_RE.match(ctx, k)
                    if m2 is not None and m2.start("verb") == last.start():
                        hs, he = ctx_start + m2.start("head"), ctx_start + m2.end("head")
                        # ""Q1," said Beck, who said there were "Q2"": the relative pronoun is the subject.
                        if self._subject(hs, he) is not None or _WHO_RE.fullmatch(text, hs, he):
                            m = m2
            tail = m.group("tail")
            tail_words = len(_WORD_RE.findall(tail))
            starts_lower = text[sp.start : sp.start + 1].islower()
            open_tail = not tail.rstrip().endswith((",", ":", "—", "-"))
            mixed = open_tail and (tail_words >= 3 or (starts_lower and tail.strip() not in ("", "that")))
            if (starts_lower and tail_words >= 3 and tail.rstrip().endswith(",")
                    and m.group("verb").lower() not in ("told", "tells", "telling", "tell")
                    and text[ctx_start - 1 : ctx_start] not in ("\"", "”", "»", "'")):
                # "She also said the turmoil was not the fault of banks, "not by a long shot."": a lowercase quotation
                # after a comma goes on the reported clause (not the second half of a split quotation, nor the
                # quotation after "told <the people addressed>,").
                mixed = True
            if (mixed and text[sp.start : sp.start + 1].isupper() and text[sp.start : sp.end].rstrip().endswith(("?", "!", "."))
                    and sum(w[:1].islower() and w not in _TITLE_SMALL for w in _WORD_RE.findall(text, sp.start, sp.end)) >= 2
                    and not re.search(r"\b(?:that|if|whether|how|what|why|when|who|where|is|are|was|were|be|been|has|have|had|would|will)\b", tail)):
                # "Smith asked the Cleveland crowd "If ... why should we give her the presidency?"": a capitalised sentence
                # (not a title: two lowercase words at least) after the verb's object or an adverbial, with no verb or
                # conjunction in between, is a direct quotation, not the end of a reported clause.
                mixed = False
            if tail.rstrip().endswith(".") and text[sp.start : sp.start + 1].isupper():
                # ""Q1," Sanders said at a rally in Binghamton, N.Y. "Q2."": an abbreviation ends the sentence
                # before a capitalised quotation, which is no part of a reported clause.
                mixed = False
            head_end = ctx_start + (m.start("app") if m.group("app") else m.end("head"))
            head_start = ctx_start + m.start("head")
            verb = m.group("verb")
            verb_end = m.end("verb")
            pm = _TAIL_PARTICIPLE_RE.search(tail)
            if pm is not None:
                # ""Q1," Trump said before adding: "Q2"": the participle is the cue of this quotation.
                verb = pm.group(1)
                verb_end = m.start("tail") + pm.end(1)
            # The reported clause starts after the cue, and after a "that" close behind it ("told CNN on Tuesday
            # that ..."); a that-clause holds the quotation even across a comma or colon ("adding that if the GOP
            # loses, "Q"", "He adds that Muslims have two choices: "Q"").
            for vm in _PARTIAL_CUE_RE.finditer(ctx, verb_end):
                # "quoted the president as saying "Q"", "went on to say, "Q"", "blasted X at a rally, calling her
                # "Q"": after the last cue or label verb (not a noun after a possessive or a determiner:
                # "told CNN that Ginsburg's comments "Q"", "his remarks").
                pw = _PREV_WORD_RE.search(ctx, max(0, vm.start() - 64), vm.start())  # bounded: no n^2 on long words
                if pw is not None and (pw.group(1).lower() in _NOUN_DETERMINERS or pw.group(1).endswith(("'s", "’s"))):
                    continue
                verb_end = vm.end()
            tm = _THAT_LEAD_RE.match(ctx, verb_end)
            clause_start = tm.end() if tm else _SKIP_PUNCT_RE.match(ctx, verb_end).end()
            if (tm and starts_lower and tail.rstrip().endswith(",") and len(_WORD_RE.findall(ctx, clause_start)) >= 3
                    and not _VERB_ANY_RE.search(ctx, clause_start)):
                mixed = True
            tom = re.search(r"\bto[ \u00a0]*\Z", ctx) if mixed and starts_lower else None
            if tom is not None and tom.start() >= clause_start:
                # "urged the dockers to "give it time"": after the verb's object, the complement starts at "to"
                # (not after a clause: "said he wanted to "Q"").
                obj = ctx[clause_start : tom.start()].split()
                if not obj or (len(obj) <= 3 and (obj[0][:1].isupper() or obj[0].lower() in _OBJECT_LEADS)
                               and not any(w.lower() in _CLAUSE_WORDS for w in obj)):
                    clause_start = tom.start()
            if mixed and tm is None:
                # "promised Sunday at a Las Vegas rally to end "Q"", "said Tuesday night the plan was "Q"": times and
                # places right after the verb are no part of the reported clause (unless the phrase goes on: "in an
                # interview with CNN", "earlier in the night").
                k = clause_start
                while (am2 := _CLAUSE_ADVERBIAL_RE.match(ctx, k)) is not None and ctx[am2.end() :].strip():
                    k = am2.end()
                nxt = ctx[k:].split(None, 1)[0].lower() if ctx[k:].strip() else ""
                if k > clause_start and nxt[:1].isalpha() and (
                        nxt == "to" or nxt not in _CLAUSE_PREPS and nxt not in ("with", "of", "and", "but")):
                    clause_start = k
            clause_start = ctx_start + clause_start if mixed else -1
            ment = self._subject(head_start, head_end)
            wm = _WHO_RE.fullmatch(text, self._subject_start(head_start, head_end), head_end) if ment is None else None
            if wm is not None:
                ment = (wm.start(1), wm.end(1), None)
            if m.group("app") and text[head_start:head_end].split(" ", 1)[0] in _OPENING_PREPS:
                # "During a speech on Monday, Trump attacked Clinton, saying "Q"": the opening phrase is no subject;
                # the participle's subject is the subject of the clause after it.
                a_s = ctx_start + m.start("app") + 1
                sm = _SENT_SUBJECT_RE.match(text, a_s, ctx_start + m.end("app"))
                inner = _mention_from_chunk(text, sm.start(1), sm.end(1), from_end=True) if sm else None
                if inner is not None:
                    return self._attr(verb, inner[0], inner[1], inner[2]), mixed, clause_start
            if ment is not None:
                ment = self._with_appos(ment, m, ctx_start)
                return self._attr(verb, ment[0], ment[1], ment[2]), mixed, clause_start
            # No subject right before the verb: a relative clause or a verb phrase stands between ("Trump, who is
            # battling Carson, has picked up on the criticism, telling ABC that ..."), or the context starts after an
            # earlier quotation of the sentence (""Q1," and then tweeted that she was "Q2""): the verb's subject is
            # the sentence's subject, as for a participle.
            fs = self._ctx_start(sp, self.paras[sp.para][0])
            he = ctx_start + m.start("verb")
            am = _AUX_END_RE.search(text, fs, he)
            if am:
                he = am.start()
            ment = self._subject(fs, he) if he > fs else None
            if ment is not None and text[ment[0] : ment[1]].lower() != "who":
                return self._attr(verb, ment[0], ment[1], ment[2]), mixed, clause_start
        m = _BEFORE_COLON_RE.search(ctx) if ctx.rstrip().endswith(":") else None  # (the pattern ends with ":")
        if m:
            cs, ce = ctx_start + m.start("spk"), ctx_start + m.end("spk")
            ment = _mention_from_chunk(text, cs, ce, from_end=True)
            if ment is not None and (text[ment[0]].isupper() or text[ment[0]:ment[1]].lower() in _PRONOUNS
                                     or text[ment[0]:ment[1]].split()[0].lower() in _DETERMINERS):
                role = m.group("role") or ment[2]
                head = text[ment[0] : ment[1]]
                if m.group("role") and head.split()[0].lower() in _DETERMINERS:
                    # "Its chief executive, Richard Hale, was blunt: "Q"": the name is in the apposition.
                    rs = ctx_start + m.start("role")
                    first = m.group("role").split(",")[0]
                    inner = _mention_from_chunk(text, rs, rs + len(first), from_end=True)
                    if inner is not None and text[inner[0]].isupper():
                        return self._attr(":", inner[0], inner[1], _normalize_role(head)), False, -1
                return self._attr(":", ment[0], ment[1], role), False, -1
        return None, False, -1

    def _abbrev(self, dot: int) -> bool:
        """:func:`_is_abbrev_end` for this text, computed once per period."""
        r = self._abbrev_ends.get(dot)
        if r is None:
            r = self._abbrev_ends[dot] = _is_abbrev_end(self.text, dot)
        return r

    def _ctx_start(self, sp: _Span, prev_end: int) -> int:
        """Start of the text before a quotation that may hold its cue: the sentence start, at most back to the
        previous quotation and the paragraph start (computed once per quotation and bound)."""
        ps = self.paras[sp.para][0]
        lo = max(ps, prev_end)
        key = (sp.open_pos, lo)
        r = self._ctx_starts.get(key)
        if r is None:
            r = self._ctx_starts[key] = self._ctx_start_uncached(sp, lo)
        return r

    def _ctx_start_uncached(self, sp: _Span, lo: int) -> int:
        if sp.open_pos <= lo:
            return sp.open_pos
        chunk = self.text[lo : sp.open_pos]
        best = lo
        for m in _BOUNDARY_RE.finditer(chunk):
            dot = lo + m.start()
            # A period after an abbreviation or an initial ("U.S. approach", "Lisa M. Madigan") ends no sentence.
            if self.text[dot] == "." and self._abbrev(dot):
                continue
            if self.text[dot : dot + 2] == ".)" and "(" in self.text[max(lo, dot - 12) : dot]:
                continue  # a party tag: "Harry M. Reid (D-Nev.) told reporters"
            best = lo + m.end()
        return best

    def _after_limit(self, sp: _Span, next_open: int) -> int:
        pe = self.paras[sp.para][1]
        if sp.close_end > pe:  # a multi-paragraph quotation: the closing mark is in a later paragraph
            for ps, pe2 in self.paras:
                if ps <= sp.close_end <= pe2:
                    pe = pe2
                    break
        lim = min(pe, next_open) if next_open > sp.close_end else pe
        e = _first_sentence_end(self.text, sp.close_end, lim, self._abbrev)
        return lim if e is None else e

    # ---- main passes ------------------------------------------------------------------------------------------

    def run(self) -> list[Quote]:
        text = self.text
        all_spans = _scan_marks(text, self.paras, self.warnings)
        # Titles of shows, books and articles ("told NBC's "Today"", "her memoir, "Tough Choices."") are no
        # quotations, and the quotation after them may still continue the run of the one before.
        spans = []
        self._close_ends = {sp.close_end for sp in all_spans if sp.closed}
        for sp in all_spans:
            if self._is_title(sp):
                self._title_ends.append(sp.close_end)
            else:
                spans.append(sp)
        quotes: list[Quote] = []
        attrs: list[_Attr | None] = []
        kept: list[_Span] = []
        prev_end = 0
        skip_to = -1  # spans up to this index lie inside a reported clause already kept
        for k, sp in enumerate(spans):
            if k <= skip_to:
                continue
            next_open = spans[k + 1].open_pos if k + 1 < len(spans) else len(text)
            limit = self._after_limit(sp, next_open)
            attr = self._after(sp, limit) if sp.closed else None
            mixed = False
            cs = self._ctx_start(sp, prev_end)
            clause_start = -1
            if attr is None:
                attr, mixed, clause_start = self._before(sp, cs)
            else:
                # "Clinton would have to "go more to center," Cuban said": the quotation ends a reported clause.
                before = text[cs : sp.open_pos].rstrip()
                if len(_WORD_RE.findall(before)) >= 3 and not before.endswith((",", ":", "—", "-", ";", "(", "[")):
                    mixed, clause_start = True, cs
            content = text[sp.start : sp.end]
            no_words = _WORD_RE.search(content) is None
            prev_end = max(prev_end, sp.close_end)
            if attr is None and sp.closed:
                # ""We don't teach anything" against homosexuality in the mosque, he said.": the quotation sits in
                # a clause whose attribution ends the sentence.
                tr = self._trailing_clause(sp, spans, k)
                if tr is not None:
                    q, last = tr
                    inside = sum(len(_LETTER_RE.findall(text, x.start, x.end)) for x in spans[k : last + 1])
                    total = len(_LETTER_RE.findall(text, q.quote_start, q.quote_end)) or 1
                    kept.append(_Span(q.quote_start, q.quote_end, sp.open_pos, spans[last].close_end, sp.para,
                                      sp.closed, inside / total < 0.8))
                    attrs.append(_Attr(q.speaker, q.speaker_start, q.speaker_end, q.role, q.cue))
                    skip_to = last
                    prev_end = max(prev_end, spans[last].close_end)
                    continue
            if attr is None:
                if no_words:
                    continue
                kept.append(sp)
                attrs.append(None)
                continue
            ext, last = sp.close_end, k
            if sp.closed and attr.s_start is not None and attr.s_start < sp.open_pos:
                # "Tyler said, "We have three weeks to go" until the Iowa caucuses": the sentence goes on after the
                # closing mark, so the quotation is part of a reported clause that runs to the sentence end (other
                # quotations in it included: "he's "looking forward to it" because "these are matches you play for."").
                ext, last = self._clause_end(sp, spans, k)
            if mixed or ext > sp.close_end:
                # The quotation is part of a reported clause ("S said the plan was "a disaster""): report the clause,
                # direct when most of it is quoted (PolNeAR's rule: 80% of its letters).
                m_start = clause_start if clause_start >= 0 else sp.open_pos
                m_end = max(ext, sp.close_end)  # the closing mark of a last quotation is part of the clause
                inside = sum(len(_LETTER_RE.findall(text, x.start, x.end)) for x in spans[k : last + 1])
                total = len(_LETTER_RE.findall(text, m_start, m_end)) or 1
                kept.append(_Span(m_start, m_end, sp.open_pos, max(sp.close_end, spans[last].close_end), sp.para,
                                  sp.closed, inside / total < 0.8))
                attrs.append(attr)
                skip_to = last
                prev_end = max(prev_end, spans[last].close_end)
                continue
            if no_words:
                continue
            kept.append(sp)
            attrs.append(attr)
        # Runs: a quotation with no cue of its own takes the speaker of its neighbour in the same run.
        for i in range(len(kept)):
            if attrs[i] is not None:
                continue
            if i > 0 and attrs[i - 1] is not None and self._same_run(kept[i - 1], attrs[i - 1], kept[i]):
                prev = attrs[i - 1]
                # "Q1," Trump said, adding a plug for himself. "Q2." : Q2's cue is the participle.
                pm = _PARTICIPLE_CUE_RE.search(self.text, kept[i - 1].close_end, max(prev.end, kept[i - 1].close_end))
                if pm is not None:
                    prev = _Attr(prev.speaker, prev.s_start, prev.s_end, prev.role, pm.group(1), prev.end)
                attrs[i] = prev
        for i in range(len(kept) - 1, -1, -1):
            if attrs[i] is None and i + 1 < len(kept) and attrs[i + 1] is not None:
                if self._gap_empty(kept[i].close_end, kept[i + 1].open_pos) and kept[i].para == kept[i + 1].para:
                    attrs[i] = attrs[i + 1]
        # A quotation still without a cue takes the attribution of the sentence before it in its paragraph
        # (Clinton spoke to reporters on Tuesday. "Q.") or of a paragraph ending with a colon.
        for i in range(len(kept)):
            if attrs[i] is None:
                lo = kept[i - 1].close_end if i > 0 else 0
                attrs[i] = self._partial_attr(kept[i])
                # Only a quotation that is its whole sentence is one of the sentence before: not "Many dockers see
                # the plan as "Q."" after "Orlov said ...".
                sent_start = self._ctx_start(kept[i], self.paras[kept[i].para][0])
                if attrs[i] is None and not _WORD_RE.search(self.text, sent_start, kept[i].open_pos):
                    attrs[i] = self._prior_attr(kept[i], lo)
                if attrs[i] is None and i > 0 and attrs[i - 1] is not None and kept[i].para == kept[i - 1].para + 1:
                    if self.text[lo:kept[i].open_pos].strip() == "":
                        attrs[i] = attrs[i - 1]
        for sp, attr in zip(kept, attrs):
            content = text[sp.start : sp.end]
            indirect = sp.indirect
            sc = self._small_clause(sp)
            if sc is not None:
                # "He called it "shameful"": the object and its quoted predicate are the reported claim (the
                # attribution found for the quotation stands: "He went on to call Cruz "Q""). It is direct however
                # long the object: the quoted words are the name given verbatim, the object is what is named
                # ("branded North Korea an "outlaw nation"").
                obj_start, sc_attr = sc
                sc_attr = attr or sc_attr
                quotes.append(Quote(text[obj_start : sp.close_end], obj_start, sp.close_end, sc_attr.speaker,
                                    sc_attr.s_start, sc_attr.s_end, sc_attr.role, sc_attr.cue, True, sp.para))
                continue
            if not indirect and self._is_fragment(content):
                continue
            if attr is None:
                lm = _LABEL_IN_QUOTE_RE.match(text, sp.start)
                if lm is not None:
                    attr = self._attr(":", lm.start("spk"), lm.end("spk"), None)
            if attr is None:
                # "who Beck on Wednesday called "a horrible, despicable human being."": the cue is in the sentence.
                attr = self._partial_attr(sp)
            if attr is None and self._after_colon(sp):
                attr = self._colon_attr(sp)
            if attr is None:
                if not self._looks_like_speech(content):
                    continue
                # No cue anywhere: the speaker is a guess, the person named last before the quotation in its
                # paragraph or the one before (cue stays None, no mention offsets).
                guess = self._nearby_person(sp)
                quotes.append(Quote(content, sp.start, sp.end, guess.name if guess else None,
                                    None, None, guess.role if guess else None, None, True, sp.para))
            else:
                if not indirect and not sp.closed and attr.cue is None:
                    continue
                quotes.append(
                    Quote(content, sp.start, sp.end, attr.speaker, attr.s_start, attr.s_end, attr.role, attr.cue,
                          not indirect, sp.para)
                )
        quotes.extend(self._indirect(spans))
        quotes.sort(key=lambda q: (q.quote_start, q.quote_end))
        return quotes

    def _small_clause(self, sp: _Span) -> tuple[int, _Attr] | None:
        """A quotation that predicates something of the object of a naming verb ("He called it "shameful"",
        "calling her "the champion working families need""): the start of the object and the attribution (the
        verb's subject), when the quotation ends its clause; else None."""
        text = self.text
        if not sp.closed or sp.indirect or text[sp.open_pos : sp.start].strip("\"“”„«»‹›' \u00a0") != "":
            return None
        lo = max(self.paras[sp.para][0], sp.open_pos - 60)
        m = _SMALL_CLAUSE_RE.search(text, lo, sp.open_pos)
        if m is None:
            # "pledging to "bomb the hell out of ISIS."", "urging them to "give him time."": the infinitive marker
            # belongs to the quoted complement of a cue verb.
            if not text[sp.start : sp.start + 1].islower() or not text[lo : sp.open_pos].rstrip().endswith("to"):
                return None
            m = _TO_COMPLEMENT_RE.search(text, lo, sp.open_pos)
            if m is None:
                return None
        attr = self._partial_attr(sp)
        if attr is None or attr.cue != m.group("verb").lower():
            return None
        return m.start("obj"), attr

    def _after_colon(self, sp: _Span) -> bool:
        """Whether a colon (in the quotation's paragraph) stands right before the opening mark."""
        k = sp.open_pos
        ps = self.paras[sp.para][0]
        while k > ps and self.text[k - 1] in " \t\u00a0":
            k -= 1
        return k > ps and self.text[k - 1] == ":"

    def _colon_attr(self, sp: _Span) -> _Attr | None:
        """The speaker of a quotation announced by a colon after a clause ("Trump leaned in and boomed: "Q"",
        "he demurred: "Q""): the subject of the sentence, else the person named last before it."""
        text = self.text
        cs = self._ctx_start(sp, self.paras[sp.para][0])
        colon = text.rindex(":", cs, sp.open_pos)
        # The subject of the clause before the colon ("Asked ..., he demurred:"), else of the sentence ("Trump
        # gestured ..., then leaned in and boomed:"); a capitalised word counts only when it names a known person.
        ment = None
        for k in (text.rfind(", ", cs, colon) + 2, cs):
            sm = _SENT_SUBJECT_RE.match(text, max(k, cs), colon)
            if sm is None:
                continue
            m = _mention_from_chunk(text, sm.start(1), sm.end(1), from_end=True)
            if m is not None:
                w = text[m[0] : m[1]]
                if w.lower() in _PERSONAL_PRONOUNS or w.split()[-1] in self.by_last:
                    ment = m
                    break
        if ment is not None:
            return self._attr(":", ment[0], ment[1], ment[2])
        guess = self._nearby_person(sp)
        return _Attr(guess.name if guess else None, None, None, guess.role if guess else None, ":", -1)

    def _nearby_person(self, sp: _Span) -> _Person | None:
        """The person mentioned last before the opening mark, in the quotation's paragraph or the one before."""
        lo = self.paras[max(0, sp.para - 1)][0]
        k = bisect.bisect_left(self.persons, sp.open_pos, key=lambda x: x[0])
        if k > 0 and self.persons[k - 1][0] >= lo:
            return self.persons[k - 1][1]
        return None

    def _partial_attr(self, sp: _Span) -> _Attr | None:
        """The cue and speaker of a quotation that has no attribution of its own form, from its own sentence: the
        last cue verb before the opening mark, at most three words before it, the quotation ending its clause
        ("Beck called Bannon "a horrible human being."", "the crowd kept chanting "Lock her up!""), else None."""
        text = self.text
        cs = self._ctx_start(sp, self.paras[sp.para][0])
        last = None
        for m in _PARTIAL_CUE_RE.finditer(text, cs, sp.open_pos):
            last = m
        if last is None:
            return None
        # PolNeAR's direct quotation is mostly quoted: the quotation must be the whole complement of the cue (at
        # most a short object between them) and end its clause.
        if len(_WORD_RE.findall(text, last.end(), sp.open_pos)) > 3:
            return None
        after = text[sp.close_end : sp.close_end + 3]
        if after.strip() and not re.match(r"[\s,.;:!?)—–-]*(?:$|\n|[.;!?]|,|\s[—–-])", after):
            # ""calling them "corporate welfare." Rubio has ..."": a full stop inside the marks ends the clause
            # when a new sentence starts after them (the object, if any, a pronoun or a name: not "calling the plan
            # "Q."", where the plan's own label is quoted).
            obj = _WORD_RE.findall(text, last.end(), sp.open_pos)
            if not (text[sp.start : sp.end].rstrip().endswith((".", "!", "?")) and _NEW_SENTENCE_RE.match(text, sp.close_end)
                    and (not obj or obj[0].lower() not in _DETERMINERS)):
                return None
        he = last.start()
        am = _AUX_END_RE.search(text, cs, he)
        if am:
            he = am.start()
        ment = self._subject(cs, he)
        if ment is None:
            # The cue is there but its subject is not a mention we can read ("the prince called for ..., calling
            # him "Q""): the quotation stands, with the person named last before it as the speaker.
            guess = self._nearby_person(sp)
            return _Attr(guess.name if guess else None, None, None, guess.role if guess else None,
                         last.group().lower(), -1)
        return self._attr(last.group(), ment[0], ment[1], ment[2])

    def _prior_attr(self, sp: _Span, lo: int) -> _Attr | None:
        """The last "S <speech verb>" before an uncued quotation in its paragraph, or in the previous paragraph
        when that ends with a colon."""
        text = self.text
        ps, _ = self.paras[sp.para]
        start = max(ps, lo)
        if sp.open_pos - start < 3 and sp.para > 0:
            pps, ppe = self.paras[sp.para - 1]
            if text[ppe - 1 : ppe] == ":" and lo <= pps:
                start, end = pps, ppe
            else:
                return None
        else:
            end = sp.open_pos
        last = None
        for m in _VERB_ANY_RE.finditer(text, start, end):
            last = m
        if last is None:
            return None
        # The subject chunk: back to the previous sentence boundary or comma.
        he = last.start()
        am = _AUX_END_RE.search(text, start, he)
        if am:
            he = am.start()
        ment = self._subject(start, he)
        if ment is None:
            return None
        return self._attr(last.group(), ment[0], ment[1], ment[2])

    def _subject(self, start: int, end: int) -> tuple[int, int, str | None] | None:
        """The speaker mention of a verb whose subject ends at ``end``, the sentence starting at ``start``.

        "Silverman was joined by Al Franken and joked" and "Trump wrote, saying" take the sentence's subject."""
        text = self.text
        head = text[start:end].rstrip()
        if start + len(head) in self._close_ends and head.rstrip("\"”’»").endswith(","):
            # "Kerpen needled the CNN "reporter," saying", "Trump, on NBC's "Meet the Press," said": the quoted
            # words close a phrase after the subject.
            head = head.rstrip("\"”’»")
        if head.endswith((" and", " but", ",")) or not head:
            # "During a speech on Monday, Trump attacked Clinton, saying": the subject follows the opening phrase.
            fw = head.split(" ", 1)[0]
            if fw in _OPENING_PREPS:
                k = head.find(", ")
                if 0 < k < len(head) - 2:
                    start += k + 2
            m = _SENT_SUBJECT_RE.match(text, start, end)
            if m is None:
                return None
            return _mention_from_chunk(text, start + m.start(1) - start, start + m.end(1) - start, from_end=True)
        return _mention_from_chunk(text, self._subject_start(start, end), end, from_end=True)

    def _subject_start(self, start: int, end: int) -> int:
        """Where the subject before a verb at ``end`` begins: after the last sentence end, comma, semicolon or
        conjunction in ``text[start:end]``."""
        head = self.text[start:end]
        best = 0
        for sep in (". ", ", ", "; ", " and ", " but ", " as ", " when ", " where ", " while ", ": ", " — ", " after ",
                    " before ", " because ", " since ", " until ", " although ", " though "):
            k = head.rfind(sep)
            if k >= 0 and k + len(sep) > best:
                best = k + len(sep)
        # A title ("Speaking on ABC's "This Week," Sanders said") ends the phrase before the subject.
        i = bisect.bisect_right(self._title_ends, end) - 1
        if i >= 0 and self._title_ends[i] > start + best:
            best = self._title_ends[i] - start
        return start + best

    def _clause_end(self, sp: _Span, spans: list[_Span], k: int) -> tuple[int, int]:
        """End of the sentence a quotation sits in (final punctuation excluded) when the sentence goes on after
        the closing mark with a lowercase word, and the index of the last quotation inside it (other quotations
        of the sentence belong to the same reported clause unless a cue verb stands between them); else the
        closing mark's offset and ``k``."""
        text = self.text
        if _CLAUSE_GOES_ON_RE.match(text, sp.close_end) is None or text[sp.start : sp.end].rstrip()[-1:] in ".!?,;:":
            return sp.close_end, k
        pe = self.paras[sp.para][1]
        if sp.close_end > pe:
            return sp.close_end, k  # a multi-paragraph quotation: its clause is no sentence of one paragraph
        end = _first_sentence_end(text, sp.close_end, pe, self._abbrev)
        if end is None:
            end = pe
        j = k
        while j + 1 < len(spans) and spans[j + 1].open_pos < end:
            nxt = spans[j + 1]
            if not nxt.closed or nxt.close_end > end or _VERB_ANY_RE.search(text, spans[j].close_end, nxt.open_pos):
                return sp.close_end, k
            j += 1
        # Any other mark in the rest of the sentence (a stray or single one) makes the clause unclear.
        covered = [(x.open_pos, x.close_end) for x in spans[k + 1 : j + 1]]
        for mm in _MARK_RE.finditer(text, sp.close_end, end):
            if not any(a <= mm.start() < b for a, b in covered):
                return sp.close_end, k
        last = spans[j]
        if j > k and (text[last.start : last.end].rstrip()[-1:] in ".!?,;:"
                      or _CLAUSE_GOES_ON_RE.match(text, last.close_end) is None):
            return last.close_end, j  # the clause ends with its last quotation
        if _COORD_VERB_RE.search(text, last.close_end, end):
            # "declaring it "another super Tuesday" and said it was ...": a new verb phrase is no longer the clause.
            return (last.close_end, j) if j > k else (sp.close_end, k)
        while end > sp.close_end and text[end - 1] in ".!?;:\"”’) ":
            end -= 1
        tm = _TAIL_ATTR_RE.search(text, last.close_end, end)
        if tm is not None and self._tail_attribution(tm):
            end = tm.start()  # "..., according to the Times" / "..., she said": the attribution is no part of it
        return end, j

    def _tail_attribution(self, tm: re.Match) -> bool:
        """Whether a ``_TAIL_ATTR_RE`` match is an attribution: its speaker chunk is a mention from its first word
        (not "which he said", "in a finish that he said", "so clearly believed") without a verb of its own."""
        if tm.group("acc"):
            return True
        grp = "ispk" if tm.group("inv") else "spk"
        if grp == "spk" and tm.group("verb") in _WEAK_VERBS:
            return False
        cs, ce = _trim(self.text, tm.start(grp), tm.end(grp))
        if _VERB_ANY_RE.search(self.text, cs, ce):
            return False  # "John said none were added": a clause of its own
        ment = _mention_from_chunk(self.text, cs, ce, from_end=grp == "spk")
        return ment is not None and ment[0] == cs

    def _trailing_clause(self, sp: _Span, spans: list[_Span], k: int) -> tuple[Quote, int] | None:
        """The reported clause holding a quotation that its sentence goes on after, when the sentence ends with
        the attribution (``..., he said.``): the clause as an indirect-speech entry and the index of the last
        quotation inside it; else None."""
        text = self.text
        if _CLAUSE_GOES_ON_RE.match(text, sp.close_end) is None:
            return None
        pe = self.paras[sp.para][1]
        if sp.close_end > pe:
            return None  # a multi-paragraph quotation, as in _clause_end
        sents = self._para_sentences(sp.para)
        i = bisect.bisect_right(sents, (sp.open_pos, len(text))) - 1
        if i < 0 or not sents[i][0] <= sp.open_pos < sp.close_end <= sents[i][1]:
            return None
        ss, se = sents[i]
        if _IND_ANY_RE.search(text, sp.close_end, se) is None:
            return None
        sent = text[ss:se]
        for rx, from_end in ((_IND_TRAIL_INV_RE, False), (_IND_TRAIL_RE, True)):
            m = rx.match(sent)
            if m is None or m.group("verb") in _WEAK_VERBS or ss + m.end("clause") <= sp.close_end:
                continue
            q = self._ind_quote(ss, m, "spk", sp.para, from_end)
            if q is None:
                continue
            j = k
            while j + 1 < len(spans) and spans[j + 1].open_pos < q.quote_end:
                if not spans[j + 1].closed or spans[j + 1].close_end > ss + m.end("clause"):
                    return None
                j += 1
            return q, j
        return None

    def _para_sentences(self, pi: int) -> list[tuple[int, int]]:
        """The sentences of paragraph ``pi`` (:func:`_sentence_spans`), computed once."""
        sents = self._sentences.get(pi)
        if sents is None:
            sents = self._sentences[pi] = _sentence_spans(self.text, *self.paras[pi], self._abbrev)
        return sents

    def _gap_empty(self, a: int, b: int) -> bool:
        return not _LETTER_RE.search(self.text[a:b]) if b >= a else False

    def _same_run(self, prev: _Span, attr: _Attr, cur: _Span) -> bool:
        start = max(prev.close_end, attr.end)
        if cur.open_pos < start:
            return False
        gap = self.text[start : cur.open_pos]
        if _LETTER_RE.search(gap):
            return False
        return cur.para - prev.para <= 1 or "\n" not in gap

    def _looks_like_speech(self, content: str) -> bool:
        """Uncued quoted text is kept only when it is long (13 words or more, tuned on PolNeAR train; 12 before
        quotations inside a sentence stopped taking the speech verb of the sentence before): shorter uncued
        quotations are mostly titles, slogans and scare quotes."""
        words = _WORD_RE.findall(content)
        if len(words) < 13:
            return False
        return True

    def _is_title(self, sp: _Span) -> bool:
        """A short title-case quotation right after a possessive or a title noun ("ABC's "This Week"", "a book
        titled "Hard Choices"", "her memoir, "Tough Choices.""): the name of a work or a programme."""
        text = self.text
        if not sp.closed or sp.end - sp.start > 60:
            return False
        words = text[sp.start : sp.end].rstrip(",.!?").split()
        if not 1 <= len(words) <= 6 or not words[0][:1].isupper():
            return False
        if any(not (w[:1].isupper() or w[:1].isdigit() or w in _TITLE_SMALL) for w in words):
            return False
        return _TITLE_BEFORE_RE.search(text, max(0, sp.open_pos - 40), sp.open_pos) is not None

    def _is_fragment(self, content: str) -> bool:
        """A short quoted phrase (scare quotes, a name, a title): at most three words, and lowercase or without
        closing punctuation. The marks of a reported clause that is only its quotation are looked through."""
        words = _WORD_RE.findall(content)
        if len(words) > 3:
            return False
        c = _EDGE_MARKS_RE.sub("", content.strip())
        return not c or c[0].islower() or c[-1] not in ",.!?"

    # ---- indirect speech --------------------------------------------------------------------------------------

    def _indirect(self, spans: list[_Span]) -> list[Quote]:
        """Reported speech in sentences without quotation marks."""
        text = self.text
        self.cue_pos = [m.start() for m in _IND_ANY_RE.finditer(text)]
        marked = [(sp.open_pos, max(sp.close_end, sp.end)) for sp in spans]
        out: list[Quote] = []
        mi = 0
        cues = self.cue_pos
        for pi, (ps, pe) in enumerate(self.paras):
            k = bisect.bisect_left(cues, ps)
            if k >= len(cues) or cues[k] >= pe:
                continue  # no cue in the paragraph: no sentence of it holds reported speech
            for ss, se in self._para_sentences(pi):
                while mi < len(marked) and marked[mi][1] <= ss:
                    mi += 1
                if mi < len(marked) and marked[mi][0] < se:
                    continue  # the sentence holds a quotation mark: handled by the quotation pass
                q = self._indirect_sentence(ss, se, pi)
                if q is not None:
                    out.append(q)
        return out

    def _indirect_sentence(self, ss: int, se: int, pi: int) -> Quote | None:
        text = self.text
        k = bisect.bisect_left(self.cue_pos, ss)
        if k >= len(self.cue_pos) or self.cue_pos[k] >= se:
            return None  # no speech verb and no "according to": nothing to find (the common case, kept cheap)
        sent = text[ss:se]
        if "ccording to" in sent:
            m = _IND_ACC_FRONT_RE.match(sent)
            if m:
                return self._ind_quote(ss, m, "spk", pi, from_end=True, front_acc=True)
            m = _IND_ACC_BACK_RE.match(sent)
            if m:
                return self._ind_quote(ss, m, "spk", pi, from_end=True)
        m = _IND_TRAIL_INV_RE.match(sent)
        if m and m.group("verb") not in _WEAK_VERBS:
            q = self._ind_quote(ss, m, "spk", pi, from_end=False)
            if q is not None:
                return q
        # "Q, S said.": the verb is a cue word at most 40 characters (and final punctuation) before the end, so the
        # (slow) pattern is tried only when the last cue word of the sentence is that close.
        last_cue = self.cue_pos[bisect.bisect_left(self.cue_pos, se) - 1]
        m = _IND_TRAIL_RE.match(sent) if _tail_start(text, ss, se) - last_cue <= 40 + _IND_MAXLEN else None
        if m and m.group("verb") not in _WEAK_VERBS:
            q = self._ind_quote(ss, m, "spk", pi, from_end=True)
            if q is not None:
                return q
        m = _IND_THAT_RE.match(sent)
        if m and (m.group("that") or m.group("verb") in ("said", "says", "told", "tells", "added", "adds")):
            if m.group("verb") in _WEAK_VERBS and not m.group("that"):
                return None
            head_start, head_end = ss + m.start("head"), ss + (m.start("app") if m.group("app") else m.end("head"))
            ment = self._subject(head_start, head_end)
            if ment is None:
                return None
            cs, ce = _trim(text, ss + m.start("clause"), ss + m.end("clause"))
            ce = self._strip_final(cs, ce)
            first = text[cs : cs + 12].split(" ", 1)[0].lower()
            if not m.group("that") and (first in _CLAUSE_PREPS or first in _DETERMINERS and first != "the"):
                return None  # "said at a news conference", "said in a statement": no reported clause
            ment = self._with_appos(ment, m, ss)
            attr = self._attr(m.group("verb"), ment[0], ment[1], ment[2])
            if attr is None or ce <= cs:
                return None
            return Quote(text[cs:ce], cs, ce, attr.speaker, attr.s_start, attr.s_end, attr.role, attr.cue, False, pi)
        return None

    def _strip_final(self, cs: int, ce: int) -> int:
        while ce > cs and self.text[ce - 1] in ".!?,;: ":
            ce -= 1
        return ce

    def _ind_quote(self, ss: int, m: re.Match, grp: str, pi: int, from_end: bool, front_acc: bool = False
                   ) -> Quote | None:
        text = self.text
        s0, s1 = ss + m.start(grp), ss + m.end(grp)
        ment = _mention_from_chunk(text, s0, s1, from_end=from_end)
        if ment is None:
            return None
        if "app" in m.re.groupindex:
            ment = self._with_appos(ment, m, ss)
        role = ment[2]
        cs, ce = _trim(text, ss + m.start("clause"), ss + m.end("clause"))
        ce = self._strip_final(cs, ce)
        if ce <= cs:
            return None
        attr = self._attr(m.group("verb"), ment[0], ment[1], role)
        if attr is None:
            return None
        return Quote(text[cs:ce], cs, ce, attr.speaker, attr.s_start, attr.s_end, attr.role, attr.cue, False, pi)


def extract(text: str) -> QuoteExtraction:
    """Quotations of ``text`` in document order, with warnings for what could not be parsed cleanly.

    Never raises: on an internal error the result is empty and the error is recorded as a warning."""
    if not isinstance(text, str):
        return QuoteExtraction([], [f"expected a str, got {type(text).__name__}"])
    try:
        ex = _Extractor(text)
        quotes = ex.run()
        return QuoteExtraction(quotes, ex.warnings)
    except Exception as exc:  # noqa: BLE001 - best effort on arbitrary input, recorded instead of raised
        return QuoteExtraction([], [f"internal error ({type(exc).__name__}: {exc}); no quotations returned"])


def extract_quotes(text: str) -> list[Quote]:
    """Quotations of ``text`` in document order (see :func:`extract` for the warnings)."""
    return extract(text).quotes
