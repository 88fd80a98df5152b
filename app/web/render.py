"""Turns → chat messages, and the hotline panel: Markdown in which every document string is escaped.

Document text (passages, titles, headings, answers quoted from documents) only ever reaches the page
through `escape_md`; the only markup added here is our own (`<mark>`, `<small>`, `<a id=...>`, links
to `#gy-cite-<turn>-<n>`), which Gradio's sanitizer keeps.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterator, Sequence
from typing import Any

from app.answer.evidence.patterns import COUNT, FIGURE
from app.answer.labels import citation_label, meta_text, section_of
from app.models import Hit
from app.pipeline import AskResult
from app.text.normalize import to_script
from app.web.answerer import Turn
from app.web.i18n import examples_for, t

STREAM_MAX_PIECES = 8  # so even a long answer has finished streaming after about 0.3 s

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$:@])")  # ":" and "@" stop autolinks
_MARKER = re.compile(r"\[(\d+)\]")
# A figure of the direct answer, emphasised so a worker reading on a phone sees it first: a count,
# sum or share with its unit (98天, 六个月, 百分之二百, 270.5万人); never an article number (第四十七条).
_KEY_FIGURE = re.compile(rf"{COUNT}\s*(?:个月|天|周岁)|{FIGURE}|百分之[零一二三四五六七八九十百千点]+")


def escape_md(text: str) -> str:
    """Document text → Markdown that shows it literally: no HTML, no images, no links, no math.

    Backslash-escape Markdown punctuation first, then HTML-escape (`html.escape(t)` + the `![` guard
    is the minimum; escaping every Markdown character also keeps `*`, `_`, `[x](y)` and `$$` literal).
    """
    return html.escape(_MD_SPECIAL.sub(r"\\\1", text)).replace("![", "!\\[")


def in_script(text: str, lang: str) -> str:
    """The answer in the script the UI shows (English UI: as the pipeline wrote it)."""
    return to_script(text, {"zh-Hant": "traditional", "zh-Hans": "simplified"}.get(lang, ""))


def label_language(lang: str) -> str:
    return "zh-Hant" if lang == "zh-Hant" else "zh-Hans"


def anchor_id(turn: int, n: int) -> str:
    return f"gy-cite-{turn}-{n}"


def emphasised(text: str) -> str:
    """Escaped text with each figure in <strong> (escape_md never lets a document's own tags through)."""
    out, last = [], 0
    # Figures are found in simplified script (萬人 → 万人, 個 → 个) and shown as written; OpenCC
    # maps character for character here, else the text is searched as it is.
    form = to_script(text, "simplified")
    for match in _KEY_FIGURE.finditer(form if len(form) == len(text) else text):
        start, end = match.span()
        out.append(f"{escape_md(text[last:start])}<strong>{escape_md(text[start:end])}</strong>")
        last = end
    return "".join(out) + escape_md(text[last:])


def answer_markdown(text: str, turn: int, known: set[int] | None = None) -> str:
    """Escaped answer text whose [n] markers link to their passage (#gy-cite-<turn>-<n>); the
    figures of its first sentence, the direct answer, are emphasised."""
    out, last = [], 0
    for match in _MARKER.finditer(text):
        n = int(match.group(1))
        segment = text[last : match.start()]
        out.append(emphasised(segment) if last == 0 else escape_md(segment))
        if known is None or n in known:
            out.append(f"[\\[{n}\\]](#{anchor_id(turn, n)})")
        else:
            out.append(escape_md(match.group()))
        last = match.end()
    out.append(escape_md(text[last:]))
    return "".join(out)


def highlight(passage: str, sentences: Sequence[str]) -> str:
    """The escaped passage with each cited sentence (escaped) wrapped in <mark>."""
    spans: list[tuple[int, int]] = []
    for sentence in sentences:
        if not sentence:
            continue
        start = passage.find(sentence)
        while start != -1:
            spans.append((start, start + len(sentence)))
            start = passage.find(sentence, start + len(sentence))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    out, last = [], 0
    for start, end in merged:
        out.append(escape_md(passage[last:start]))
        out.append(f"<mark>{escape_md(passage[start:end])}</mark>")
        last = end
    out.append(escape_md(passage[last:]))
    return "".join(out)


def _source_parts(hit: Hit, lang: str) -> list[str]:
    """《title》第X条, publisher, date, section heading: metadata in the UI's script."""
    meta = hit.meta
    date = meta_text(meta, "date")
    parts = [citation_label(hit, label_language(lang), full=True), meta_text(meta, "publisher"), date]
    parts.append(section_of(hit))
    if lang != "en":
        parts = [in_script(p, lang) for p in parts]
    if not date:
        parts[2] = t(lang, "date_unknown")
    return [p for p in parts if p]


def source_line(hit: Hit, lang: str) -> str:
    """《title》第X条 · publisher · date · heading, as plain text (escape before rendering)."""
    return " · ".join(_source_parts(hit, lang))


def formal_citation(n: int, hit: Hit, lang: str) -> str:
    """[n] 《title》第X条，publisher，date，section — for pasting into a hotline ticket or a letter."""
    return f"[{n}] " + (", " if lang == "en" else "，").join(_source_parts(hit, lang))


def formal_text(result: AskResult, lang: str) -> str:
    answer = result.answer
    lines = [in_script(answer.shown, lang)]
    if answer.citations:
        lines += ["", t(lang, "sources")]
        lines += [formal_citation(c.n, c.hit, lang) for c in answer.citations]
    return "\n".join(lines)


def _user_message(turn: Turn) -> dict[str, Any]:
    return {"role": "user", "content": escape_md(turn.question)}


REFUSAL_SUGGESTIONS = 3


def _refusal_message(text: str, lang: str) -> dict[str, Any]:
    """The refusal, then questions to try in the user's language as buttons (Gradio's message
    options: a click asks the question, app.py's option_select)."""
    suggestions = examples_for(lang)[:REFUSAL_SUGGESTIONS]
    return {
        "role": "assistant",
        "content": f"{escape_md(in_script(text, lang))}\n\n{t(lang, 'refusal_tip')}",
        "options": [{"value": q, "label": q} for q in suggestions],
    }


def render_turn(turn: Turn, number: int, lang: str, partial: str | None = None) -> list[dict[str, Any]]:
    """The chat messages of one turn; `partial` is the answer text streamed so far."""
    messages = [_user_message(turn)]
    if turn.kind == "message":
        messages.append({"role": "assistant", "content": t(lang, turn.message_key, **turn.message_args)})
        return messages
    if turn.kind == "search":
        hits = turn.search.hits if turn.search else []
        key = "search_done" if hits else "search_none"
        messages.append({"role": "assistant", "content": t(lang, key, n=len(hits))})
        for hit in hits:
            messages.append(
                {
                    "role": "assistant",
                    "content": escape_md(hit.chunk.text),
                    "metadata": {
                        "title": f"{hit.rank}. {escape_md(source_line(hit, lang))}",
                        "status": "done",
                    },
                }
            )
        return messages
    assert turn.result is not None
    answer = turn.result.answer
    if answer.refused:
        messages.append(_refusal_message(answer.text, lang))
        return messages
    known = {c.n for c in answer.citations}
    text = in_script(answer.shown, lang)
    if partial is not None:
        messages.append({"role": "assistant", "content": answer_markdown(partial, number, known)})
        return messages
    note = f"\n\n<small>{t(lang, 'model_note')}</small>" if turn.result.report.writes_text else ""
    if answer.lead:  # the direct answer on its own line, in bold
        lead = answer_markdown(in_script(answer.lead, lang), number, known)
        body = f"<strong>{lead}</strong>\n\n" + answer_markdown(in_script(answer.text, lang), number, known)
    else:
        body = answer_markdown(text, number, known)
    messages.append({"role": "assistant", "content": body + note})
    for c in answer.citations:
        anchor = f'<a id="{anchor_id(number, c.n)}"></a>'
        messages.append(
            {
                "role": "assistant",
                "content": anchor + highlight(c.hit.chunk.text, c.sentences),
                "metadata": {"title": f"[{c.n}] {escape_md(source_line(c.hit, lang))}"},
            }
        )
    return messages


def render_chat(turns: Sequence[Turn], lang: str) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = []
    for number, turn in enumerate(turns, 1):
        messages += render_turn(turn, number, lang)
    return messages


def turn_at(turns: Sequence[Turn], index: int, lang: str) -> Turn | None:
    """The turn whose assistant messages include chat message `index` (for like/dislike)."""
    position = 0
    for number, turn in enumerate(turns, 1):
        size = len(render_turn(turn, number, lang))
        if position < index < position + size:
            return turn
        position += size
    return None


def stream_pieces(text: str, max_pieces: int = STREAM_MAX_PIECES) -> Iterator[str]:
    """Growing prefixes of text, never cutting a [n] marker, at most max_pieces of them."""
    units: list[str] = []
    last = 0
    for match in _MARKER.finditer(text):
        units += list(text[last : match.start()])
        units.append(match.group())
        last = match.end()
    units += list(text[last:])
    step = max(1, math.ceil(len(units) / max_pieces))
    for end in range(step, len(units) + step, step):
        yield "".join(units[: min(end, len(units))])


def passages_markdown(turn: Turn | None, lang: str) -> str:
    """Hotline panel: the top passages with their scores (every document string escaped)."""
    if turn is None or not turn.top:
        return t(lang, "passages_empty")
    cited = {}
    if turn.result is not None:
        cited = {c.hit.chunk.chunk_id: c.n for c in turn.result.answer.citations}
    lines = [t(lang, "passages_title", n=len(turn.top), q=escape_md(turn.question)), ""]
    for hit in turn.top:
        mark = (
            f" · **{t(lang, 'cited')}** \\[{cited[hit.chunk.chunk_id]}\\]"
            if hit.chunk.chunk_id in cited
            else ""
        )
        bm25 = "–" if hit.bm25_score is None else f"{hit.bm25_score:.2f}"
        dense = "–" if hit.dense_score is None else f"{hit.dense_score:.3f}"
        lines.append(f"{hit.rank}\\. **{escape_md(source_line(hit, lang))}**{mark}  ")
        lines.append(f"<small>bm25 {bm25} · dense {dense} · fused {hit.score:.4f}</small>  ")
        lines.append(f"{escape_md(hit.chunk.text)}")
        lines.append("")
    return "\n".join(lines)


def mode_markdown(mode: dict[str, Any] | None, lang: str) -> str:
    if not mode:
        return ""
    if mode.get("offline"):
        line = t(lang, "mode_offline")
    else:
        line = t(lang, "mode_online", name=escape_md(str(mode.get("embedder"))))
    if isinstance(mode.get("llm"), dict):  # answers written by a model (app/generate), checked
        line += " " + t(lang, "mode_llm", model=escape_md(str(mode["llm"].get("model"))))
    return f"<small>{line}</small>"
