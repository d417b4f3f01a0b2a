"""The persisted MinHash/LSH index and the incremental provenance step.

Real SQLite files in tmp_path, reopened between "runs"; fixtures are short invented
reports (a bridge closure in a made-up town, and unrelated local news).
"""

from __future__ import annotations

import random
import shutil
import sqlite3
from pathlib import Path

import numpy as np

from corroborate.cluster.step import ClusterStep
from corroborate.enrich.sentences import SentenceStep
from corroborate.model import Article, ProvenanceKind
from corroborate.pipeline.base import RunContext
from corroborate.pipeline.default import default_steps
from corroborate.pipeline.executor import LocalExecutor
from corroborate.pipeline.pipeline import Pipeline
from corroborate.provenance import REPUBLISHED
from corroborate.provenance.index import LshIndex, backfill, reindex, sign_articles
from corroborate.provenance.shingles import (
    LSH_BANDS,
    NUM_PERM,
    CandidateIndex,
    band_keys,
    layout,
    normalise,
    normalised_lines,
    shingles,
    sign_texts,
    signature,
)
from corroborate.provenance.step import ProvenanceStep, story_candidates
from corroborate.store.sqlite import MinHashEntry, Store, StoryState

BRIDGE = [
    "The old iron bridge over the Wenna river in Tarnwick was closed to all traffic on "
    "Monday after inspectors found cracks in two of its main supporting girders.",
    "The county roads department said the closure would last at least six weeks while "
    "engineers decide whether the ninety-year-old structure can be repaired.",
    "“Nobody will cross that bridge until we are certain it is safe,” said Imogen Farrow, "
    "who leads the department. “We know the detour is long, and we are sorry.”",
    "Buses between Tarnwick and the villages on the northern bank will use the ring road, "
    "adding about twenty minutes to each journey, the transport authority said.",
    "Shop owners on Quay Street said they feared losing customers during the summer, when "
    "visitors usually walk across the bridge to the market.",
]

LIBRARY = [
    "A new public library opened in the centre of Oskby on Saturday, with a reading room "
    "for children, a small cinema and a café run by volunteers from the neighbourhood.",
    "The building, a former textile warehouse, was restored over three years with money "
    "from the town council and a regional culture fund.",
    "More than four hundred people queued before the doors opened, and the first visitor "
    "borrowed a book about the history of the town's mills.",
]

FOOTBALL = [
    "Harlow Vale came from two goals down to draw with Edmere Town on Sunday, keeping "
    "their hopes of promotion alive with three matches of the season left to play.",
    "Edmere led at half-time after a penalty and a header from a corner, but Vale's young "
    "striker scored twice in the last fifteen minutes to the delight of the home crowd.",
    "The manager said afterwards that his players had shown character and that the final "
    "weeks would decide everything.",
]

ORCHARD = [
    "Apple growers in the Pellam valley expect a smaller harvest this autumn after a late "
    "frost in April damaged blossom across hundreds of hectares of orchards.",
    "The growers' cooperative said some farms had lost more than half of their crop and "
    "asked the regional government for emergency support.",
    "Prices for local cider apples have already risen, and two small presses said they "
    "might not open at all this year.",
]

FURNITURE = ["Advertisement", "Sign up for our newsletter to get the day’s headlines.",
             "Share this story with your friends and family."]


def _article(article_id: str, paragraphs: list[str], *, published: str | None = None,
             outlet: str | None = None) -> Article:
    text = "\n\n".join(paragraphs)
    return Article(id=article_id, source=f"{article_id}.txt", raw=text, text=text,
                   content_hash=f"hash-{article_id}", published=published, outlet=outlet)


def _republished_copy() -> Article:
    """The bridge report a day later on an aggregator: reordered, with furniture."""
    paragraphs = [BRIDGE[0], FURNITURE[0], BRIDGE[2], BRIDGE[1], FURNITURE[1], BRIDGE[4],
                  BRIDGE[3], FURNITURE[2]]
    return _article("aggregator-bridge", paragraphs, published="2025-06-03",
                    outlet="News Digest Daily")


def _original() -> Article:
    return _article("courier-bridge", BRIDGE, published="2025-06-02", outlet="Tarnwick Courier")


def _signed(index: LshIndex, *articles: Article) -> None:
    index.add_many(zip([a.id for a in articles], sign_articles([a.text for a in articles]),
                       strict=True))


def _signature(article: Article) -> np.ndarray:
    [sig] = sign_articles([article.text])
    assert sig is not None
    return sig


def _bucket_rows(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("SELECT count(*) FROM minhash_buckets").fetchone()[0])


# --- signatures and bands ------------------------------------------------------------

