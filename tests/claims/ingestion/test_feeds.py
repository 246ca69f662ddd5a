"""Feed documents become entries with links, text summaries and aware dates."""

from __future__ import annotations

from datetime import UTC, datetime

from claims.ingestion.extract import extract_feed

RSS = """<?xml version="1.0" encoding="ISO-8859-1"?>
<rss version="2.0"><channel>
<title>Le Journal</title><link>https://journal.example/</link><description>News</description>
<item>
  <title>Le ministre démissionne</title>
  <link>https://journal.example/a/1</link>
  <guid isPermaLink="false">journal-1</guid>
  <pubDate>Tue, 05 Mar 2024 09:30:00 +0100</pubDate>
  <description>&lt;p&gt;Il a &lt;b&gt;démissionné&lt;/b&gt;.
    &lt;script&gt;alert(1)&lt;/script&gt;&lt;/p&gt;</description>
</item>
<item>
  <title>Sans date</title>
  <link>javascript:alert(1)</link>
  <description>Texte</description>
</item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>De Krant</title>
  <id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>
  <updated>2024-03-06T10:00:00Z</updated>
  <entry>
    <title>Minister treedt af</title>
    <link href="https://krant.example/artikel/7"/>
    <id>tag:krant.example,2024:7</id>
    <published>2024-03-06T08:00:00+01:00</published>
    <updated>2024-03-06T09:00:00+01:00</updated>
    <summary>De minister is afgetreden.</summary>
  </entry>
</feed>"""


def test_rss_items_become_entries():
    first, second = extract_feed(RSS)
    assert first.title == "Le ministre démissionne"
    assert first.link == "https://journal.example/a/1"
    assert first.id == "journal-1"
    assert first.published == datetime(2024, 3, 5, 8, 30, tzinfo=UTC)
    assert first.summary == "Il a démissionné."
    assert second.published is None
    assert second.link == ""


def test_atom_entries_become_entries():
    (entry,) = extract_feed(ATOM)
    assert entry.title == "Minister treedt af"
    assert entry.link == "https://krant.example/artikel/7"
    assert entry.id == "tag:krant.example,2024:7"
    assert entry.published == datetime(2024, 3, 6, 7, 0, tzinfo=UTC)
    assert entry.summary == "De minister is afgetreden."


def test_text_that_looks_like_a_url_is_parsed_not_fetched(connection_attempts):
    assert extract_feed("https://journal.example/feed.xml") == []
    assert extract_feed("/etc/passwd") == []
    assert connection_attempts == []
