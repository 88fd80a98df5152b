"""Citation metadata: what a document says about itself, then metadata.json beside it, field by field.

Heuristics find the title (law name or short first line), date, publisher ("来源:" line), region
(a province in the title, 全国 for national issuers) and script; `apply_metadata` lets a
metadata.json entry override them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.datafiles import alternation, read_list
from app.ingest.meta_fields import checked_fields
from app.ingest.report import LoadError
from app.models import PAGE_BREAK, DocMeta
from app.text.glossary import SHORT_PROVINCE
from app.text.normalize import detect_document_script, to_simplified

METADATA_FILE = "metadata.json"
TITLE_MAX_CHARS = 60
HEAD_CHARS = 1500  # dates are looked for in the first HEAD_CHARS characters


# --------------------------------------------------------------------------- metadata.json


def read_metadata(folder: Path, warn: Callable[[str], None] | None = None) -> dict[str, dict]:
    """metadata.json beside the documents, keyed by relative file name; {} if absent.

    Keys starting with "_" (comments such as "_about") are dropped. Raises LoadError with a clear
    message when the file is not valid JSON or not an object. An entry that is not an object, and
    a field of the wrong type (a number as publisher, a list as title), is dropped and `warn` is
    told (app/ingest/meta_fields.py); the rest of the file still applies.
    """
    file = Path(folder) / METADATA_FILE
    if not file.is_file():
        return {}
    try:
        raw = json.loads(file.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise LoadError(f"{METADATA_FILE} is not UTF-8: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise LoadError(
            f"{METADATA_FILE} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from exc
    except OSError as exc:
        raise LoadError(f"cannot read {METADATA_FILE}: {exc}") from exc
    if not isinstance(raw, dict):
        raise LoadError(f"{METADATA_FILE} must be a JSON object keyed by file name, not {type(raw).__name__}")
    out: dict[str, dict] = {}
    for key, entry in raw.items():
        if key.startswith("_"):
            continue
        name = key.replace("\\", "/")
        problems: list[str] = []
        if isinstance(entry, dict):
            out[name] = checked_fields(entry, problems.append)
        else:
            problems.append(f"must be an object of fields, not {type(entry).__name__}: ignored")
        for problem in problems:
            if warn is not None:
                warn(f"entry {name!r}: {problem}")
    return out


def metadata_entry(metadata: dict[str, dict], rel: str) -> dict:
    """The metadata.json entry of a file: by its relative path, else by the path without suffix."""
    if rel in metadata:
        return metadata[rel]
    stem = rel.rsplit(".", 1)[0]
    return metadata.get(stem, {})


_OVERRIDABLE = frozenset(DocMeta.__dataclass_fields__) - {"extra", "source_path"}


def apply_metadata(meta: DocMeta, entry: dict) -> None:
    """metadata.json wins field by field; a key present with null clears the guess (except title)."""
    for key, value in entry.items():
        if key == "title" and not value:
            continue
        if key == "extra" and isinstance(value, dict):
            meta.extra.update(value)
        elif key in _OVERRIDABLE:
            setattr(meta, key, value)
        else:
            meta.extra[key] = value


# --------------------------------------------------------------------------- heuristics

_FULLWIDTH = str.maketrans("０１２３４５６７８９：／－．", "0123456789:/-.")
_DATE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*(?:年\s*(?P<m1>\d{1,2})\s*月\s*(?P<d1>\d{1,2})\s*日"
    r"|[-/.](?P<m2>\d{1,2})[-/.](?P<d2>\d{1,2})(?!\d))"
)
_PUBLISHER = re.compile(
    r"(?:^|[ \t\u3000])(?:来源|來源)[ \t\u3000]*(?:[:：]|于|於)[ \t\u3000]*([^\n]+)", re.M
)
_PUBLISHER_END = re.compile(
    r"\s{2,}|\u3000|[|｜]|\s*(?:" + alternation(read_list("ingest/byline_labels.txt", phrases=True)) + ")"
)
_LAW_TITLE = re.compile(
    r"^《?((?:中华人民共和国|中華人民共和國)[\u4e00-\u9fff]{1,30}(?:法|条例|條例))》?"
    r"((?:[(（][^()（）\n]{1,20}[)）])?)(?=[\s（(》]|$)"
)
_WEB_TITLE_SEP = re.compile(r"\s*(?<!\d)[-_|｜](?!\d)\s*")
_SENTENCE_END = ("。", "！", "？", "；", "!", "?", ";")
_PROVINCE_RE = re.compile("|".join(sorted(SHORT_PROVINCE, key=len, reverse=True)))


def split_web_title(line: str) -> tuple[str, str | None]:
    """Split "X-工会-中工网" into ("X", "中工网"): a page title followed by short channel/site names."""
    parts = [p for p in _WEB_TITLE_SEP.split(line.strip()) if p]
    if len(parts) >= 2 and len(parts[0]) >= 4 and all(len(p) <= 12 for p in parts[1:]):
        return parts[0], parts[-1]
    return line.strip(), None


def find_date(text: str) -> str | None:
    """First YYYY-MM-DD, YYYY/M/D, YYYY.M.D or YYYY年M月D日 that is a real date → "YYYY-MM-DD"."""
    for match in _DATE.finditer(text.translate(_FULLWIDTH)):
        year = int(match["y"])
        month = int(match["m1"] or match["m2"])
        day = int(match["d1"] or match["d2"])
        try:
            return dt.date(year, month, day).isoformat()
        except ValueError:
            continue
    return None


def find_publisher(text: str) -> str | None:
    """The value of the first "来源:" / "來源:" / "来源于" line (or byline item)."""
    match = _PUBLISHER.search(text)
    if not match:
        return None
    value = _PUBLISHER_END.split(match.group(1).strip(), maxsplit=1)[0].strip(" :：,，。")
    return value if 0 < len(value) <= 50 else None


def guess_title(text: str, fallback: str) -> str:
    """Law name on the first line; else the first non-empty line if short and not a sentence; else fallback.

    A first line like "X-工会-中工网" gives "X".
    """
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    first = first.replace(PAGE_BREAK, "").strip()
    law = _LAW_TITLE.match(first)
    if law:
        return law.group(1) + law.group(2)
    if first and len(first) <= TITLE_MAX_CHARS and not first.endswith(_SENTENCE_END):
        return split_web_title(first)[0]
    return fallback


def guess_region(title: str) -> str | None:
    """A province-level name in the title (湖北 → 湖北省); 全国 for national issuers; else None."""
    simplified = to_simplified(title)
    if simplified.startswith(read_list("ingest/national_prefixes.txt", phrases=True)):
        return "全国"
    match = _PROVINCE_RE.search(simplified)
    return SHORT_PROVINCE[match.group(0)] if match else None


def extract_meta(
    text: str,
    rel: str,
    title: str | None = None,
    site: str | None = None,
    hints: dict[str, str] | None = None,
) -> DocMeta:
    """What the document says about itself. `title`/`site` come from the format (HTML <title>)."""
    hints = hints or {}
    head = text[:HEAD_CHARS]
    stem = Path(rel).stem
    if not title:
        title = guess_title(text, stem)
        first = next((line.strip() for line in text.splitlines() if line.strip()), "")
        if site is None and title != first:
            site = split_web_title(first)[1]
    date = find_date(hints.get("meta_date", "")) or find_date(head)
    if date is None and hints.get("page_text"):
        date = find_date(hints["page_text"][:HEAD_CHARS])
    publisher = hints.get("meta_publisher") or find_publisher(text)
    if publisher is None and hints.get("page_text"):
        publisher = find_publisher(hints["page_text"])
    extra: dict[str, Any] = {}
    if hints.get("encoding"):
        extra["encoding"] = hints["encoding"]
    return DocMeta(
        title=title,
        publisher=publisher,
        date=date,
        region=guess_region(title),
        script=detect_document_script(text),
        source_site=site,
        source_path=rel,
        extra=extra,
    )
