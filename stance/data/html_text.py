"""HTML to text for the article readers: trafilatura's main text, checked against a linear-time tag stripper that
keeps all of a page's text (used when trafilatura finds nothing or returns an implausibly short fragment)."""

from __future__ import annotations

import html as html_lib
import logging
import re

log = logging.getLogger(__name__)

_DROP_NAMES = ("script", "style", "noscript", "template", "svg", "head")
_DROP_OPEN = re.compile(r"(script|style|noscript|template|svg|head)\b", re.IGNORECASE)
_DROP_CLOSE = {name: re.compile(rf"</{name}\s*>", re.IGNORECASE) for name in _DROP_NAMES}
_BLOCK_NAME = re.compile(r"(p|div|br|li|ul|ol|h[1-6]|tr|table|section|article|blockquote|header|footer)\b", re.IGNORECASE)
#: main text under this share of the page's whole text, and at least MIN_LOST_CHARACTERS shorter, is taken for a
#: lost one: navigation and footers seldom outweigh an article ten to one
MIN_MAIN_TEXT_SHARE = 0.1
MIN_LOST_CHARACTERS = 1000
_BLANKS = re.compile(r"[ \t\r\f\v\u00a0]+")


def _is_block_tag(inner: str) -> bool:
    """Whether the text between ``<`` and ``>`` opens or closes a block element (``p``, ``/div``, ``br/``)."""
    inner = inner.lstrip()
    if inner.startswith("/"):
        inner = inner[1:].lstrip()
    return _BLOCK_NAME.match(inner) is not None


def _strip_tags(markup: str) -> str:
    """A plain tag stripper: block elements become paragraph breaks, entities are decoded.

    One pass with ``str.find`` and anchored matches, in linear time: a closing mark (``-->``, ``</script>``,
    ``>``) found missing once is never searched for again, so unclosed tags cannot make it quadratic."""
    out: list[str] = []
    missing: set[str] = set()  # closing marks known to be absent from the rest of the markup
    i, n = 0, len(markup)
    while i < n:
        lt = markup.find("<", i)
        if lt < 0:
            out.append(markup[i:])
            break
        out.append(markup[i:lt])
        i = lt
        if markup.startswith("<!--", i) and "-->" not in missing:
            end = markup.find("-->", i + 4)
            if end >= 0:
                out.append(" ")
                i = end + 3
                continue
            missing.add("-->")
        drop = _DROP_OPEN.match(markup, i + 1)
        if drop is not None and drop.group(1).lower() not in missing:
            name = drop.group(1).lower()
            close = _DROP_CLOSE[name].search(markup, drop.end())
            if close is not None:
                out.append(" ")
                i = close.end()
                continue
            missing.add(name)
        end = -1 if ">" in missing else markup.find(">", i + 1)
        if end < 0:
            missing.add(">")
            out.append(markup[i:])
            break
        if end == i + 1:  # "<>" is text
            out.append("<")
            i += 1
            continue
        out.append("\n\n" if _is_block_tag(markup[i + 1:end]) else " ")
        i = end + 1
    text = html_lib.unescape("".join(out))
    lines = [_BLANKS.sub(" ", line).strip() for line in text.split("\n")]
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:  # runs of blank lines become one paragraph break
        if line:
            current.append(line)
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    if current:
        paragraphs.append("\n".join(current))
    return "\n\n".join(paragraphs)


def html_to_text(markup: str, name: str = "HTML page") -> str:
    """Main text of an HTML page, paragraphs separated by blank lines: trafilatura's, unless it is implausibly short
    next to all the page's text (then the tag stripper's, with a warning naming ``name``)."""
    text = ""
    try:
        import trafilatura

        text = trafilatura.extract(markup, include_comments=False, include_tables=False, favor_precision=False) or ""
    except Exception:  # noqa: BLE001 - trafilatura failing on odd markup falls back to the stripper
        text = ""
    # trafilatura separates paragraphs by single newlines; the quote extractor reads blank lines.
    text = "\n\n".join(line.strip() for line in text.splitlines() if line.strip())
    stripped = _strip_tags(markup)
    if text and not _implausibly_short(text, stripped):
        return text
    if text:
        log.warning("%s: the main-text extraction kept %d of the page's %d characters of text (unclosed tags?); "
                    "using all of the page's text instead, so no quotation is lost", name, len(text), len(stripped))
    return stripped


def _implausibly_short(main: str, whole: str) -> bool:
    """Whether a main text is too short a part of a page's whole text to be all of its article (trafilatura stops
    at some runs of unclosed tags and returns a fragment without failing)."""
    return len(main) < MIN_MAIN_TEXT_SHARE * len(whole) and len(whole) - len(main) >= MIN_LOST_CHARACTERS
