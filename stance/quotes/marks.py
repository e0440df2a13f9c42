"""The quotation-mark scanner: pairs of marks, paragraph by paragraph, as quoted spans."""

from __future__ import annotations

import re

from .records import Span
from .text import trim

OPEN_MARKS = ("\"", "“", "„", "«", "‹", "''")
# Straight and curly double marks close each other: mixed pairs ("…” or “…") are common typing accidents.
CLOSE_FOR = {'"': ('"', "”"), "“": ("”", "“", '"'), "„": ("“", "”"), "«": ("»",), "‹": ("›",), "''": ("''",)}
MARK_RE = re.compile(r"''|[\"“”„«»‹›]")
ATTR_VALUE_RE = re.compile(r"[\w-]=([\"“”])")
DOUBLE_MARK_RE = re.compile(r"[\"“”]")
TAG_RE = re.compile(r"<[A-Za-z][^<>]*>")  # a markup tag, attributes included (newlines allowed)
# Marks whose direction shows in the mark itself; the others (straight, and curly ones, which languages use both
# ways) take it from their neighbours.
ALWAYS_OPENING = ("„", "«", "‹")
ALWAYS_CLOSING = ("»", "›")
BEFORE_OPENING = "([{/—–-\"“„«‹'‘"  # what may stand right before an opening mark (besides space)
AFTER_CLOSING = ".,;:!?)]}/—–-…\"”»›'’"  # what may stand right after a closing mark (besides space)
NESTING_LOOKAHEAD = 64  # marks looked at to see whether a nested quotation and its parent both close


def scan_marks(text: str, paras: list[tuple[int, int]], warnings: list[str]) -> list[Span]:
    """Pair quotation marks paragraph by paragraph; join multi-paragraph quotations.

    A quotation nested inside another is left inside its parent: single quotes and other kinds of marks always,
    double marks (``"He told me "never again" and left," she said``, straight or curly) when an opening mark
    inside the quotation is followed, in the paragraph, by closing marks for both."""
    spans: list[Span] = []
    pending: Span | None = None  # a quotation left open at the end of the previous paragraph
    pending_ch = ""
    markup = _markup_marks(text)
    for pi, (ps, pe) in enumerate(paras):
        marks = [(m.start(), m.group()) for m in MARK_RE.finditer(text, ps, pe) if m.start() not in markup]
        open_pos, open_ch, open_len = -1, "", 0
        cont: Span | None = None
        k0 = 0
        if pending is not None:
            if marks and marks[0][0] == ps and marks[0][1] in OPEN_MARKS:
                # Continuation paragraph: the quotation goes on; this paragraph's opening mark is skipped.
                cont, open_pos, open_ch, open_len = pending, pending.open_pos, pending_ch, len(pending_ch)
                k0 = 1
            else:
                warnings.append(f"unbalanced quotation mark at offset {pending.open_pos} (paragraph {pending.para})")
                spans.append(pending)
        pending = None
        inner: list[str] = []  # the opening marks of the quotations nested in the open one
        for k in range(k0, len(marks)):
            pos, ch = marks[k]
            if open_pos < 0:
                if ch in OPEN_MARKS:
                    open_pos, open_ch, open_len = pos, ch, len(ch)
                else:
                    warnings.append(f"closing quotation mark without an opening one at offset {pos}")
                continue
            if inner:
                _step_nested(text, inner, pos, ch)
                continue
            if _opens_nested(text, open_ch, pos, ch) and _both_close(text, marks, k, open_ch):
                inner.append(ch)
                continue
            if ch not in CLOSE_FOR[open_ch]:
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


def _direction(text: str, pos: int, ch: str) -> int:
    """+1 when the mark at ``pos`` opens a quotation, -1 when it closes one, 0 when its neighbours do not tell."""
    if ch in ALWAYS_OPENING:
        return 1
    if ch in ALWAYS_CLOSING:
        return -1
    prev = text[pos - 1] if pos > 0 else " "
    nxt = text[pos + len(ch)] if pos + len(ch) < len(text) else " "
    opening = not nxt.isspace() and (prev.isspace() or prev in BEFORE_OPENING)
    closing = not prev.isspace() and (nxt.isspace() or nxt in AFTER_CLOSING)
    return int(opening) - int(closing)


