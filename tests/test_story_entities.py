"""Canonical story entities across articles, and story quotes that use them."""

from __future__ import annotations

import re

from corroborate.analyse.entities import build_entity_index
from corroborate.analyse.quotes import story_quotes
from corroborate.enrich.entities import EntityStep
from corroborate.enrich.quotes import QuoteStep
from corroborate.enrich.sentences import SentenceStep
from corroborate.model import Article, Citation, EntityMention, Quote, StoryEntity
from corroborate.pipeline.base import RunContext


def article(article_id: str, text: str, *names: tuple[str, str]) -> Article:
    """An article whose entity mentions are the given (surface, label) pairs, found in
    order in the text: the labels are set by hand to reproduce the recogniser's
    habits (a bare surname tagged ORG) without depending on them."""
    mentions = []
    position = 0
    for surface, label in names:
        start = text.index(surface, position)
        mentions.append(EntityMention(start, start + len(surface), surface, label))
        position = start + len(surface)
    return Article(id=article_id, source=f"{article_id}.txt", text=text, entities=mentions)


def entity_named(entities: list[StoryEntity], name: str) -> StoryEntity:
    return next(e for e in entities if e.name == name)


def test_surnames_titles_possessives_and_case_merge_into_the_full_name() -> None:
    first = article("a", "Marta Kovac met Ivo Brand. Mr Kovac's plan won. Brand left.",
                    ("Marta Kovac", "PERSON"), ("Ivo Brand", "PERSON"),
                    ("Mr Kovac's", "PERSON"), ("Brand", "ORG"))
    second = article("b", "MARTA KOVAC HAS said no. President Kovac spoke. Kovac agreed.",
                     ("MARTA KOVAC", "PERSON"), ("President Kovac", "PERSON"),
                     ("Kovac", "ORG"))
    index = build_entity_index([first, second])
    kovac = entity_named(index.entities, "Marta Kovac")
    assert kovac.type == "PERSON"
    assert len(kovac.mentions) == 5
    assert Citation("b", 0, len("MARTA KOVAC")) in kovac.mentions
    assert kovac.aliases == ["Kovac"]
    assert index.entities[0] is kovac  # sorted by mention count
    for form in ("Kovac", "Mr Kovac", "Kovac’s", "MARTA KOVAC", "President Marta Kovac"):
        assert index.canonical(form) == "Marta Kovac", form
    assert index.canonical("Brand") == "Ivo Brand"
    assert entity_named(index.entities, "Ivo Brand").type == "PERSON"


def test_spelling_variants_and_transliterations_merge() -> None:
    texts = [
        ("a", "Volodymyr Zelenskyy spoke in Kyiv. Zelenskyy left.",
         ("Volodymyr Zelenskyy", "PERSON"), ("Kyiv", "GPE"), ("Zelenskyy", "PERSON")),
        ("b", "Volodymyr Zelenskiy was in Kiev. Zelenskiy said so.",
         ("Volodymyr Zelenskiy", "PERSON"), ("Kiev", "GPE"), ("Zelenskiy", "ORG")),
        ("c", "Voldymir Zelensky met Steve Witkov in Kiev.",
         ("Voldymir Zelensky", "PERSON"), ("Steve Witkov", "PERSON"), ("Kiev", "GPE")),
        ("d", "Steve Witkoff flew to Kyiv. Mr Witkoff landed.",
         ("Steve Witkoff", "PERSON"), ("Kyiv", "GPE"), ("Witkoff", "GPE")),
    ]
    index = build_entity_index([article(i, t, *names) for i, t, *names in texts])
    names = {e.name for e in index.entities}
    assert names == {"Volodymyr Zelenskyy", "Kyiv", "Steve Witkoff"}
    zelenskyy = entity_named(index.entities, "Volodymyr Zelenskyy")
    assert len(zelenskyy.mentions) == 5
    assert "Voldymir Zelensky" in zelenskyy.aliases
    assert index.canonical("Zelensky") == "Volodymyr Zelenskyy"
    assert index.canonical("Mr Witkov") == "Steve Witkoff"
    assert index.canonical("Kiev") == "Kyiv"
    assert entity_named(index.entities, "Kyiv").type == "GPE"