def test_fast_normalisation_equals_the_regex_on_any_text() -> None:
    """`normalised_lines` takes a byte-table path for (nearly) ASCII text; it must give
    exactly what normalising each line with the regex gives, whatever the text."""
    alphabet = ("abcXYZ019 _-.,;'\"!?()[]/\\@#\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"
                "“”‘’–—…«»•\u00a0\u200b\ufeff" "éÉßİK\u212a\u0301ﬁ" "\x85\u2028\u2029")
    rng = random.Random(7)
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80)))
             for _ in range(3000)]
    texts += ["Plain ASCII line one.\r\nLine_two -- with   spaces\n\n", "“Quoted” — and … done"]
    for text in texts:
        expected = [line for line in map(normalise, text.splitlines()) if line]
        assert normalised_lines(text) == expected, repr(text)


def test_shingles_of_other_sizes() -> None:
    text = "one two three four\nfive six"
    assert shingles(text, size=3) == {"one two three", "two three four", "five six"}
    assert shingles(text, size=5) == {"one two three four", "five six"}


def test_bulk_signatures_equal_the_per_text_sketch_and_keys_are_stable() -> None:
    texts = ["\n".join(BRIDGE), "\n".join(LIBRARY), "", "one two"]
    matrix, words = sign_texts(texts)
    assert matrix.shape == (4, NUM_PERM) and matrix.dtype == np.uint32
    assert words.tolist() == [len(normalise(t).split()) for t in texts]
    assert words[2] == 0 and matrix[2].tolist() == [2**32 - 1] * NUM_PERM
    for row, text in zip(matrix[:2], texts[:2], strict=True):
        assert row.tolist() == signature(shingles(text)).digest()
    keys = band_keys(matrix)
    assert keys.shape == (4, LSH_BANDS) and keys.dtype == np.int64
    assert (keys >= 0).all() and (keys < 2**47).all()
    # Stored signatures and keys must not drift between versions or processes: these
    # pin the hashing. If it changes on purpose, change `shingles.layout()` too, so
    # that stored indexes are rebuilt rather than mixed.
    pinned, _ = sign_texts(["The bridge over the Wenna river was closed on Monday."])
    assert pinned[0, :4].tolist() == [3223477957, 3411401316, 3274336036, 3289664333]
    assert band_keys(pinned)[0, :3].tolist() == [51211874905290, 95272215612688,
                                                 50659619888460]
    assert sign_articles(["", "too short to match", "\n".join(FOOTBALL)])[:2] == [None, None]


def test_persisted_candidates_are_the_in_memory_pairs() -> None:
    """A pair is a candidate whether its articles arrive in one batch or in two."""
    articles = [_original(), _republished_copy(), _article("library", LIBRARY),
                _article("football", FOOTBALL), _article("orchard", ORCHARD),
                _article("bridge-half", BRIDGE[:2] + FOOTBALL[:1])]
    memory = CandidateIndex()
    for key, article in enumerate(articles):
        memory.add(key, signature(shingles(article.text)))
    expected = {tuple(sorted((articles[i].id, articles[j].id))) for i, j in memory.pairs()}
    with Store.open(":memory:") as store:
        index = LshIndex(store)
        _signed(index, *articles)
        found = index.candidates_many({a.id: _signature(a) for a in articles})
    pairs = {tuple(sorted((one, two))) for one, hits in found.items() for two in hits}
    assert pairs == expected
    assert ("aggregator-bridge", "courier-bridge") in pairs


# --- the persisted index ---------------------------------------------------------------

