"""Copy detection and direction on a labelled corpus derived from real news texts.

    .venv/bin/python bench/provenance.py [--originals 300] [--seed 1] [--json] [--scale N]

Originals are real articles from ../shared/datasets: ECB+ documents (detokenised, the
URL line of `ecbplus` documents dropped), whole sub-topics at a time so that other
reports of the same event are in the corpus as hard negatives, and PolNeAR texts.
Originals that credit an agency are skipped (the gold direction of a copy of a copy is
ambiguous), and so is an original that shares a fifth of its word 4-grams with an
earlier one (real copies inside the data set). Most originals get one derived copy of one kind:

- boilerplate: verbatim, wrapped in invented site furniture (menus, share bars,
  "Advertisement", related links, a copyright line, sometimes "Source link");
- partial: a contiguous or scattered 40-70% of the paragraphs;
- reordered: the paragraphs shuffled;
- syndicated: the original is an agency's story; the copy rewrites the lead, drops a
  paragraph or two and carries an agency dateline or credit line;
- spun: 20-35% of the content words swapped by a spinner-style substitution table
  (below; WordNet is not installed and en_core_web_md's pruned vectors share one row
  among unrelated words), and a few rare names garbled;
- none: no copy (the original stays as a negative).

Three in four pairs are dated (the copy one to three days after its original); the
rest have no dates on either side. The real pipeline pieces then run: sentences,
entities and MiniLM vectors (the enrichment steps), and `find_provenance`. A pair is
detected when a copy edge links it in either direction; direction is right when the
edge is directed from the original. Ids are random, so id order tells nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS
from wordfreq import zipf_frequency

from corroborate.enrich.embed import EmbedStep
from corroborate.enrich.entities import EntityStep
from corroborate.enrich.sentences import SentenceStep
from corroborate.model import Article, ProvenanceKind
from corroborate.pipeline.base import RunContext
from corroborate.provenance import find_provenance, read_cues

DATA = Path(__file__).resolve().parents[2] / "shared" / "datasets"
KINDS = ("boilerplate", "partial", "reordered", "syndicated", "spun")
EXPECTED_KIND = {"boilerplate": "verbatim", "partial": "verbatim", "reordered": "verbatim",
                 "syndicated": "syndicated", "spun": "paraphrase"}
MIN_WORDS, MIN_PARAGRAPHS = 150, 5
DATED_SHARE = 0.75
# Two originals sharing this share of the shorter one's word 4-grams copy each other in
# the data set itself (a wire story run by two outlets, a press release quoted at length);
# the later one is dropped. A shared quote or two stays well below (0.02-0.08).
SHARED_4GRAMS = 0.2

# Spinner-style substitutions (word: choices), written for this benchmark in the manner
# of article spinners: thesaurus swaps that keep the meaning but not the idiom.
SYNONYMS = """
said:stated/mentioned says:states/mentions told:advised/instructed tell:inform/notify
asked:requested/questioned announced:introduced/declared reported:documented/stated
added:included people:individuals/folks police:law_enforcement/authorities
officers:officials/cops officials:authorities/representatives official:authority
government:administration/authorities country:nation countries:nations city:metropolis
town:township home:dwelling/residence homes:dwellings/residences house:residence/dwelling
building:edifice water:liquid fire:blaze car:automobile vehicle:conveyance/automobile
company:firm/enterprise business:enterprise/commerce report:account reports:accounts
year:12_months years:a_long_time week:7_days month:thirty_days time:period times:occasions
woman:lady women:ladies/females men:males children:kids/youngsters child:youngster
family:household families:households friends:associates/buddies friend:buddy/pal
members:individuals/participants member:participant leader:chief leaders:chiefs/heads
party:get_together campaign:crusade candidate:nominee/applicant candidates:nominees/hopefuls
voters:electors support:assist help:assist/aid helped:assisted/aided need:require
needs:requires want:wish wanted:needed/wished made:produced take:seize took:seized
gave:offered got:obtained/received went:headed came:arrived saw:witnessed/noticed
known:recognized think:suppose thought:believed believe:imagine used:utilized work:labor
worked:labored/toiled show:exhibit showed:revealed find:locate found:discovered/located
keep:preserve left:departed leave:depart begin:commence began:commenced start:commence
started:commenced ended:concluded including:together_with killed:slain died:perished
death:demise deaths:fatalities dead:lifeless injured:wounded/harmed attack:assault
attacks:assaults shooting:taking_pictures gun:firearm arrested:detained/apprehended
court:tribunal law:legislation prison:penitentiary/jail crime:offense victim:sufferer
victims:casualties hospital:medical_center doctor:physician money:cash/funds price:worth
prices:costs cost:expense deal:settlement plan:scheme plans:schemes issue:difficulty
issues:points problem:drawback problems:troubles question:query questions:queries
statement:assertion comment:remark comments:remarks information:data story:narrative
world:globe area:region areas:regions place:location street:avenue road:highway
school:faculty students:pupils team:crew game:recreation fans:admirers film:movie
star:celebrity actor:performer war:warfare military:armed_forces troops:forces
security:safety earthquake:quake storm:tempest flood:deluge disaster:catastrophe
damage:harm big:huge large:massive small:little new:recent old:aged former:previous
major:significant important:vital/essential many:quite_a_few several:a_number_of
good:wonderful bad:unhealthy best:finest high:excessive long:lengthy early:premature
last:final first:primary next:subsequent local:native national:nationwide
international:worldwide serious:severe strong:sturdy clear:apparent possible:attainable
likely:seemingly real:actual also:additionally very:extremely just:simply
still:nonetheless now:presently recently:lately however:nevertheless quickly:swiftly
later:afterward again:once_more often:usually already:previously really:actually
because:as_a_result_of about:roughly before:previous_to after:following
during:throughout against:in_opposition_to among:amongst under:beneath while:whilst
until:till despite:regardless_of near:close_to within:inside called:referred_to_as
moved:relocated played:performed running:operating tried:attempted change:alteration
changes:modifications opened:unveiled closed:shut held:organized met:encountered
brought:delivered paid:compensated sold:offered lost:misplaced win:prevail won:gained
faces:confronts expected:anticipated expect:anticipate continue:proceed
continued:persisted released:launched decision:determination decided:resolved
agreed:concurred agreement:accord allowed:permitted happened:occurred/transpired
event:occasion events:occasions life:existence night:evening morning:morn hours:hrs
percent:p.c. number:quantity part:portion rest:remainder result:consequence
results:outcomes reason:purpose effort:endeavor efforts:endeavors system:mechanism
office:workplace department:division agency:company residents:inhabitants crowd:throng
fight:combat fighting:combating protest:demonstration protesters:demonstrators
like:such_as going:heading political:governmental election:ballot way:method/approach
debate:dispute/discussion vote:poll know:realize race:contest/competition right:proper
public:communal delegates:representatives federal:governmental saying:stating group:cluster
policy:coverage nomination:candidacy convention:conference man:gentleman tax:levy far:distant
come:arrive case:occasion general:basic season:period point:level news:information
run:operate end:finish lot:great_deal administration:management media:press recent:current
past:previous wrote:penned interview:job_interview lead:guide record:document
director:supervisor health:well_being job:task working:functioning conservative:conventional
economic:financial use:make_use_of better:higher shot:photographed polls:surveys poll:survey
trying:attempting speech:address ago:in_the_past making:creating things:issues nation:country
little:tiny half:fifty_percent care:concern workers:employees history:historical_past
senator:legislator chief:head private:non-public look:glance economy:financial_system
seen:noticed play:perform role:function hard:exhausting head:chief person:particular_person
close:shut hit:strike fact:reality groups:teams earlier:previously trade:commerce
foreign:overseas outside:exterior personal:private victory:win kind:variety pay:compensate
leading:main meeting:assembly thing:factor face:confront nearly:practically led:guided
process:course_of power:energy young:younger release:launch community:neighborhood
message:communication given:offered great:nice different:totally_different turned:grew_to_be
based:primarily_based rally:gathering executive:government control:management winning:successful
able:in_a_position jobs:positions social:societal rules:guidelines having:possessing
class:category taken:seized investigation:inquiry/probe received:acquired getting:acquiring
murder:homicide term:time_period comes:arrives action:motion financial:monetary current:present
ahead:forward course:path majority:bulk spent:expended violence:brutality bill:invoice
career:profession stop:cease spokesman:spokesperson looking:wanting fired:dismissed
future:upcoming final:last conference:convention wife:spouse decades:many_years sent:despatched
needed:wanted reporters:journalists position:place judge:decide talk:discuss
attention:consideration charged:accused bring:convey staff:workers interest:curiosity
noted:famous wants:desires strategy:technique described:portrayed mother:mom
policies:insurance_policies offer:supply latest:newest appeared:seemed global:world
response:reply address:handle chance:likelihood husband:partner manager:supervisor
source:supply senior:elder feel:really_feel especially:particularly let:permit field:subject
sure:positive elected:chosen income:revenue total:complete ground:floor spoke:talked
experience:expertise bank:financial_institution moment:second television:tv numbers:figures
movement:motion spending:expenditure cut:minimize idea:thought order:command defense:protection
try:attempt threat:menace board:panel makes:creates stage:section matter:concern short:quick
actually:truly special:particular loss:defeat data:knowledge legal:authorized
committee:panel probably:most_likely words:phrases leadership:management experts:consultants
suggested:steered critical:important key:important wrong:incorrect raised:elevated
speak:communicate choice:selection opportunity:alternative live:stay significant:vital
series:collection border:frontier remarks:feedback list:checklist evidence:proof center:heart
book:e_book return:come_back thousands:hundreds coach:trainer chairman:chair store:retailer
employees:staff understand:perceive difficult:tough similar:comparable charges:costs
remain:stay remains:stays immediately:instantly killing:slaying raise:elevate crisis:disaster
protect:shield view:perspective industry:trade speaking:talking argued:contended
declined:refused cases:circumstances pass:move middle:center heart:coronary_heart
higher:greater build:construct supporting:backing hands:palms ways:methods signed:inked
organization:group instead:as_a_substitute
"""
_TABLE = {word: choices.split("/") for word, choices in
          (item.split(":", 1) for item in SYNONYMS.split())}
_TABLE = {w: [c.replace("_", " ") for c in cs] for w, cs in _TABLE.items()}
TOP_LINES = ["Home | World | Politics | Business | Sports | Contact",
             "Welcome to {site}, your daily source of news.", "Breaking News",
             "Trending: markets, weather, elections", "Posted by admin"]
MIDDLE_LINES = ["Advertisement", "READ MORE: Ten things you need to know today",
                "Subscribe to our newsletter for the latest updates.",
                "Click here to get breaking news alerts"]
BOTTOM_LINES = ["Share this: Facebook Twitter WhatsApp Email", "Related posts:",
                "Why this matters for your wallet", "Five photos that show the week",
                "Leave a Reply", "Your email address will not be published.",
                "© 2016 {site}. All rights reserved.", "Source link", "Tags: news, world"]
AGENCIES = ["Reuters", "AFP", "Associated Press", "Bloomberg"]
DATELINE_NAMES = {"Reuters": "Reuters", "AFP": "AFP", "Associated Press": "AP"}
CITIES = ["WASHINGTON", "LONDON", "PARIS", "NEW YORK", "LOS ANGELES", "BERLIN"]
_WORD = re.compile(r"[A-Za-z]+")


@dataclass(slots=True)
class Source:
    key: str
    group: str
    paragraphs: list[str]


@dataclass(slots=True)
class Planted:
    original: str
    copy: str
    kind: str
    dated: bool


def detokenize(tokens: list[str]) -> str:
    text = " ".join(tokens)
    for a, b in ((" ,", ","), (" .", "."), (" 's", "'s"), (" n't", "n't"), ("`` ", '"'),
                 (" ''", '"'), (" :", ":"), (" ;", ";"), ("( ", "("), (" )", ")"),
                 (" ?", "?"), (" !", "!"), (" %", "%"), ("$ ", "$")):
        text = text.replace(a, b)
    return text


def ecb_sources() -> list[Source]:
    found = []
    for line in (DATA / "ecbplus" / "documents.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        sentences = row["sentences"][1:] if row["subtopic"] == "ecbplus" else row["sentences"]
        found.append(Source(f"ecb:{row['doc_id']}", f"ecb:{row['topic']}/{row['subtopic']}",
                            [detokenize(s) for s in sentences]))
    return found


def polnear_sources() -> list[Source]:
    found = []
    for path in sorted((DATA / "polnear" / "data").glob("*/text/*.txt")):
        paragraphs = [p.strip() for p in path.read_text(encoding="utf-8").split("\n") if p.strip()]
        found.append(Source(f"polnear:{path.stem}", "polnear", paragraphs))
    return found


def eligible(source: Source) -> bool:
    text = "\n".join(source.paragraphs)
    if len(source.paragraphs) < MIN_PARAGRAPHS or len(text.split()) < MIN_WORDS:
        return False
    return not read_cues(Article(id="x", source="x", text=text)).carries_wire_copy


def select_originals(count: int, rng: random.Random) -> tuple[list[Source], int]:
    """About half ECB+ (whole sub-topics), half PolNeAR; real copies dropped."""
    by_group: dict[str, list[Source]] = defaultdict(list)
    for source in ecb_sources():
        if eligible(source):
            by_group[source.group].append(source)
    groups = sorted(by_group)
    rng.shuffle(groups)
    chosen: list[Source] = []
    for group in groups:
        if len(chosen) >= count // 2:
            break
        chosen.extend(by_group[group])
    polnear = [s for s in polnear_sources() if eligible(s)]
    rng.shuffle(polnear)
    chosen.extend(polnear[:max(0, count - len(chosen))])
    kept: list[Source] = []
    seen: dict[str, set[str]] = {}
    for source in chosen:
        grams = _grams(source)
        if not any(_contained(grams, other) for other in seen.values()):
            kept.append(source)
            seen[source.key] = grams
    return kept, len(chosen) - len(kept)


def _grams(source: Source) -> set[str]:
    words = re.findall(r"\w+", " ".join(source.paragraphs).lower())
    return {" ".join(words[i:i + 4]) for i in range(max(1, len(words) - 3))}


def _contained(one: set[str], two: set[str]) -> bool:
    return len(one & two) >= SHARED_4GRAMS * min(len(one), len(two))


def spin(text: str, share: float, rng: random.Random) -> tuple[str, float]:
    """Swap about `share` of the content words via the table; returns the text and the
    share of content words actually swapped."""
    # Content words: lowercase words that are not function words (names are left to
    # `garble_names`; a capitalised word that opens a sentence may still be swapped).
    words = _WORD.findall(text)
    content = [w for w in words if w.islower() and (w not in STOP_WORDS or w in _TABLE)]
    swappable = [w for w in content if w in _TABLE]
    if not content or not swappable:
        return text, 0.0
    chance = min(1.0, share * len(content) / len(swappable))
    swapped = 0

    def swap(match: re.Match[str]) -> str:
        nonlocal swapped
        word = match.group()
        choices = _TABLE.get(word.lower())
        if choices is None or rng.random() >= chance:
            return word
        swapped += 1
        new = rng.choice(choices)
        return new[0].upper() + new[1:] if word[0].isupper() else new

    return _WORD.sub(swap, text), swapped / len(content)


def garble_names(paragraphs: list[str], rng: random.Random) -> list[str]:
    """Misspell up to three rare capitalised words (names) everywhere they occur."""
    text = "\n".join(paragraphs)
    names = sorted({w for w in re.findall(r"(?<=[a-z,] )[A-Z][a-z]{3,}", text)
                    if zipf_frequency(w.lower(), "en") < 3.5})
    for name in rng.sample(names, min(len(names), rng.randint(1, 3))):
        text = re.sub(rf"\b{name}\b", _garbled(name, rng), text)
    return text.split("\n")


def _garbled(name: str, rng: random.Random) -> str:
    swaps = [("a", "e"), ("e", "a"), ("o", "u"), ("i", "y"), ("k", "c"), ("c", "k"),
             ("ph", "f"), ("ll", "l"), ("ss", "s"), ("tt", "t")]
    options = [(a, b) for a, b in swaps if a in name[1:]]
    if not options:
        return name + "e"
    a, b = rng.choice(options)
    at = name.index(a, 1)
    return name[:at] + b + name[at + len(a):]


def wrap_in_boilerplate(paragraphs: list[str], site: str, rng: random.Random) -> list[str]:
    body = list(paragraphs)
    for line in rng.sample(MIDDLE_LINES, rng.randint(0, 2)):
        body.insert(rng.randint(1, len(body) - 1), line)
    top = rng.sample(TOP_LINES, rng.randint(1, 2))
    bottom = rng.sample(BOTTOM_LINES, rng.randint(3, 5))
    return [line.format(site=site) for line in top] + body + [
        line.format(site=site) for line in bottom]


def partial(paragraphs: list[str], rng: random.Random) -> list[str]:
    keep = max(2, round(len(paragraphs) * rng.uniform(0.4, 0.7)))
    if rng.random() < 0.5:
        start = rng.randint(0, len(paragraphs) - keep)
        return paragraphs[start:start + keep]
    return [paragraphs[i] for i in sorted(rng.sample(range(len(paragraphs)), keep))]


def reordered(paragraphs: list[str], rng: random.Random) -> list[str]:
    shuffled = list(paragraphs)
    while shuffled == paragraphs:
        rng.shuffle(shuffled)
    return shuffled


def syndicated(paragraphs: list[str], agency: str, when: date | None,
               rng: random.Random) -> list[str]:
    lead_at = next((i for i, p in enumerate(paragraphs) if len(p.split()) >= 12), 0)
    lead, _ = spin(paragraphs[lead_at], 0.6, rng)
    if lead.count(",") >= 2:  # a clause cut from the lead
        lead = lead[:lead.rindex(",")] + "."
    body = [*paragraphs[:lead_at], lead, *paragraphs[lead_at + 1:]]
    for _ in range(rng.randint(0, 2) if len(body) >= 8 else 0):
        body.pop(rng.randint(lead_at + 1, len(body) - 1))
    if agency in DATELINE_NAMES and rng.random() < 0.6:
        day = when or date(2016, 5, 1)
        body[lead_at] = (f"{rng.choice(CITIES)}, {day:%b} {day.day} "
                         f"({DATELINE_NAMES[agency]}) - {body[lead_at]}")
    elif agency == "Bloomberg":
        body.append(f"With assistance from {rng.choice(['Ann Lee', 'Tom Hart'])}.")
    else:
        body.append(rng.choice([f"Source: {agency}", f"This story was provided by {agency}."]))
    return body


def generate(originals: list[Source], rng: random.Random
             ) -> tuple[list[Article], list[Planted], list[float]]:
    kinds = [*KINDS, "none"] * (len(originals) // 6 + 1)
    rng.shuffle(kinds)
    used_ids: set[str] = set()
    articles: list[Article] = []
    planted: list[Planted] = []
    spin_rates: list[float] = []
    for number, (source, kind) in enumerate(zip(originals, kinds, strict=False)):
        dated = rng.random() < DATED_SHARE
        when = date(2016, 1, 1) + timedelta(days=rng.randint(0, 700)) if dated else None
        outlet = rng.choice(AGENCIES) if kind == "syndicated" else f"Outlet {number}"
        original = _article(_new_id(rng, used_ids), source.paragraphs, outlet, when)
        articles.append(original)
        if kind == "none":
            continue
        site = f"Newsfeed Hub {number}"
        paragraphs = source.paragraphs
        if kind == "boilerplate":
            paragraphs = wrap_in_boilerplate(paragraphs, site, rng)
        elif kind == "partial":
            paragraphs = partial(paragraphs, rng)
        elif kind == "reordered":
            paragraphs = reordered(paragraphs, rng)
        elif kind == "syndicated":
            paragraphs = syndicated(paragraphs, outlet, when, rng)
        else:
            share = rng.uniform(0.2, 0.35)
            spun = [spin(p, share, rng) for p in paragraphs]
            paragraphs = garble_names([text for text, _ in spun], rng)
            spin_rates.append(sum(rate for _, rate in spun) / len(spun))
        later = when + timedelta(days=rng.randint(1, 3)) if when else None
        copy = _article(_new_id(rng, used_ids), paragraphs, site, later)
        articles.append(copy)
        planted.append(Planted(original.id, copy.id, kind, dated))
    rng.shuffle(articles)
    return articles, planted, spin_rates


def _article(article_id: str, paragraphs: list[str], outlet: str, when: date | None) -> Article:
    text = "\n\n".join(paragraphs)
    return Article(id=article_id, source=article_id, raw=text, text=text, outlet=outlet,
                   published=when.isoformat() if when else None,
                   content_hash=hashlib.sha1(text.encode()).hexdigest())


def _new_id(rng: random.Random, used: set[str]) -> str:
    while (new := f"{rng.getrandbits(40):010x}") in used:
        pass
    used.add(new)
    return new


def evaluate(planted: list[Planted], edges: list[Any]) -> dict[str, Any]:
    gold = {frozenset((p.original, p.copy)): p for p in planted}
    kind_of = {p.copy: p.kind for p in planted}
    links = {frozenset((e.source, e.target)): e for e in edges
             if e.kind is not ProvenanceKind.ATTRIBUTED}
    rows: dict[str, Counter[str]] = defaultdict(Counter)
    for pair, p in gold.items():
        row = rows[p.kind]
        row["pairs"] += 1
        edge = links.get(pair)
        if edge is None:
            continue
        row["found"] += 1
        row["label"] += edge.kind.value == EXPECTED_KIND[p.kind]
        timing = "dated" if p.dated else "undated"
        row[f"{timing}.found"] += 1
        if edge.directed:
            row[f"{timing}.right"] += edge.source == p.original
        else:
            row[f"{timing}.undirected"] += 1
    for pair, edge in links.items():
        if pair not in gold:
            involved = [kind_of[i] for i in pair if i in kind_of]
            rows[involved[0] if involved else "originals"]["false"] += 1
            rows["__false_examples"][f"{edge.source}->{edge.target} {edge.kind.value}"] += 1
    examples = list(rows.pop("__false_examples", Counter()))[:10]
    total: Counter[str] = Counter()
    for row in rows.values():
        total.update(row)
    return {"kinds": {k: _scores(v) for k, v in sorted(rows.items())},
            "all": _scores(total), "false_examples": examples}


def _scores(row: Counter[str]) -> dict[str, Any]:
    found, pairs, false = row["found"], row["pairs"], row["false"]
    precision = found / (found + false) if found + false else 1.0
    recall = found / pairs if pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    scores: dict[str, Any] = {"pairs": pairs, "found": found, "false": false,
                              "precision": round(precision, 3), "recall": round(recall, 3),
                              "f1": round(f1, 3),
                              "label_right": round(row["label"] / found, 3) if found else None}
    for timing in ("dated", "undated", ""):
        keys = [timing] if timing else ["dated", "undated"]
        done = sum(row[f"{t}.found"] for t in keys)
        right = sum(row[f"{t}.right"] for t in keys)
        undirected = sum(row[f"{t}.undirected"] for t in keys)
        name = f"direction_{timing}" if timing else "direction"
        scores[name] = {"pairs": done, "accuracy": round(right / done, 3) if done else None,
                        "undirected": undirected}
    return scores


def run(count: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    originals, dropped = select_originals(count, rng)
    articles, planted, spin_rates = generate(originals, rng)
    ctx = RunContext()
    started = time.perf_counter()
    steps = (SentenceStep(), EntityStep(), EmbedStep())
    stream: Any = articles
    for step in steps:
        stream = step.run(stream, ctx)
    articles = list(stream)
    enriched = time.perf_counter()
    result = find_provenance(articles)
    finished = time.perf_counter()
    scores = evaluate(planted, result.edges)
    scores["corpus"] = {
        "seed": seed, "originals": len(originals), "copies": len(planted),
        "articles": len(articles), "dropped_real_copies": dropped,
        "ecb_originals": sum(1 for s in originals if s.key.startswith("ecb:")),
        "mean_spin_share": round(sum(spin_rates) / len(spin_rates), 3) if spin_rates else None,
    }
    scores["throughput"] = {
        "find_provenance_articles_per_s": round(len(articles) / (finished - enriched), 1),
        "whole_run_articles_per_s": round(len(articles) / (finished - started), 1),
        "enrichment_s": round(enriched - started, 1),
        "find_provenance_s": round(finished - enriched, 1),
    }
    return scores


def print_report(scores: dict[str, Any]) -> None:
    corpus, speed = scores["corpus"], scores["throughput"]
    print(f"seed {corpus['seed']}: {corpus['originals']} originals ({corpus['ecb_originals']} "
          f"ECB+, rest PolNeAR; {corpus['dropped_real_copies']} real copies dropped), "
          f"{corpus['copies']} copies, {corpus['articles']} articles; "
          f"spun copies swap {corpus['mean_spin_share']} of content words on average")
    print(f"{'kind':12s} {'pairs':>5s} {'found':>5s} {'false':>5s} {'P':>6s} {'R':>6s} "
          f"{'F1':>6s} {'label':>6s} {'dir':>6s} {'dated':>6s} {'undated':>8s} {'undir':>5s}")
    for name, row in [*scores["kinds"].items(), ("all", scores["all"])]:
        direction = row["direction"]
        undirected = direction["undirected"]

        def fmt(value: float | None) -> str:
            return "-" if value is None else f"{value:.3f}"

        print(f"{name:12s} {row['pairs']:5d} {row['found']:5d} {row['false']:5d} "
              f"{row['precision']:6.3f} {row['recall']:6.3f} {row['f1']:6.3f} "
              f"{fmt(row['label_right']):>6s} {fmt(direction['accuracy']):>6s} "
              f"{fmt(row['direction_dated']['accuracy']):>6s} "
              f"{fmt(row['direction_undated']['accuracy']):>8s} {undirected:5d}")
    for example in scores["false_examples"]:
        print(f"  false link: {example}")
    print(f"throughput: find_provenance {speed['find_provenance_articles_per_s']} articles/s "
          f"({speed['find_provenance_s']} s); whole run (sentences, entities, vectors, "
          f"provenance) {speed['whole_run_articles_per_s']} articles/s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--originals", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument("--scale", type=int, default=None, metavar="N",
                        help="also run bench/provenance_scale.py on N generated documents")
    args = parser.parse_args()
    if not (DATA / "ecbplus").is_dir() or not (DATA / "polnear").is_dir():
        print(f"skipped: ECB+ and PolNeAR not found under {DATA}", file=sys.stderr)
        return 0
    scores = run(args.originals, args.seed)
    scale = _scale_module() if args.scale is not None else None
    if scale is not None:
        scores["scale"] = scale.run_scale(args.scale, seed=args.seed)
    if args.json:
        print(json.dumps(scores, indent=2))
        return 0
    print_report(scores)
    if scale is not None:
        print()
        scale.print_report(scores["scale"])
    return 0


def _scale_module() -> Any:
    """bench/provenance_scale.py (signatures and LSH at scale), imported only when asked."""
    try:
        import provenance_scale
    except ImportError:
        print("scale run skipped: bench/provenance_scale.py is not there", file=sys.stderr)
        return None
    return provenance_scale


if __name__ == "__main__":
    raise SystemExit(main())