def test_different_people_with_the_same_surname_stay_apart() -> None:
    first = article("a", "Ann Lee and Tom Lee both ran. Lee won.",
                    ("Ann Lee", "PERSON"), ("Tom Lee", "PERSON"), ("Lee", "PERSON"))
    second = article("b", "Dan Marsh beat Don Marsh.",
                     ("Dan Marsh", "PERSON"), ("Don Marsh", "PERSON"))
    index = build_entity_index([first, second])
    names = {e.name for e in index.entities}
    assert {"Ann Lee", "Tom Lee", "Dan Marsh", "Don Marsh"} <= names
    assert index.canonical("Ann Lee") == "Ann Lee"
    assert index.canonical("Tom Lee") == "Tom Lee"
    assert index.canonical("Mr Lee") not in ("Ann Lee", "Tom Lee")
    assert index.canonical("Don Marsh") == "Don Marsh"


def test_places_do_not_become_surnames_and_other_labels_are_skipped() -> None:
    player = article("a", "Michael Jordan signed 200 shirts on 3 May.",
                     ("Michael Jordan", "PERSON"), ("200", "CARDINAL"), ("3 May", "DATE"))
    country = article("b", "Talks resumed in Jordan.", ("Jordan", "GPE"))
    index = build_entity_index([player, country])
    assert {(e.name, e.type) for e in index.entities} == {
        ("Michael Jordan", "PERSON"), ("Jordan", "GPE")}
    assert index.canonical("Jordan") == "Jordan"
    assert index.canonical("3 May") is None
    assert index.canonical("Nobody Known") is None


def test_knighted_first_name_joins_the_full_name() -> None:
    story = article("a", "Keir Starmer arrived. Later Sir Keir spoke to Keith Kelly.",
                    ("Keir Starmer", "PERSON"), ("Keir", "PERSON"), ("Keith Kelly", "PERSON"))
    index = build_entity_index([story])
    starmer = entity_named(index.entities, "Keir Starmer")
    assert len(starmer.mentions) == 2
    assert index.canonical("Sir Keir") == "Keir Starmer"


