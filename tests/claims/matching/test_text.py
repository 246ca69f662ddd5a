from claims.matching.text import clean_query_text, normalise, split_sentences, strip_accents, tokenize


def test_normalise_lowercases_and_strips_accents() -> None:
    assert normalise("Élysée Ça VA") == "elysee ca va"
    assert strip_accents("één café") == "een cafe"


def test_tokenize_drops_urls_stopwords_and_stems_english() -> None:
    tokens = tokenize("The vaccines were causing deaths https://t.co/abc", language="en")
    assert tokens == ["vaccin", "caus", "death"]


def test_tokenize_without_language_keeps_words_unstemmed() -> None:
    assert tokenize("Running dogs", language=None) == ["running", "dogs"]


def test_tokenize_stems_french_and_dutch() -> None:
    assert tokenize("les élections présidentielles", language="fr") == ["elect", "presidentiel"]
    assert tokenize("de verkiezingen", language="nl") == tokenize("verkiezing", language="nl")


def test_split_sentences_keeps_titles_and_initials_inside_sentences() -> None:
    text = 'Mr. Smith met John F. Kennedy in the U.S. capital. "It was great," he said. Then he left!'
    assert split_sentences(text) == [
        "Mr. Smith met John F. Kennedy in the U.S. capital.",
        '"It was great," he said.',
        "Then he left!",
    ]


def test_split_sentences_ends_sentence_after_closing_quote() -> None:
    assert split_sentences('He said: "We won." The crowd cheered.') == [
        'He said: "We won."',
        "The crowd cheered.",
    ]


def test_split_sentences_handles_french_and_dutch_abbreviations() -> None:
    assert split_sentences("Mme. Dupont a parlé. M. Martin aussi.") == [
        "Mme. Dupont a parlé.",
        "M. Martin aussi.",
    ]
    assert split_sentences("Volgens dhr. Jansen klopt het. Dat zei hij gisteren.") == [
        "Volgens dhr. Jansen klopt het.",
        "Dat zei hij gisteren.",
    ]


def test_split_sentences_does_not_break_inside_numbers_or_on_lowercase() -> None:
    assert split_sentences("Inflation rose 3.5 percent. e.g. food prices rose.") == [
        "Inflation rose 3.5 percent. e.g. food prices rose."
    ]


def test_split_sentences_treats_blank_lines_as_boundaries() -> None:
    assert split_sentences("Headline without period\n\nFirst sentence. Second one.") == [
        "Headline without period",
        "First sentence.",
        "Second one.",
    ]


def test_stopwords_are_removed_per_language() -> None:
    assert tokenize("people die", language="en") == ["peopl", "die"]
    assert tokenize("die mensen", language="nl") == ["mens"]


def test_clean_query_text_drops_urls_and_splits_hashtags_and_handles() -> None:
    text = "Does #VoterFraud exist? @realDonaldTrump says so https://t.co/abc pic.twitter.com/xyz"
    assert clean_query_text(text) == "Does Voter Fraud exist? real Donald Trump says so"


def test_clean_query_text_leaves_news_sentences_alone() -> None:
    sentence = "The minister said 3.5% of voters, i.e. 12,000 people, stayed home."
    assert clean_query_text(sentence) == sentence
