"""Roles, speaker resolution through roles, and the story quote ledger.

Fixtures are short invented texts; quotes are given as the quote finder would return
them (offsets into the text) so each test pins one decision of the analysis.
"""

from __future__ import annotations

from corroborate.analyse.entities import build_entity_index
from corroborate.analyse.ledger import build_ledger
from corroborate.analyse.quotes import story_quotes
from corroborate.analyse.roles import RoleBook, parse_role, roles_near
from corroborate.enrich.entities import EntityStep
from corroborate.enrich.quotes import QuoteStep
from corroborate.enrich.sentences import SentenceStep
from corroborate.model import Article, EntityMention, Quote, StoryQuote
from corroborate.pipeline.base import RunContext


def quote_of(article: Article, words: str, speaker: str | None, said_by: str | None = None,
             *, direct: bool = True) -> Quote:
    """A quote of `words` in `article`, its speaker resolved from the first `said_by`."""
    start = article.text.index(words)
    at = article.text.index(said_by) if said_by else None
    return Quote(start, start + len(words), speaker, at,
                 None if at is None or said_by is None else at + len(said_by), direct, "said")


def story_article(article_id: str, text: str, *, outlet: str | None = None,
                  published: str | None = None, flags: list[str] | None = None) -> Article:
    """An article with its person names tagged (every capitalised two-word name of the
    form "Firstname Lastname" listed by the test)."""
    return Article(id=article_id, source=f"{article_id}.txt", text=text, outlet=outlet,
                   published=published, flags=flags or [])


def tag(article: Article, *names: tuple[str, str]) -> Article:
    mentions = []
    for surface, label in names:
        start = 0
        while (start := article.text.find(surface, start)) >= 0:
            mentions.append(EntityMention(start, start + len(surface), surface, label))
            start += len(surface)
    article.entities = sorted(mentions, key=lambda m: m.start)
    return article


# -- roles -------------------------------------------------------------------------------

def test_roles_are_read_before_and_after_a_name() -> None:
    text = ("Valdorian President Ana Rusk met Kremlin spokesman Dmitry Peskov. The harbour "
            "spokesperson, Ivo Brand, said little. Mara Lint, the Valdorian foreign minister, "
            "said more. However Ana Rusk left.")

    def roles(name: str, nth: int = 0) -> list[str]:
        start = -1
        for _ in range(nth + 1):
            start = text.index(name, start + 1)
        return roles_near(text, start, start + len(name))

    assert roles("Ana Rusk") == ["Valdorian President"]
    assert roles("Dmitry Peskov") == ["Kremlin spokesman"]
    assert roles("Ivo Brand") == ["harbour spokesperson"]
    assert roles("Mara Lint") == ["Valdorian foreign minister"]
    assert roles("Ana Rusk", 1) == []  # "However" opens the sentence; it is no title


def test_a_description_resolves_only_when_one_person_fits() -> None:
    book = RoleBook({
        "Ana Rusk": ["Valdorian President"],
        "Piet Varga": ["Osterland President"],
        "Dmitry Peskov": ["Kremlin spokesman"],
        "Mara Lint": ["Valdorian foreign minister"],
        "Lena Ost": ["Osterland foreign secretary"],
    })
    assert book.owner("the Valdorian president") == "Ana Rusk"
    assert book.owner("the Valdorian leader") == "Ana Rusk"  # leader ~ president
    assert book.owner("Valdoria's head of state") == "Ana Rusk"
    assert book.owner("the Russian presidential spokesperson") == "Dmitry Peskov"
    assert book.owner("the president") is None  # two presidents: ambiguous
    assert book.owner("the foreign minister") is None  # minister ~ secretary: two
    assert book.owner("Osterland's top diplomat") is None  # no role word
    assert book.owner("the Valdorian side") is None
    role = parse_role("the US secretary of state")
    assert role is not None and role.kind == "minister" and role.qualifiers == {"us"}