def test_copy_stored_in_an_earlier_run_is_a_candidate_in_a_later_one(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    with Store.open(path) as store:
        index = LshIndex(store)
        _signed(index, _original(), _article("library", LIBRARY), _article("football", FOOTBALL))
        assert len(index) == 3
    with Store.open(path) as store:
        index = LshIndex(store)
        hits = index.candidates_many({"aggregator-bridge": _signature(_republished_copy())})
        assert list(hits["aggregator-bridge"]) == ["courier-bridge"]
        # A reordered copy with furniture shares most bands: a strong candidate.
        assert hits["aggregator-bridge"]["courier-bridge"] > LSH_BANDS // 2
        assert index.candidates(_signature(_article("orchard", ORCHARD))) == set()


def test_an_article_never_finds_itself(tmp_path: Path) -> None:
    with Store.open(tmp_path / "c.db") as store:
        index = LshIndex(store)
        original = _original()
        _signed(index, original)
        assert index.candidates_many({original.id: _signature(original)}) == {original.id: {}}
        assert index.candidates(_signature(original)) == {original.id}


def test_removal(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    with Store.open(path) as store:
        index = LshIndex(store)
        _signed(index, _original(), _article("library", LIBRARY))
        assert index.remove("courier-bridge")
        assert not index.remove("courier-bridge")
        assert "courier-bridge" not in index and "library" in index
        assert index.candidates(_signature(_republished_copy())) == set()
    assert _bucket_rows(path) == LSH_BANDS  # only the library's rows are left


def test_re_adding_is_idempotent_and_a_new_signature_replaces_the_old(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    with Store.open(path) as store:
        index = LshIndex(store)
        original = _original()
        assert index.add(original.id, _signature(original))
        assert not index.add(original.id, _signature(original))
        assert index.add_many([(original.id, _signature(original))]) == 0
        assert len(index) == 1
        assert _bucket_rows(path) == LSH_BANDS
        # Same id, other text (re-cleaned differently): the old buckets go.
        assert index.add(original.id, _signature(_article("x", ORCHARD)))
        assert len(index) == 1 and _bucket_rows(path) == LSH_BANDS
        assert index.candidates(_signature(_republished_copy())) == set()
        assert index.candidates(_signature(_article("y", ORCHARD))) == {original.id}
        # Too short to index: recorded, in no bucket.
        assert index.add("brief", None)
        assert "brief" in index and _bucket_rows(path) == LSH_BANDS


def test_other_settings_empty_the_index(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    with Store.open(path) as store:  # an index an older build wrote, with 64 bands
        store.reset_minhash_index({**layout(), "bands": "64"})
        store.write_minhash(removed=[], added=[
            MinHashEntry("courier-bridge", bytes(4 * NUM_PERM), [(0, 1), (1, 2)])])
    with Store.open(path) as store:
        index = LshIndex(store)
        assert len(index) == 0 and store.minhash_settings() == layout()
        assert _bucket_rows(path) == 0


# --- backfill ---------------------------------------------------------------------------

def test_reindex_signs_stored_articles_the_index_lacks(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    with Store.open(path) as store:  # a store filled before the index existed
        store.put_articles([_original(), _article("library", LIBRARY),
                            _article("brief", ["Roads closed."])])
    with Store.open(path) as store:
        index = LshIndex(store)
        assert reindex(store, index) == 3
        assert index.indexed(["courier-bridge", "library", "brief"]) == {
            "courier-bridge", "library", "brief"}
        assert index.candidates(_signature(_republished_copy())) == {"courier-bridge"}
        assert reindex(store, index) == 0  # the short one is not signed again
        store.put_articles([_article("football", FOOTBALL)])
        assert reindex(store, index, exclude=["football"]) == 0
        assert backfill(store, index, pending=["football"]) == 0  # counts agree
        assert backfill(store, index, pending=[]) == 1
        assert "football" in index


# --- the incremental step -------------------------------------------------------------

def _run(path: Path, articles: list[Article]) -> tuple[RunContext, Store]:
    """One pipeline run's provenance: store the new articles, then the step."""
    store = Store.open(path)
    ctx = RunContext(store=store)
    for article in articles:
        SentenceStep().process(article, ctx)
    store.put_articles(articles)
    ProvenanceStep().process_all(articles, ctx)
    return ctx, store


def test_step_finds_the_copy_across_runs_and_loads_only_candidates(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    ctx, store = _run(path, [_original(), _article("library", LIBRARY),
                             _article("football", FOOTBALL)])
    assert ctx.stats["provenance.candidates-loaded"] == 0
    assert ctx.stats["provenance.reindexed"] == 0
    store.close()

    ctx, store = _run(path, [_republished_copy(), _article("orchard", ORCHARD)])
    with store:
        # Of three stored articles, only the original was loaded and compared.
        assert ctx.stats["provenance.candidates-loaded"] == 1
        copies = [e for e in store.edges_touching(["aggregator-bridge"])
                  if e.kind is not ProvenanceKind.ATTRIBUTED]
        assert [(e.source, e.target, e.kind) for e in copies] == [
            ("courier-bridge", "aggregator-bridge", ProvenanceKind.VERBATIM)]
        [copy] = store.get_articles(["aggregator-bridge"])
        assert REPUBLISHED in copy.flags
        assert len(LshIndex(store)) == 5


def test_step_backfills_a_store_older_than_the_index_once(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    with Store.open(path) as store:
        store.put_articles([_original(), _article("library", LIBRARY)])
    ctx, store = _run(path, [_republished_copy()])
    with store:
        assert ctx.stats["provenance.reindexed"] == 2
        assert ctx.stats["provenance.candidates-loaded"] == 1
        edges = store.edges_touching(["aggregator-bridge"])
        assert any(e.source == "courier-bridge" for e in edges)
    ctx, store = _run(path, [_article("orchard", ORCHARD)])
    with store:
        assert ctx.stats["provenance.reindexed"] == 0
        assert ctx.stats["provenance.candidates-loaded"] == 0


def test_story_candidates_are_the_articles_of_the_closest_story(tmp_path: Path) -> None:
    """A rewrite that shares no 5-gram with its original is still compared with it when
    it would join the original's story; other stories' articles are not loaded."""
    with Store.open(tmp_path / "c.db") as store:
        bridge, library = _original(), _article("library", LIBRARY)
        bridge.embedding, library.embedding = [1.0, 0.1, 0.0], [0.0, 0.1, 1.0]
        store.put_articles([bridge, library])
        store.put_story_states([
            StoryState("s-bridge", 1, np.array([1.0, 0.1, 0.0], dtype=np.float32)),
            StoryState("s-library", 1, np.array([0.0, 0.1, 1.0], dtype=np.float32))])
        store.assign_story({"courier-bridge": "s-bridge", "library": "s-library"})
        rewrite = _article("rewrite", ["A cracked girder shut the Wenna crossing."])
        rewrite.embedding = [0.9, 0.2, 0.1]
        unrelated = _article("unrelated", ["Something else."])
        unrelated.embedding = [0.0, 1.0, 0.0]
        assert story_candidates(store, [rewrite], exclude=set()) == ["courier-bridge"]
        assert story_candidates(store, [unrelated], exclude=set()) == []
        assert story_candidates(store, [rewrite], exclude={"courier-bridge"}) == []


def test_same_articles_in_one_batch_are_compared_in_memory(tmp_path: Path) -> None:
    ctx, store = _run(tmp_path / "c.db", [_original(), _republished_copy()])
    with store:
        assert ctx.stats["provenance.candidates-loaded"] == 0
        assert any(e.kind is ProvenanceKind.VERBATIM
                   for e in store.edges_touching(["aggregator-bridge"]))


def test_candidates_loaded_do_not_grow_with_the_store(tmp_path: Path) -> None:
    """Forty unrelated stored articles: the later copy still loads one article."""
    path = tmp_path / "c.db"
    filler = [_article(f"filler-{i}", [f"{p} Item {i} of the local digest."
                                       for p in (LIBRARY, FOOTBALL, ORCHARD)[i % 3]])
              for i in range(40)]
    with Store.open(path) as store:
        store.put_articles([_original(), *filler])
        _signed(LshIndex(store), _original(), *filler)
    ctx, store = _run(path, [_republished_copy()])
    with store:
        assert ctx.stats["provenance.candidates-loaded"] == 1


# --- one run or two: the same provenance ---------------------------------------------

DEMO = Path(__file__).resolve().parents[1] / "examples" / "demo"


def _through_clustering(inputs: list[str], db: Path) -> None:
    """The default pipeline up to story clustering (what provenance and the next
    run's story candidates depend on); analysis and summary are left out for speed."""
    steps = default_steps()
    last = next(i for i, step in enumerate(steps) if isinstance(step, ClusterStep))
    with Store.open(db) as store:
        ctx = RunContext(store=store)
        LocalExecutor(workers=1).run(Pipeline(steps[: last + 1]), inputs, ctx)


def _provenance(db: Path) -> tuple[list[tuple[str, str, str]], dict[str, str]]:
    with sqlite3.connect(db) as conn:
        edges = sorted(conn.execute("SELECT source, target, kind FROM provenance_edges"))
        flags = dict(conn.execute("SELECT id, flags FROM articles"))
    return edges, flags


def test_demo_in_two_runs_gives_the_provenance_of_one_run(tmp_path: Path) -> None:
    """Originals and first copies in one run, the other copies (republished, wire,
    spun) in a later one: the index and the story candidates find every edge the
    single run finds, the spun copies' paraphrase edges included."""
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    for path in DEMO.iterdir():
        if path.suffix in {".txt", ".html", ".jsonl"}:
            early = any(f"-0{n}-" in path.name for n in (1, 2, 3))
            shutil.copy(path, first if early else second)
    _through_clustering([str(first), str(second)], tmp_path / "one.db")
    _through_clustering([str(first)], tmp_path / "two.db")
    _through_clustering([str(second)], tmp_path / "two.db")
    one_edges, one_flags = _provenance(tmp_path / "one.db")
    two_edges, two_flags = _provenance(tmp_path / "two.db")
    assert any(kind == "paraphrase" for _, _, kind in one_edges)
    assert two_edges == one_edges
    assert two_flags == one_flags
