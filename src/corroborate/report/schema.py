"""The report's JSON Schema, and checks that a report dict honours the contract.

Two layers: the JSON Schema (report.schema.json, draft 2020-12) pins names, types and
enums; `reference_problems` checks what a schema cannot express, i.e. that every id
a story or citation names is an article in the report and every offset lies inside
that article's text.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator, Mapping
from importlib import resources
from typing import Any

from corroborate.errors import UsageError

SCHEMA_FILE = "report.schema.json"
# How many problems a ValueError message lists before summarising the rest: enough
# to see a pattern, short enough to read in a terminal.
_MAX_LISTED = 5


def load_schema() -> dict[str, Any]:
    """The report JSON Schema shipped inside the package."""
    text = resources.files("corroborate.report").joinpath(SCHEMA_FILE).read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def validate_report(report: Mapping[str, Any], *, check_references: bool = True) -> None:
    """Raise ValueError naming the first bad field if `report` breaks the contract.

    The schema check uses `jsonschema`, which is a dev dependency only (the pipeline
    never validates its own output at run time), so it is imported here, lazily, and
    a missing install is a UsageError that says what to install. With
    `check_references` (the default) dangling article ids and offsets outside an
    article's text are errors too.
    """
    schema_errors = _schema_errors(report)
    if schema_errors:
        raise ValueError(_summarise("report does not match the schema", schema_errors))
    if check_references:
        problems = reference_problems(report)
        if problems:
            raise ValueError(_summarise("report has dangling references", problems))


def _schema_errors(report: Mapping[str, Any]) -> list[str]:
    try:
        # import_module rather than `import`: jsonschema ships no type information,
        # and this keeps mypy --strict clean without an ignore comment.
        jsonschema = importlib.import_module("jsonschema")
    except ImportError as err:
        raise UsageError(
            "Validating a report needs jsonschema: pip install 'corroborate[dev]'."
        ) from err
    validator = jsonschema.Draft202012Validator(_inlined(load_schema()))
    errors = sorted(validator.iter_errors(report), key=lambda e: list(e.absolute_path))
    return [f"{_json_path(e.absolute_path)}: {e.message}" for e in errors]


def _inlined(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with every local `$ref` replaced by its definition.

    Resolving a `$ref` per item made validation about 3x slower (100k spans: 5.9 s
    with refs, 1.9 s inlined, jsonschema 4.26); a report has one span per sentence, so
    it adds up. Our definitions are not recursive, so inlining terminates.
    """
    defs = schema.get("$defs", {})

    def inline(node: Any) -> Any:
        if isinstance(node, list):
            return [inline(item) for item in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref", "")
        resolved = inline(defs[ref.removeprefix("#/$defs/")]) if ref.startswith("#/$defs/") \
            else {}
        rest = {k: inline(v) for k, v in node.items() if k not in ("$ref", "$defs")}
        return {**resolved, **rest}

    result: dict[str, Any] = inline(schema)
    return result


def _json_path(path: Any) -> str:
    """`stories[0].claims[1].status` from jsonschema's deque of keys and indices."""
    out = "report"
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def _summarise(headline: str, problems: list[str]) -> str:
    listed = "; ".join(problems[:_MAX_LISTED])
    more = len(problems) - _MAX_LISTED
    suffix = f" (and {more} more)" if more > 0 else ""
    return f"{headline}: {listed}{suffix}"


def reference_problems(report: Mapping[str, Any]) -> list[str]:
    """Every dangling id or out-of-range offset in a schema-valid report, in order.

    Provenance endpoints are not checked: they may name sources outside the corpus
    (e.g. `outlet:Some Paper`).
    """
    texts = {a["id"]: a["text"] for a in report["articles"]}
    story_ids = [s["id"] for s in report["stories"]]
    problems = _duplicates("article", [a["id"] for a in report["articles"]])
    problems += _duplicates("story", story_ids)
    for i, article in enumerate(report["articles"]):
        problems += _article_problems(f"report.articles[{i}]", article, set(story_ids))
    for i, story in enumerate(report["stories"]):
        problems += _story_problems(f"report.stories[{i}]", story, texts)
    return problems


def _duplicates(kind: str, ids: list[str]) -> list[str]:
    seen: set[str] = set()
    problems = []
    for item in ids:
        if item in seen:
            problems.append(f"duplicate {kind} id {item!r}")
        seen.add(item)
    return problems


def _article_problems(where: str, article: Mapping[str, Any], story_ids: set[str]) -> list[str]:
    problems = []
    if article["story"] is not None and article["story"] not in story_ids:
        problems.append(f"{where}.story: no story {article['story']!r}")
    length = len(article["text"])
    for key in ("sentences", "entities", "quotes"):
        for j, span in enumerate(article[key]):
            problems += _range_problems(f"{where}.{key}[{j}]", span["start"], span["end"], length)
            if key == "entities" and span["text"] != article["text"][span["start"]:span["end"]]:
                problems.append(f"{where}.{key}[{j}]: text {span['text']!r} is not its span")
            if key == "quotes" and span["speaker_start"] is not None:
                problems += _range_problems(f"{where}.{key}[{j}] speaker",
                                            span["speaker_start"], span["speaker_end"], length)
    return problems


def _story_problems(where: str, story: Mapping[str, Any], texts: Mapping[str, str]) -> list[str]:
    problems = []
    for field, ids in _story_id_lists(story):
        problems += [f"{where}.{field}: no article {i!r}" for i in ids if i not in texts]
    for field, cited in _story_citations(story):
        article_id = cited["article"]
        if article_id not in texts:
            problems.append(f"{where}.{field}: no article {article_id!r}")
        else:
            problems += _range_problems(f"{where}.{field}", cited["start"], cited["end"],
                                        len(texts[article_id]))
    return problems


def _story_id_lists(story: Mapping[str, Any]) -> Iterator[tuple[str, list[str]]]:
    yield "articles", story["articles"]
    for i, fact in enumerate(story["facts"]):
        yield f"facts[{i}].support", fact["support"]
    for i, claim in enumerate(story["claims"]):
        yield f"claims[{i}].support", claim["support"]
    for i, entry in enumerate(story["timeline"]):
        yield f"timeline[{i}].articles", entry["articles"]
    for i, family in enumerate(story["families"]):
        yield f"families[{i}]", family


def _story_citations(story: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Every (article, start, end) a story points at, with where it sits in the story."""
    for i, sentence in enumerate(story["summary"]):
        for j, cited in enumerate(sentence["citations"]):
            yield f"summary[{i}].citations[{j}]", cited
    for i, entity in enumerate(story["entities"]):
        for j, cited in enumerate(entity["mentions"]):
            yield f"entities[{i}].mentions[{j}]", cited
    for i, quote in enumerate(story["quotes"]):
        yield f"quotes[{i}]", quote
    for i, entry in enumerate(story.get("ledger", [])):
        yield f"ledger[{i}].first", entry["first"]
        for j, carrier in enumerate(entry["carriers"]):
            yield f"ledger[{i}].carriers[{j}]", carrier
    for i, fact in enumerate(story["facts"]):
        for j, cited in enumerate(fact["citations"]):
            yield f"facts[{i}].citations[{j}]", cited
    for i, claim in enumerate(story["claims"]):
        for j, stance in enumerate(claim["stances"]):
            yield f"claims[{i}].stances[{j}]", stance
    for i, entry in enumerate(story["timeline"]):
        for j, cited in enumerate(entry["citations"]):
            yield f"timeline[{i}].citations[{j}]", cited


def _range_problems(where: str, start: int, end: int | None, length: int) -> list[str]:
    if end is None or not 0 <= start <= end <= length:
        return [f"{where}: span [{start}, {end}) outside the text (length {length})"]
    return []