def test_quote_speakers_resolve_through_roles_and_institutions() -> None:
    first = tag(story_article(
        "a", "Valdorian President Ana Rusk spoke. Kremlin spokesman Dmitry Peskov spoke.\n\n"
        "“We stay,” the Valdorian president said. “It is early,” the Kremlin spokesman "
        "told reporters. “No threat,” Valdoria's general staff said."),
        ("Ana Rusk", "PERSON"), ("Dmitry Peskov", "PERSON"), ("Kremlin", "ORG"))
    second = tag(story_article(
        "b", "“Lines hold,” the Valdorian military leadership said in a statement."))
    first.quotes = [
        quote_of(first, "We stay", "the Valdorian president", "the Valdorian president"),
        quote_of(first, "It is early", "Kremlin", "Kremlin spokesman told"),
        quote_of(first, "No threat", "Valdoria's general staff", "Valdoria's general staff"),
    ]
    first.quotes[1] = Quote(first.quotes[1].start, first.quotes[1].end, "Kremlin",
                            first.text.index("Kremlin spokesman told"),
                            first.text.index("Kremlin spokesman told") + 7, True, "told")
    second.quotes = [quote_of(second, "Lines hold", "the Valdorian military leadership",
                              "the Valdorian military leadership")]
    index = build_entity_index([first, second])
    quotes = story_quotes([first, second], index)
    assert [q.speaker for q in quotes] == [
        "Ana Rusk", "Dmitry Peskov", "Valdoria's general staff", "Valdoria's general staff"]
    assert [q.speaker_text for q in quotes] == [
        "the Valdorian president", "Kremlin", "Valdoria's general staff",
        "the Valdorian military leadership"]
    assert index.resolve("the Kremlin spokesman", "a") == "Dmitry Peskov"


def test_a_fragment_inside_a_reported_statement_is_its_speakers() -> None:
    article = tag(story_article(
        "a", "Ana Rusk said the plan was fine but insisted on certain “nuances,” again."),
        ("Ana Rusk", "PERSON"))
    article.quotes = [
        quote_of(article, "the plan was fine but insisted on certain “nuances,” again",
                 "Ana Rusk", "Ana Rusk", direct=False),
        quote_of(article, "nuances", None),
    ]
    quotes = story_quotes([article], build_entity_index([article]))
    assert [q.speaker for q in quotes] == ["Ana Rusk", "Ana Rusk"]
    assert quotes[1].speaker_text == "Ana Rusk" and quotes[1].speaker_start == 0


def test_roles_reach_the_speaker_with_the_real_quote_finder() -> None:
    texts = ["Valdorian President Ana Rusk arrived in Osterby on Monday.",
             "“We will not give up,” the Valdorian president said on Tuesday."]
    ctx = RunContext()
    articles = []
    for i, text in enumerate(texts):
        item: Article | None = Article(id=f"r{i}", source="x", text=text)
        for step in (SentenceStep(), EntityStep(), QuoteStep()):
            assert item is not None
            item = step.process(item, ctx)
        assert item is not None
        articles.append(item)
    index = build_entity_index(articles)
    assert "Valdorian President" in next(e for e in index.entities if e.name == "Ana Rusk").roles
    quotes = story_quotes(articles, index)
    assert [(q.article, q.speaker) for q in quotes] == [("r1", "Ana Rusk")]


# -- the ledger --------------------------------------------------------------------------

def sq(article: str, text: str, speaker: str | None, start: int = 0, *,
       direct: bool = True) -> StoryQuote:
    return StoryQuote(speaker, text, article, start, start + len(text), direct,
                      speaker_text=speaker)


def outlets(*specs: tuple[str, str | None, str | None]) -> list[Article]:
    return [Article(id=i, source=f"{i}.txt", outlet=o, published=p) for i, o, p in specs]


def test_one_statement_across_outlets_with_first_appearance() -> None:
    articles = outlets(("a", "Daily A", "2025-03-14"), ("b", "Wire B", "2025-03-13"),
                       ("c", None, None))
    statement = "The harbour will reopen on Monday, and the ferries will run again."
    quotes = [
        sq("a", "THE HARBOUR WILL REOPEN ON MONDAY, and the ferries will run again!", "Ana Rusk"),
        sq("b", statement, "Ana Rusk", 40),
        sq("c", "The harbour will reopen on Monday … the ferries will run again", "Ana Rusk"),
        sq("c", "harbour will reopen", "Ana Rusk", 200),
        sq("a", "Taxes will fall next year for every family in the valley.", "Ana Rusk", 300),
    ]
    [entry, other] = build_ledger(quotes, articles)
    assert entry.speaker == "Ana Rusk" and entry.direct
    assert entry.first.article == "b" and entry.first.start == 40  # earliest published
    assert entry.articles == ["b", "a", "c"] and entry.outlets == ["Wire B", "Daily A"]
    assert len(entry.carriers) == 4
    assert entry.flags == []  # case, punctuation, ellipsis and truncation are no change
    assert other.articles == ["a"] and other.text.startswith("Taxes")