def _opens_nested(text: str, open_ch: str, pos: int, ch: str) -> bool:
    """Whether the mark ``ch`` at ``pos`` opens a quotation inside one opened with ``open_ch`` whose closing marks
    it shares (marks of other kinds never interfere and are left alone)."""
    if ch not in OPEN_MARKS or _direction(text, pos, ch) <= 0:
        return False
    return ch == open_ch or bool(set(CLOSE_FOR[ch]) & set(CLOSE_FOR[open_ch]))


def _step_nested(text: str, inner: list[str], pos: int, ch: str) -> None:
    """The stack of nested quotations after the mark ``ch`` at ``pos``: closed by its closing mark, one level
    deeper at an opening mark of its kind, else unchanged."""
    if ch in CLOSE_FOR[inner[-1]] and _direction(text, pos, ch) <= 0:
        inner.pop()
    elif _opens_nested(text, inner[-1], pos, ch):
        inner.append(ch)


def _both_close(text: str, marks: list[tuple[int, str]], k: int, open_ch: str) -> bool:
    """Whether the marks after ``marks[k]`` (an opening mark inside the quotation opened with ``open_ch``) close
    the nested quotation and then its parent within :data:`NESTING_LOOKAHEAD` marks of the paragraph: if not, the
    mark is a closing mark with a space missing, or a quotation whose parent lost its closing mark."""
    inner = [open_ch, marks[k][1]]
    for pos, ch in marks[k + 1 : k + 1 + NESTING_LOOKAHEAD]:
        _step_nested(text, inner, pos, ch)
        if not inner:
            return True
    return False


def _markup_marks(text: str) -> set[int]:
    """Offsets of the marks around markup attribute values (``<tweet author="@x" date="May 2">`` left in scraped
    text), which are no quotation marks: the mark right after "=" and the next double mark, inside a tag."""
    markup: set[int] = set()
    if "=" in text and "<" in text:
        for tag in TAG_RE.finditer(text):  # only inside a tag: a stray 'a="' in prose pairs nothing away
            for m in ATTR_VALUE_RE.finditer(text, tag.start(), tag.end()):
                if m.start(1) not in markup:
                    markup.add(m.start(1))
                    c = DOUBLE_MARK_RE.search(text, m.end(), tag.end())
                    if c is not None:
                        markup.add(c.start())
    return markup


def _make_span(
    text: str, cont: Span | None, open_pos: int, open_len: int, end: int, close_end: int, pi: int, closed: bool
) -> Span:
    """The span of a quotation, continued from ``cont`` (a quotation open at the end of the previous paragraph)
    when given, its content trimmed."""
    if cont is not None:
        start, para, open_pos = cont.start, cont.para, cont.open_pos
    else:
        start, para = open_pos + open_len, pi
    s, e = trim(text, start, end)
    if e <= s:
        s = e = start
    return Span(start=s, end=e, open_pos=open_pos, close_end=close_end, para=para, closed=closed)


_LETTER_OR_DIGIT_RE = re.compile(r"[^\W_]")


def quoted_fraction(text: str, pieces: list[tuple[int, int]]) -> float:
    """The share of the letters and digits of ``pieces`` that stand inside double quotation marks (straight or
    curly, counted from the start of each line: PolNeAR's ``quoted_frac``)."""
    inside = total = 0
    for s, e in pieces:
        line = text.rfind("\n", 0, s) + 1
        state = False
        for m in DOUBLE_MARK_RE.finditer(text, line, s):
            state = _after_mark(m.group(), state)
        pos = s
        for m in DOUBLE_MARK_RE.finditer(text, s, e):
            n = len(_LETTER_OR_DIGIT_RE.findall(text, pos, m.start()))
            total += n
            inside += n if state else 0
            state = _after_mark(m.group(), state)
            pos = m.end()
        n = len(_LETTER_OR_DIGIT_RE.findall(text, pos, e))
        total += n
        inside += n if state else 0
    return inside / total if total else 0.0


def _after_mark(mark: str, inside: bool) -> bool:
    return True if mark == "“" else False if mark == "”" else not inside


def quote_kind(text: str, pieces: list[tuple[int, int]]) -> str:
    """``direct`` when at least 80% of the letters of ``pieces`` are quoted (PolNeAR's rule), ``mixed`` when some
    are, else ``indirect``."""
    frac = quoted_fraction(text, pieces)
    return "direct" if frac >= 0.8 else "mixed" if frac > 0 else "indirect"
