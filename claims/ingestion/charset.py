"""Turn a fetched body into text: the declared charset first, detection only when nothing usable is declared."""

from __future__ import annotations

import codecs
import re

import charset_normalizer

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.:-]+)["']""")
_SNIFF_BYTES = 4096


def known_charset(name: str | None) -> str | None:
    """Python's canonical codec name for ``name``, or ``None`` when Python does not know it."""
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None


def _declared_in_body(body: bytes) -> str | None:
    head = body[:_SNIFF_BYTES]
    for pattern in (_XML_ENCODING, _META_CHARSET):
        match = pattern.search(head)
        if match and (charset := known_charset(match.group(1).decode("ascii"))):
            return charset
    return None


def decode_body(body: bytes, declared: str | None) -> tuple[str, str]:
    """``(text, charset used)``. Order: byte-order mark, header charset, in-document declaration, detection."""
    for bom, charset in _BOMS:
        if body.startswith(bom):
            return body.decode(charset, errors="replace").lstrip("\ufeff"), charset
    charset = known_charset(declared) or _declared_in_body(body) or _detect(body)
    return body.decode(charset, errors="replace"), charset


def _detect(body: bytes) -> str:
    """Strict UTF-8 when it decodes; else charset_normalizer, breaking its ties in favour of windows-1252 (the
    WHATWG default for the Western European languages this newsroom reads)."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    matches = list(charset_normalizer.from_bytes(body))
    if not matches:
        return "cp1252"
    best = matches[0]
    tied = [match for match in matches if (match.chaos, match.coherence) == (best.chaos, best.coherence)]
    if any("cp1252" in match.could_be_from_charset for match in tied):
        return "cp1252"
    return known_charset(best.encoding) or "cp1252"