def test_reworded_quote_is_altered_and_another_speaker_is_flagged() -> None:
    articles = outlets(("a", "Daily A", "2025-03-13"), ("b", "Wire B", "2025-03-13"),
                       ("spun", "Spin C", "2025-03-14"), ("d", "Daily D", "2025-03-15"))
    articles[2].flags = ["machine-translated"]
    original = "This would be a horrible massacre, one not seen since the great flood."
    quotes = [
        sq("a", original, "Ana Rusk"),
        sq("b", original, "Ana Rusk"),
        sq("spun", "This is a horrifying massacre, something not seen since the great flood.",
           "Ana Rusk"),
        sq("d", original, "Piet Varga"),
    ]
    [entry] = build_ledger(quotes, articles)
    assert entry.speaker == "Ana Rusk" and entry.text == original
    flags = {c.article: c.flags for c in entry.carriers}
    assert flags == {"a": [], "b": [], "spun": ["altered"], "d": ["speaker-differs"]}
    assert entry.flags == ["altered", "speaker-differs"]


def test_a_paraphrase_is_not_altered_and_echoes_of_a_phrase_stay_apart() -> None:
    articles = outlets(("a", "A", "2025-03-13"), ("b", "B", "2025-03-14"))
    quotes = [
        sq("a", "There are reasons to be cautiously optimistic about the talks.", "Ana Rusk"),
        sq("b", "there were grounds for cautious optimism about the talks", "Ana Rusk",
           direct=False),
        sq("b", "reasons to be cautiously optimistic", "Piet Varga", 100),
    ]
    entries = build_ledger(quotes, articles)
    [rusk] = [e for e in entries if e.speaker == "Ana Rusk"]
    assert [c.article for c in rusk.carriers] == ["a", "b"] and rusk.flags == []
    [varga] = [e for e in entries if e.speaker == "Piet Varga"]
    assert varga.flags == []  # two people can say the same words: no misattribution


def test_an_institution_and_its_spokesman_are_one_voice() -> None:
    articles = outlets(("a", "A", "2025-03-13"), ("b", "B", "2025-03-14"))
    quotes = [sq("a", "cautious optimism", "Kremlin"),
              sq("b", "cautious optimism", "Dmitry Peskov")]
    [entry] = build_ledger(quotes, articles, {"Dmitry Peskov": ["Kremlin spokesman"]})
    assert entry.flags == [] and len(entry.articles) == 2
    assert len(build_ledger(quotes, articles)) == 2  # without the role: two voices


def test_an_unattributed_echo_joins_only_what_it_lies_in() -> None:
    articles = outlets(("a", "A", None))
    quotes = [
        sq("a", "We agree, but it must address the root causes of the crisis.", "Ana Rusk"),
        sq("a", "root causes", None, 100),
        sq("a", "in the long term", None, 200),
    ]
    entries = build_ledger(quotes, articles)
    [joined] = [e for e in entries if e.speaker == "Ana Rusk"]
    assert [c.text for c in joined.carriers] == [quotes[0].text, "root causes"]
    assert joined.flags == []
    assert [e.speaker for e in entries].count(None) == 1


def test_a_speaker_name_run_past_a_sentence_end_is_read_as_the_name() -> None:
    article = tag(story_article("a", "Ivo Pell spoke. “Soon,” Pell said.[Mara] She left."),
                  ("Ivo Pell", "PERSON"))
    start = article.text.index("Pell said")
    article.quotes = [Quote(article.text.index("Soon"), article.text.index("Soon") + 4,
                            "Pell said.[Mara", start, start + len("Pell said.[Mara"))]
    [quote] = story_quotes([article], build_entity_index([article]))
    assert quote.speaker == "Ivo Pell" and quote.speaker_text == "Pell said.[Mara"
