"""Every place that tells Django "this HTML is safe" is listed here with the reason it is safe. A new ``|safe``,
``mark_safe``, ``format_html``, ``autoescape off`` or ``SafeString`` in the code fails this test until it is reviewed
and added (with its reason); a listed use that disappears fails it too, so the list stays true."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SEARCHED = ("accountability", "claims", "config", "templates")
SKIPPED_PARTS = {"migrations", "__pycache__", "static"}
UNSAFE = re.compile(
    r"\|\s*safe(seq)?\b|mark_safe\(|format_html(_join)?\(|autoescape\s+off|Safe(String|Text)\(|html_safe\b"
)

# (file, the line's code without surrounding spaces) -> why untrusted text cannot become markup there.
CATALOGUE: dict[tuple[str, str], str] = {
    (
        "accountability/templatetags/public.py",
        "return format_html('<time datetime=\"{}\">{}</time>', machine, shown)",
    ): "format_html escapes both arguments; they are dates formatted by Django.",
    (
        "accountability/templatetags/public.py",
        "return mark_safe(script)  # noqa: S308",
    ): "JSON-LD: json_for_script escapes <, > and & as \\u escapes, so no text can close the <script>; the nonce "
    "is escaped.",
    (
        "accountability/embeds.py",
        '"html": format_html(',
    ): "oEmbed iframe: format_html escapes the URL, the sizes and the title (the record's name or claim text).",
    (
        "claims/review/selectors.py",
        'pieces.append(format_html("<mark>{}</mark>", word))',
    ): "review queue highlighting: format_html escapes the word.",
    (
        "claims/review/selectors.py",
        'return mark_safe("".join(pieces))  # noqa: S308 - every piece above is escaped or built by format_html',
    ): "every piece joined is conditional_escape()d or built by format_html just above.",
}


def unsafe_html_uses() -> set[tuple[str, str]]:
    found = set()
    for folder in SEARCHED:
        for path in (ROOT / folder).rglob("*"):
            if path.suffix not in (".py", ".html", ".txt", ".xml") or SKIPPED_PARTS & set(path.parts):
                continue
            for line in path.read_text(encoding="utf-8").splitlines():
                if UNSAFE.search(line):
                    found.add((str(path.relative_to(ROOT)), line.strip()))
    return found


def test_every_use_of_unescaped_html_is_catalogued_with_a_reason():
    uncatalogued = sorted(unsafe_html_uses() - set(CATALOGUE))
    assert uncatalogued == [], (
        "New unescaped-HTML uses: review each (is every argument escaped or our own?) and add it to CATALOGUE "
        "with its reason."
    )


def test_the_catalogue_lists_nothing_that_is_gone():
    assert sorted(set(CATALOGUE) - unsafe_html_uses()) == []


def test_every_catalogued_use_says_why_it_is_safe():
    assert all(len(reason) > 20 for reason in CATALOGUE.values())


def test_the_search_finds_each_kind_of_unsafe_html():
    samples = [
        "{{ text|safe }}",
        "{{ items|safeseq }}",
        "{% autoescape off %}",
        "mark_safe(x)",
        "format_html_join('', '{}', rows)",
        "SafeString(x)",
        "@html_safe",
    ]
    assert all(UNSAFE.search(sample) for sample in samples)
    assert not UNSAFE.search("safe to run twice")