def test_entities_from_the_real_recogniser() -> None:
    texts = [
        "Prime Minister Keir Starmer met Emmanuel Macron in London on Monday.",
        "Starmer and Macron spoke to reporters. Macron said Britain and France agreed.",
    ]
    ctx = RunContext()
    articles = [EntityStep().process(Article(id=f"n{i}", source="x", text=t), ctx)
                for i, t in enumerate(texts)]
    index = build_entity_index([a for a in articles if a is not None])
    macron = entity_named(index.entities, "Emmanuel Macron")
    assert macron.type == "PERSON"
    assert len(macron.mentions) == 3
    assert index.canonical("Starmer") == "Keir Starmer"
    assert all(e.type in {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT"}
               for e in index.entities)
    for entity in index.entities:
        for mention in entity.mentions:
            text = texts[int(mention.article[1:])][mention.start : mention.end]
            assert re.search(r"\w", text)


# -- story quotes ----------------------------------------------------------------------

def test_story_quotes_use_canonical_speakers() -> None:
    text = "“We will win,” Kovac said. “Roads first,” the city council said. “No.”"
    story = article("a", "Marta Kovac spoke. " + text,
                    ("Marta Kovac", "PERSON"), ("Kovac", "ORG"))
    offset = len("Marta Kovac spoke. ")

    def at(fragment: str) -> tuple[int, int]:
        start = story.text.index(fragment)
        return start, start + len(fragment)

    kovac = at("Kovac said")
    story.quotes = [
        Quote(*at("We will win"), "Kovac", kovac[0], kovac[0] + 5, True, "said"),
        Quote(*at("Roads first"), "the city council", None, None, True, "said"),
        Quote(*at("No."), None),
    ]
    index = build_entity_index([story])
    quotes = story_quotes([story], index)
    assert [q.speaker for q in quotes] == ["Marta Kovac", "the city council", None]
    assert [q.text for q in quotes] == ["We will win", "Roads first", "No."]
    assert quotes[0].start > offset and quotes[0].article == "a"
    assert (quotes[0].speaker_start, quotes[0].speaker_end) == (kovac[0], kovac[0] + 5)
    assert all(q.direct for q in quotes)


def test_story_quotes_end_to_end_on_invented_articles() -> None:
    texts = [
        "Harbour chief Tomas Brennik met ministers on Monday.\n\n"
        "“The channel is clear,” Brennik said.",
        "“Ships can enter again,” Tomas Brennik told reporters.",
    ]
    ctx = RunContext()
    articles = []
    for i, text in enumerate(texts):
        item: Article | None = Article(id=f"q{i}", source="x", text=text)
        for step in (SentenceStep(), EntityStep(), QuoteStep()):
            assert item is not None
            item = step.process(item, ctx)
        assert item is not None
        articles.append(item)
    quotes = story_quotes(articles, build_entity_index(articles))
    assert [(q.article, q.speaker, q.text) for q in quotes] == [
        ("q0", "Tomas Brennik", "The channel is clear"),
        ("q1", "Tomas Brennik", "Ships can enter again"),
    ]


def test_a_name_with_a_word_too_many_joins_the_name() -> None:
    first = article("a", "In Dunmore, Clara Oduya spoke. Oduya left.",
                    ("Clara Oduya", "PERSON"), ("Oduya", "ORG"))
    second = article("b", "Dunmore Clara Oduya urged calm. Clara Oduya met baker Ivo Stane.",
                     ("Dunmore Clara Oduya", "PERSON"), ("Clara Oduya", "PERSON"),
                     ("baker Ivo Stane", "PERSON"))
    index = build_entity_index([first, second])
    oduya = entity_named(index.entities, "Clara Oduya")
    assert len(oduya.mentions) == 4
    assert "Dunmore Clara Oduya" in oduya.aliases
    assert index.canonical("Oduya") == "Clara Oduya"
    assert index.canonical("Ivo Stane") == "Ivo Stane"


def test_c_and_k_spellings_of_one_person_merge() -> None:
    first = article("a", "Karl Ostby spoke. Ostby left.", ("Karl Ostby", "PERSON"),
                    ("Ostby", "PERSON"))
    second = article("b", "Carl Ostby spoke.", ("Carl Ostby", "PERSON"))
    index = build_entity_index([first, second])
    assert index.canonical("Carl Ostby") == index.canonical("Ostby") == "Karl Ostby"


def test_shared_surname_is_read_in_its_article() -> None:
    first = article("a", "Ivo Pell was rescued. Pell said he sang.",
                    ("Ivo Pell", "PERSON"), ("Pell", "PERSON"))
    second = article("b", "Mia Pell waited outside. Pell said she prayed.",
                     ("Mia Pell", "PERSON"), ("Pell", "PERSON"))
    index = build_entity_index([first, second])
    assert index.canonical("Pell") == "Pell"  # alone, it could be either
    assert index.canonical_at("Pell", "a", first.text.index("Pell said")) == "Ivo Pell"
    assert index.canonical_at("Mr Pell", "b", second.text.index("Pell said")) == "Mia Pell"
    assert index.canonical_at("Pell", "b", 0) == "Pell"  # nobody named before it
    story = [first, second]
    at = second.text.index("Pell said")
    second.quotes = [Quote(at + 10, at + 21, "Pell", at, at + 4, False, "said")]
    [quote] = story_quotes(story, index)
    assert quote.speaker == "Mia Pell" and quote.text == "she prayed."


def test_people_keep_roles_and_roles_name_them() -> None:
    first = article("a", "Harbour chief Tomas Brennik met Valdorian President Ana Rusk.",
                    ("Tomas Brennik", "PERSON"), ("Valdorian", "NORP"), ("Ana Rusk", "PERSON"))
    second = article("b", "Ana Rusk, the Valdorian head of state, left. Brennik stayed.",
                     ("Ana Rusk", "PERSON"), ("Valdorian", "NORP"), ("Brennik", "ORG"))
    index = build_entity_index([first, second])
    rusk = entity_named(index.entities, "Ana Rusk")
    assert rusk.roles == ["Valdorian President", "Valdorian head of state"]
    assert entity_named(index.entities, "Tomas Brennik").roles == ["Harbour chief"]
    assert entity_named(index.entities, "Valdorian").roles == []  # people only
    assert index.resolve("the Valdorian leader", "b") == "Ana Rusk"
    assert index.resolve("Mr Brennik", "b") == "Tomas Brennik"
    assert index.resolve("the harbour master", "b") is None
