"""The chat UI (Gradio 6): a worker's phone and a hotline agent's desk, over the one pipeline.

    build_ui(index_dir, data_dir) -> gr.Blocks      importable without launching (tests)
    launch(demo, host, port, auth)                  the settings every launch uses
    serve(args) -> int                              `gongyou serve`: build if missing, then serve

The UI holds no answering logic: every answer comes from `Pipeline.ask`, every search from
`Pipeline.search`, and the `/ask` and `/search` API endpoints return exactly the objects of
`gongyou ask --json` / `gongyou search --json` (app.present).

Safety: every document string (passages, titles, headings, answers quoted from documents) goes
through `escape_md` before it reaches the Chatbot or a Markdown component. Gradio's sanitizer
strips scripts but keeps remote images and inline styles, so escaping is what stops a document from
fetching tracking pixels or restyling the page. Nothing from a document is ever given to `gr.HTML`.
"""

from __future__ import annotations

import html
import logging
import math
import os
import re
import shutil
import sys
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # before gradio is imported
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

import gradio as gr

from app.errors import GongyouError
from app.models import Hit
from app.pipeline import AskResult, SearchResult, get_pipeline
from app.present import ask_json, citation_label, search_json
from app.search.question import MAX_QUESTION_CHARS, QuestionError
from app.text.normalize import to_script, to_traditional
from app.web.feedback import FeedbackStore

log = logging.getLogger("gongyou.ui")

LANGS = ("zh-Hans", "zh-Hant", "en")
LANG_CHOICES = [("简体", "zh-Hans"), ("繁體", "zh-Hant"), ("English", "en")]
HOTLINE_TOP_K = 10
UPLOAD_TYPES = [".txt", ".md", ".html", ".htm", ".pdf", ".docx", ".jsonl"]
MAX_UPLOAD = "20mb"
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
QUEUE_MAX_SIZE = 64
STREAM_DELAY_S = 0.04  # between streamed pieces of an answer
STREAM_MAX_PIECES = 8  # so even a long answer has finished streaming after about 0.3 s

# ---------------------------------------------------------------------------------------------
# Strings. zh-Hant is converted from zh-Hans with OpenCC at import, then a few words are fixed.

_ZH_HANS: dict[str, str] = {
    "title": "## 工友 · 职工政策问答",
    "subtitle": "从政策文件原文中为您找答案，每句话都标明出处。",
    "welcome": (
        "### 您好，我是工友\n"
        "请问关于**补贴待遇**、**职业技能培训**或**劳动权益**的问题，"
        "我会从政策文件中摘出原文回答，并列出出处。\n\n"
        "可以接着追问，比如先问湖北，再问“那云南呢？”"
    ),
    "examples": (
        "技能人才的待遇怎么提高？|每年政府补贴性培训大概多少人次？|"
        "产业工人的权益保障有哪些措施？|湖北省高技能人才总量有多少？"
    ),
    "notice": (
        "回答摘自政策文件原文，仅供参考，**不构成法律意见**。具体问题请拨打全国总工会职工服务热线 **12351**。"
    ),
    "lang_label": "语言",
    "input_label": "您的问题",
    "input_placeholder": "请输入问题，例如：技能人才的待遇怎么提高？",
    "chat_label": "工友",
    "hotline_label": "热线坐席模式",
    "hotline_title": "#### 热线坐席",
    "search_only": "仅检索（只列原文，不作回答）",
    "passages_empty": "提问后，这里列出检索到的前 10 段原文和得分。",
    "passages_title": "**检索到的前 {n} 段原文**（问题：{q}）",
    "cited": "已引用",
    "formal_label": "回答与正式引用（可复制）",
    "sources": "来源：",
    "date_unknown": "日期不详",
    "refusal_tip": "可以换个说法再问，或试试：",
    "too_long": "问题太长了（{n} 字，上限 {limit} 字），请精简后再问。",
    "bad_question": "没有看懂这个问题，请换个说法再问。",
    "index_missing": ("文件索引还没准备好（可能正在建立或更新），请稍等一两分钟再问。紧急问题请拨打 12351。"),
    "error": "抱歉，系统出了点问题，请稍后再试。紧急问题请拨打 12351。",
    "search_done": "仅检索：找到 {n} 段相关原文，按相关度排列如下。",
    "search_none": "没有找到相关段落。请换个说法再试，或拨打 12351。",
    "thanks": "谢谢您的反馈！",
    "wrong_citation": "引用错误",
    "busy": "现在使用的人比较多，请稍等片刻再试。急事请拨打 12351。",
    "busy_title": "请稍候",
    "mode_offline": "离线模式：内置字符 n-gram 向量 + BM25，抽取式回答。",
    "mode_online": "向量模型：{name} + BM25，抽取式回答。",
    "upload_title": "#### 管理员：上传文件",
    "upload_label": "上传文件（.txt .md .html .htm .pdf .docx .jsonl，每个不超过 20 MB）",
    "upload_denied": "只有登录的管理员可以上传文件。",
    "upload_rejected": "未收录 {name}：{why}",
    "upload_bad_name": "文件名不合规",
    "upload_bad_type": "不支持的文件类型",
    "upload_too_big": "超过 20 MB",
    "upload_working": "正在建立索引……",
    "upload_done": "已加入索引，现在就可以提问：",
    "upload_failed": "加入索引失败：",
}

_ZH_HANT_FIXES = {
    "title": "## 工友 · 職工政策問答",
    "examples": (
        "技能人才的待遇怎麼提高？|每年政府補貼性培訓大概多少人次？|"
        "產業工人的權益保障有哪些措施？|湖北省高技能人才總量有多少？"
    ),
}

_EN: dict[str, str] = {
    "title": "## Gongyou · workers' policy Q&A",
    "subtitle": "Answers quoted from policy documents, every sentence with its source.",
    "welcome": (
        "### Hello, I am Gongyou\n"
        "Ask about **benefits**, **vocational training** or **labour rights**. I answer with sentences "
        "quoted from policy documents (in Chinese) and show where each one comes from.\n\n"
        "Follow-up questions work too: ask about Hubei, then “那云南呢?”"
    ),
    "examples": (
        "How are skilled workers rewarded?|How many great craftsmen should be trained by 2035?|"
        "产业工人的权益保障有哪些措施？|湖北省高技能人才总量有多少？"
    ),
    "notice": (
        "Answers are quoted from policy documents for information only and are **not legal advice**. "
        "For your own case call the ACFTU workers' hotline **12351**."
    ),
    "lang_label": "Language",
    "input_label": "Your question",
    "input_placeholder": "Type a question, e.g. How are skilled workers rewarded?",
    "chat_label": "Gongyou",
    "hotline_label": "Hotline mode",
    "hotline_title": "#### Hotline desk",
    "search_only": "Search only (list passages, no answer)",
    "passages_empty": "After a question, the top 10 passages and their scores appear here.",
    "passages_title": "**Top {n} passages** (question: {q})",
    "cited": "cited",
    "formal_label": "Answer with formal citations (copy)",
    "sources": "Sources:",
    "date_unknown": "date unknown",
    "refusal_tip": "Try asking in other words, or one of these:",
    "too_long": "The question is too long ({n} characters; the limit is {limit}). Please shorten it.",
    "bad_question": "I could not read that question; please ask it in other words.",
    "index_missing": (
        "The document index is not ready yet (it may be being built or updated). Please ask again "
        "in a minute or two. Urgent questions: call 12351."
    ),
    "error": "Sorry, something went wrong on our side. Please try again later, or call 12351.",
    "search_done": "Search only: {n} passages, most relevant first.",
    "search_none": "No passage matched. Try other words, or call 12351.",
    "thanks": "Thank you for the feedback!",
    "wrong_citation": "Wrong citation",
    "busy": "Many people are asking right now. Please try again in a moment, or call 12351.",
    "busy_title": "Busy",
    "mode_offline": "Offline mode: built-in character n-gram vectors + BM25, extractive answers.",
    "mode_online": "Embedding model: {name} + BM25, extractive answers.",
    "upload_title": "#### Administrators: upload documents",
    "upload_label": "Upload files (.txt .md .html .htm .pdf .docx .jsonl, at most 20 MB each)",
    "upload_denied": "Only signed-in administrators can upload documents.",
    "upload_rejected": "Not added {name}: {why}",
    "upload_bad_name": "file name not allowed",
    "upload_bad_type": "file type not supported",
    "upload_too_big": "larger than 20 MB",
    "upload_working": "Indexing…",
    "upload_done": "Added to the index; you can ask about it now:",
    "upload_failed": "Could not add to the index:",
}


def _traditional_strings() -> dict[str, str]:
    strings = {k: to_traditional(v) for k, v in _ZH_HANS.items()}
    strings.update(_ZH_HANT_FIXES)
    return strings


I18N: dict[str, dict[str, str]] = {"zh-Hans": _ZH_HANS, "zh-Hant": _traditional_strings(), "en": _EN}
"""Every UI string by language; the language radio re-renders from here on the server."""

STATIC_KEYS = ("title", "subtitle", "notice", "input_label", "hotline_label", "search_only", "lang_label")
i18n = gr.I18n(
    **{
        "zh-CN": {k: I18N["zh-Hans"][k] for k in STATIC_KEYS},
        "zh": {k: I18N["zh-Hans"][k] for k in STATIC_KEYS},
        "zh-TW": {k: I18N["zh-Hant"][k] for k in STATIC_KEYS},
        "en": {k: I18N["en"][k] for k in STATIC_KEYS},
    }
)
"""Static labels for the first paint, by browser locale; the server then applies the radio's choice."""

WRONG_CITATION_LABELS = {I18N[lang]["wrong_citation"] for lang in LANGS}


def t(lang: str, key: str, **kw: object) -> str:
    text = I18N.get(lang, I18N["zh-Hans"])[key]
    return text.format(**kw) if kw else text


def examples_for(lang: str) -> list[str]:
    return t(lang, "examples").split("|")


# ---------------------------------------------------------------------------------------------
# Pure rendering helpers.

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$:@])")  # ":" and "@" stop autolinks
_MARKER = re.compile(r"\[(\d+)\]")


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


def answer_markdown(text: str, turn: int, known: set[int] | None = None) -> str:
    """Escaped answer text whose [n] markers link to their passage (#gy-cite-<turn>-<n>)."""
    out, last = [], 0
    for match in _MARKER.finditer(text):
        n = int(match.group(1))
        out.append(escape_md(text[last : match.start()]))
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
    parts = [citation_label(hit, label_language(lang)), meta.publisher or "", meta.date or ""]
    parts.append(hit.chunk.heading or "")
    if lang != "en":
        parts = [in_script(p, lang) for p in parts]
    if not meta.date:
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
    lines = [in_script(answer.text, lang)]
    if answer.citations:
        lines += ["", t(lang, "sources")]
        lines += [formal_citation(c.n, c.hit, lang) for c in answer.citations]
    return "\n".join(lines)


@dataclass
class Turn:
    """One question and what the UI shows for it; the session's conversation is a list of these."""

    question: str
    kind: str  # "ask" | "search" | "message"
    result: AskResult | None = None
    search: SearchResult | None = None
    top: list[Hit] = field(default_factory=list)  # hotline panel
    message_key: str = ""
    message_args: dict[str, Any] = field(default_factory=dict)
    build: str | None = None
    verdicts: set[str] = field(default_factory=set)  # feedback already stored for this answer


def _user_message(turn: Turn) -> dict[str, Any]:
    return {"role": "user", "content": escape_md(turn.question)}


def _refusal_markdown(text: str, lang: str) -> str:
    tips = "\n".join(f"- {escape_md(q)}" for q in examples_for(lang)[:3])
    return f"{escape_md(in_script(text, lang))}\n\n{t(lang, 'refusal_tip')}\n{tips}"


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
        messages.append({"role": "assistant", "content": _refusal_markdown(answer.text, lang)})
        return messages
    known = {c.n for c in answer.citations}
    text = in_script(answer.text, lang)
    if partial is not None:
        messages.append({"role": "assistant", "content": answer_markdown(partial, number, known)})
        return messages
    messages.append({"role": "assistant", "content": answer_markdown(text, number, known)})
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
        return f"<small>{t(lang, 'mode_offline')}</small>"
    return f"<small>{t(lang, 'mode_online', name=escape_md(str(mode.get('embedder'))))}</small>"


def pick_language(accept_language: str | None) -> str:
    """Chinese by default; traditional for browsers that prefer zh-TW / zh-HK / zh-MO / zh-Hant."""
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()
        if not tag:
            continue
        if tag.startswith("zh"):
            return "zh-Hant" if any(x in tag for x in ("tw", "hk", "mo", "hant")) else "zh-Hans"
    return "zh-Hans"


def safe_upload_name(name: str) -> str | None:
    """The bare file name of an upload, or None when it must be refused (hidden, empty, traversal)."""
    base = Path(name.replace("\\", "/")).name.strip()
    if not base or base.startswith(".") or any(ord(ch) < 32 for ch in base):
        return None  # hidden, empty or all spaces, or a control character (NUL breaks copying)
    return base


def read_auth_file(path: Path) -> list[tuple[str, str]]:
    """'user:password' lines; blank lines and # comments are ignored. Raises ValueError."""
    pairs = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        user, sep, password = line.partition(":")
        if not sep or not user.strip() or not password:
            raise ValueError(f"{path}:{number}: expected 'user:password'")
        pairs.append((user.strip(), password))
    if not pairs:
        raise ValueError(f"{path}: no 'user:password' lines")
    return pairs


# ---------------------------------------------------------------------------------------------
# Page assets: CSS for phones, and a little JS for [n] links and the busy message.

CSS = """
.gradio-container { max-width: 1100px !important; margin: 0 auto !important; }
#gy-header { align-items: center; gap: 4px 12px; flex-wrap: wrap; }
#gy-title h2 { margin: 0; font-size: 1.35rem; line-height: 1.3; }
#gy-lang, #gy-hotline { flex: 0 0 auto !important; min-width: 0 !important; width: auto !important; }
#gy-hotline { padding: 0 !important; border: none !important; margin: 0 !important; }
#gy-hotline { box-shadow: none !important; background: transparent !important; }
#gy-lang .wrap { gap: 4px; flex-wrap: nowrap; }
#gy-lang label, #gy-hotline label { padding: 4px 8px; white-space: nowrap; }
#gy-subtitle p { margin: 0; color: var(--body-text-color-subdued); }
#chat { overflow-wrap: anywhere; word-break: break-word; }
#chat mark { background: #fde68a; color: inherit; padding: 0 1px; border-radius: 2px; }
#chat a[href^="#gy-cite-"] { text-decoration: none; font-weight: 600; }
#chat .thought-group .title, #chat .thought-group .title p { font-size: 13px !important; line-height: 1.45; }
#gy-notice p { margin: 0; font-size: 0.95em; color: var(--body-text-color-subdued); }
#chat .thought-group .content p, #chat .thought-group .content mark {
  font-size: 15px !important; line-height: 1.6;
}
#gy-passages { overflow-wrap: anywhere; font-size: 0.92em; }
#gy-passages small { color: var(--body-text-color-subdued); }
.gy-flash { outline: 3px solid #f59e0b; outline-offset: 2px; }
@media (max-width: 640px) {
  #gy-subtitle { display: none !important; }
  #gy-title { min-width: 0 !important; flex: 1 1 150px !important; width: auto !important; }
  #gy-title h2 { font-size: 1.15rem; }
  #chat { height: calc(100dvh - 250px) !important; min-height: 300px; }
  #chat .message-row { margin-left: 0 !important; margin-right: 0 !important; }
  #chat .message-row.bot-row { max-width: 100% !important; }
}
"""

HEAD = """<style>
/* Outside Gradio's CSS scope (launch(css=) rules are prefixed with the container's classes). */
@media (max-width: 640px) {
  .gradio-container .main.app { padding: 6px 8px !important; }
  .gradio-container footer { display: none !important; }
}
</style>"""

JS = """
() => {
  // [n] in an answer jumps to its passage (Gradio would open links in a new tab).
  document.addEventListener('click', (event) => {
    const link = event.target.closest && event.target.closest('a[href^="#gy-cite-"]');
    if (!link) return;
    event.preventDefault(); event.stopPropagation();
    const target = document.getElementById(link.getAttribute('href').slice(1));
    if (!target) return;
    const box = target.closest('.message-wrap .message, .thought-group, .message') || target.parentElement;
    box.scrollIntoView({behavior: 'smooth', block: 'center'});
    box.classList.add('gy-flash'); setTimeout(() => box.classList.remove('gy-flash'), 1600);
  }, true);
  // A message's copy button copies what the reader sees (answer, sources, passages), not the
  // escaped Markdown behind it.
  document.addEventListener('click', (event) => {
    const button = event.target.closest && event.target.closest('#chat .message-buttons button');
    if (!button || !/copy/i.test(button.getAttribute('aria-label') || '')) return;
    const row = button.closest('.message-buttons').previousElementSibling;
    if (!row) return;
    const text = row.innerText.replace(/\\n{3,}/g, "\\n\\n").trim();
    setTimeout(() => navigator.clipboard && navigator.clipboard.writeText(text).catch(() => {}), 60);
  }, true);
  // A full queue shows Gradio's English toast: say it kindly, in the page's language.
  const busy = %s;
  const lang = () => {
    const checked = document.querySelector('#gy-lang input:checked');
    return checked ? checked.value : 'zh-Hans';
  };
  new MutationObserver(() => {
    document.querySelectorAll('[data-testid="toast-body"], .toast-body').forEach((el) => {
      if (el.dataset.gyBusy) return;
      if (/currently busy|Queue is full/i.test(el.textContent)) {
        el.dataset.gyBusy = '1';
        const [title, message] = busy[lang()] || busy['zh-Hans'];
        const text = el.querySelector('[data-testid="toast-text"], .toast-text') || el;
        text.textContent = message;
        const head = el.querySelector('.toast-title');
        if (head) head.textContent = title;
      }
    });
  }).observe(document.body, {childList: true, subtree: true});
}
"""


def page_js() -> str:
    import json

    busy = {lang: [I18N[lang]["busy_title"], I18N[lang]["busy"]] for lang in LANGS}
    return JS % json.dumps(busy, ensure_ascii=False)


def theme() -> gr.themes.Base:
    # System fonts only: no request leaves the machine for a web font.
    return gr.themes.Default(
        primary_hue="orange",
        font=["PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "sans-serif"],
        font_mono=["Menlo", "Consolas", "Noto Sans Mono CJK SC", "monospace"],
    )


# ---------------------------------------------------------------------------------------------
# The app.


def cores() -> int:
    return max(2, os.cpu_count() or 2)


def chat_streams() -> int:
    """Concurrent chat streams. A stream mostly sleeps between pieces (the answer itself takes about
    a millisecond), so many more streams than cores can run; each holds one of Gradio's 40 worker
    threads while it sleeps, hence the cap."""
    return min(32, 16 * cores())


class Answerer:
    """The UI's handle on the pipeline: turns questions into Turns, never raising at the user."""

    def __init__(self, index_dir: Path, embed_model: str | None = None) -> None:
        self.index_dir = Path(index_dir)
        self.embed_model = embed_model

    def pipeline(self):
        return get_pipeline(self.index_dir, self.embed_model)

    def turn(self, question: str, history: Sequence[str], search_only: bool, hotline: bool) -> Turn:
        try:
            pipeline = self.pipeline()
            build = pipeline.index.build_id
            if search_only:
                result = pipeline.search(question, k=HOTLINE_TOP_K)
                return Turn(question, "search", search=result, top=result.hits, build=build)
            asked = pipeline.ask(question, history)
            top = pipeline.search(asked.standalone, k=HOTLINE_TOP_K).hits if hotline else []
            return Turn(question, "ask", result=asked, top=top, build=build)
        except QuestionError:
            text = " ".join(question.split())
            if len(text) > MAX_QUESTION_CHARS:
                args = {"n": len(text), "limit": MAX_QUESTION_CHARS}
                return Turn(question, "message", message_key="too_long", message_args=args)
            return Turn(question, "message", message_key="bad_question")
        except GongyouError as exc:
            log.warning("index not available: %s", exc)
            return Turn(question, "message", message_key="index_missing")
        except Exception:
            log.exception("answering %r failed", question[:200])
            return Turn(question, "message", message_key="error")

    def mode(self) -> dict[str, Any] | None:
        try:
            return self.pipeline().mode
        except Exception:
            return None

    def warm(self) -> None:
        """Load the index and the tokenizer before the first visitor asks (jieba takes ~0.4 s)."""
        try:
            self.pipeline().ask("职业技能培训补贴")
        except Exception as exc:  # a missing index is reported when someone asks
            log.info("warm-up skipped: %s", exc)


def _previous_questions(turns: Sequence[Turn]) -> list[str]:
    """The conversation so far, for follow-ups: the standalone form of each answered question."""
    out = []
    for turn in turns:
        if turn.kind == "ask" and turn.result is not None:
            out.append(turn.result.standalone)
        elif turn.kind == "search":
            out.append(turn.question)
    return out


def _citations_for_feedback(result: AskResult) -> list[dict[str, Any]]:
    keep = ("n", "doc_id", "chunk_id", "title", "label", "publisher", "date", "heading", "text", "sentences")
    return [{k: c[k] for k in keep if k in c} for c in ask_json(result, {})["citations"]]


def build_ui(
    index_dir: Path,
    data_dir: Path,
    *,
    embed_model: str | None = None,
    auth: bool = False,
    warm: bool = True,
    store_user: bool | None = None,
) -> gr.Blocks:
    """The Blocks app (not launched). `auth=True` adds the upload panel for signed-in users."""
    answerer = Answerer(index_dir, embed_model)
    if store_user is None:
        store_user = os.environ.get("GONGYOU_FEEDBACK_USER", "") in {"1", "true", "yes"}
    feedback = FeedbackStore(Path(data_dir), store_user=store_user)
    upload_lock = threading.Lock()
    if warm:
        threading.Thread(target=answerer.warm, name="gongyou-warm", daemon=True).start()

    with gr.Blocks(title="工友 Gongyou", delete_cache=(3600, 86400)) as demo:
        turns = gr.State([])
        with gr.Row(elem_id="gy-header", equal_height=False):
            title = gr.Markdown(i18n("title"), elem_id="gy-title", min_width=280)
            hotline = gr.Checkbox(
                False,
                label=i18n("hotline_label"),
                elem_id="gy-hotline",
                container=False,
                scale=0,
                min_width=130,
            )
            lang = gr.Radio(
                LANG_CHOICES,
                value="zh-Hans",
                label=i18n("lang_label"),
                show_label=False,
                elem_id="gy-lang",
                container=False,
                scale=0,
                min_width=200,
            )
        subtitle = gr.Markdown(i18n("subtitle"), elem_id="gy-subtitle")
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=300):
                chatbot = gr.Chatbot(
                    elem_id="chat",
                    label=t("zh-Hans", "chat_label"),
                    show_label=False,
                    height=560,
                    buttons=["copy"],
                    placeholder=t("zh-Hans", "welcome"),
                    examples=[{"text": q} for q in examples_for("zh-Hans")],
                    feedback_options=["Like", "Dislike", t("zh-Hans", "wrong_citation")],
                    latex_delimiters=[],
                    sanitize_html=True,
                    autoscroll=True,
                )
                question = gr.Textbox(
                    elem_id="q",
                    show_label=False,
                    label=i18n("input_label"),
                    placeholder=t("zh-Hans", "input_placeholder"),
                    submit_btn=True,
                    lines=1,
                    max_lines=4,
                    autofocus=False,
                )
                notice = gr.Markdown(i18n("notice"), elem_id="gy-notice")
            with gr.Column(scale=2, min_width=300, visible=False, elem_id="gy-hotline-panel") as panel:
                panel_title = gr.Markdown(t("zh-Hans", "hotline_title"))
                search_only = gr.Checkbox(False, label=i18n("search_only"), elem_id="gy-search-only")
                formal = gr.Textbox(
                    label=t("zh-Hans", "formal_label"),
                    elem_id="gy-formal",
                    lines=6,
                    max_lines=14,
                    interactive=False,
                    buttons=["copy"],
                )
                passages = gr.Markdown(t("zh-Hans", "passages_empty"), elem_id="gy-passages", max_height=640)
                mode = gr.Markdown("", elem_id="gy-mode")
        upload_parts: list[gr.components.Component] = []
        if auth:
            with gr.Column(visible=False, elem_id="gy-upload") as upload_box:
                upload_title = gr.Markdown(t("zh-Hans", "upload_title"))
                upload = gr.File(
                    label=t("zh-Hans", "upload_label"),
                    file_count="multiple",
                    file_types=UPLOAD_TYPES,
                    elem_id="gy-upload-file",
                )
                upload_status = gr.Markdown("", elem_id="gy-upload-status")
            upload_parts = [upload_title, upload]

        # ---- language ------------------------------------------------------------------------
        def labels(lang_value: str, turn_list: list[Turn]) -> list[Any]:
            last = turn_list[-1] if turn_list else None
            updates = [
                gr.update(value=t(lang_value, "title")),
                gr.update(value=t(lang_value, "subtitle")),
                gr.update(label=t(lang_value, "lang_label")),
                gr.update(label=t(lang_value, "hotline_label")),
                gr.update(
                    value=render_chat(turn_list, lang_value),
                    placeholder=t(lang_value, "welcome"),
                    examples=[{"text": q} for q in examples_for(lang_value)],
                    label=t(lang_value, "chat_label"),
                    feedback_options=["Like", "Dislike", t(lang_value, "wrong_citation")],
                ),
                gr.update(label=t(lang_value, "input_label"), placeholder=t(lang_value, "input_placeholder")),
                gr.update(value=t(lang_value, "notice")),
                gr.update(value=t(lang_value, "hotline_title")),
                gr.update(label=t(lang_value, "search_only")),
                gr.update(
                    label=t(lang_value, "formal_label"),
                    value=formal_text(last.result, lang_value) if last and last.result else "",
                ),
                gr.update(value=passages_markdown(last, lang_value)),
            ]
            if auth:
                updates += [
                    gr.update(value=t(lang_value, "upload_title")),
                    gr.update(label=t(lang_value, "upload_label")),
                ]
            return updates

        label_outputs = [title, subtitle, lang, hotline, chatbot, question, notice]
        label_outputs += [panel_title, search_only, formal, passages, *upload_parts]

        def on_load(turn_list: list[Turn], request: gr.Request) -> list[Any]:
            chosen = pick_language(request.headers.get("accept-language") if request else None)
            updates = labels(chosen, turn_list)
            updates[2] = gr.update(value=chosen, label=t(chosen, "lang_label"))
            signed_in = bool(getattr(request, "username", None))
            extra = [gr.update(visible=signed_in)] if auth else []
            return [*updates, *extra]

        load_outputs = label_outputs + ([upload_box] if auth else [])
        demo.load(on_load, [turns], load_outputs, api_visibility="private", queue=False)
        lang.input(labels, [lang, turns], label_outputs, api_visibility="private", queue=False)
        hotline.change(
            lambda on: gr.update(visible=on), [hotline], [panel], api_visibility="private", queue=False
        )

        # ---- asking --------------------------------------------------------------------------
        chat_inputs = [question, lang, hotline, search_only, turns]
        chat_outputs = [chatbot, question, turns, passages, formal, mode]

        def respond(
            message: str, lang_value: str, hotline_on: bool, only_search: bool, turn_list: list[Turn]
        ):
            """Stream the answer in pieces, then show its cited passages (and the hotline panel)."""
            if not isinstance(message, str) or not message.strip():
                yield (gr.skip(),) * len(chat_outputs)
                return
            lang_value = lang_value if lang_value in LANGS else "zh-Hans"
            search_mode = bool(hotline_on and only_search)
            turn = answerer.turn(message, _previous_questions(turn_list), search_mode, hotline=True)
            turn_list = [*turn_list, turn]
            earlier = render_chat(turn_list[:-1], lang_value)
            number = len(turn_list)
            if turn.kind == "ask" and turn.result is not None and not turn.result.answer.refused:
                text = in_script(turn.result.answer.text, lang_value)
                for i, prefix in enumerate(stream_pieces(text)):
                    if i:
                        time.sleep(STREAM_DELAY_S)
                    chat = earlier + render_turn(turn, number, lang_value, partial=prefix)
                    yield chat, "", gr.skip(), gr.skip(), gr.skip(), gr.skip()
            yield (
                earlier + render_turn(turn, number, lang_value),
                "",
                turn_list,
                passages_markdown(turn, lang_value),
                formal_text(turn.result, lang_value) if turn.result else "",
                mode_markdown(answerer.mode(), lang_value) if turn.kind != "message" else gr.skip(),
            )

        streams = chat_streams()
        question.submit(
            respond,
            chat_inputs,
            chat_outputs,
            api_name="chat",
            api_visibility="undocumented",
            concurrency_limit=streams,
            concurrency_id="chat",
        )

        def pick_example(data: gr.SelectData) -> str:
            return data.value["text"] if isinstance(data.value, dict) else str(data.value)

        chatbot.example_select(pick_example, None, question, api_visibility="private", queue=False).then(
            respond,
            chat_inputs,
            chat_outputs,
            api_visibility="private",
            concurrency_limit=streams,
            concurrency_id="chat",
        )

        def clear() -> tuple[list, list, str, str]:
            return [], [], "", ""

        chatbot.clear(clear, None, [chatbot, turns, formal, passages], api_visibility="private", queue=False)

        # ---- feedback ------------------------------------------------------------------------
        def on_like(data: gr.LikeData, lang_value: str, turn_list: list[Turn], request: gr.Request) -> None:
            if data.liked is True:
                verdict = "like"
            elif data.liked is False:
                verdict = "dislike"
            elif isinstance(data.liked, str) and data.liked in WRONG_CITATION_LABELS:
                verdict = "wrong_citation"
            elif isinstance(data.liked, str) and data.liked.lower() in {"like", "dislike"}:
                verdict = data.liked.lower()
            else:
                return  # an undo, or an option we do not know
            index = data.index if isinstance(data.index, int) else data.index[0]
            turn = turn_at(turn_list, index, lang_value)
            if turn is None or turn.result is None or verdict in turn.verdicts:
                return  # not an answer, or the same verdict again (the flag menu fires twice)
            turn.verdicts.add(verdict)
            result = turn.result
            feedback.record(
                question=result.question,
                standalone_question=result.standalone,
                answer=result.answer.text,
                citations=_citations_for_feedback(result),
                verdict=verdict,
                build=turn.build,
                user=getattr(request, "username", None),
            )
            gr.Info(t(lang_value, "thanks"), duration=2)

        chatbot.like(on_like, [lang, turns], None, api_visibility="private")

        # ---- uploads (issue 5): signed-in administrators only ----------------------------------
        if auth:

            def on_upload(files: list[str] | None, lang_value: str, request: gr.Request) -> str:
                if not getattr(request, "username", None):
                    return t(lang_value, "upload_denied")
                return add_uploads(files or [], Path(index_dir), Path(data_dir), lang_value, upload_lock)

            upload.upload(on_upload, [upload, lang], [upload_status], api_name="upload", concurrency_limit=1)

        # ---- API: exactly the CLI's JSON ------------------------------------------------------
        def ask(question: str, history: list[str] | None = None, k: int = 5) -> dict:
            """The object of `gongyou ask --json`; `history` lists earlier questions for follow-ups."""
            try:
                pipeline = answerer.pipeline()
                result = pipeline.ask(question, list(history or []), k=int(k))
                return ask_json(result, pipeline.mode)
            except QuestionError as exc:
                raise gr.Error(str(exc)) from exc
            except GongyouError as exc:
                raise gr.Error(f"{t('en', 'index_missing')} {t('zh-Hans', 'index_missing')}") from exc

        def search(question: str, k: int = 5, mode: str = "hybrid") -> dict:
            """The object of `gongyou search --json`; mode is hybrid, bm25 or dense."""
            if mode not in {"hybrid", "bm25", "dense"}:
                raise gr.Error("mode must be hybrid, bm25 or dense")
            try:
                return search_json(answerer.pipeline().search(question, k=int(k), mode=mode))
            except QuestionError as exc:
                raise gr.Error(str(exc)) from exc
            except GongyouError as exc:
                raise gr.Error(f"{t('en', 'index_missing')} {t('zh-Hans', 'index_missing')}") from exc

        gr.api(ask, api_name="ask")
        gr.api(search, api_name="search")

    return demo


def add_uploads(
    files: Sequence[str], index_dir: Path, data_dir: Path, lang: str, lock: threading.Lock | None = None
) -> str:
    """Copy accepted uploads under data_dir/uploads/<stamp>/ and add them to the index."""
    from app.index.build import add

    rejected: list[str] = []
    accepted: list[tuple[Path, str]] = []
    for item in files:
        source = Path(item if isinstance(item, str) else getattr(item, "name", str(item)))
        name = safe_upload_name(source.name)
        if name is None:
            rejected.append(
                t(lang, "upload_rejected", name=escape_md(source.name), why=t(lang, "upload_bad_name"))
            )
        elif Path(name).suffix.lower() not in UPLOAD_TYPES:
            rejected.append(t(lang, "upload_rejected", name=escape_md(name), why=t(lang, "upload_bad_type")))
        elif not source.is_file() or source.stat().st_size > MAX_UPLOAD_BYTES:
            rejected.append(t(lang, "upload_rejected", name=escape_md(name), why=t(lang, "upload_too_big")))
        else:
            accepted.append((source, name))
    lines = [f"- {r}" for r in rejected]
    if accepted:
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + "-" + uuid.uuid4().hex[:6]
        folder = Path(data_dir) / "uploads" / stamp
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for source, name in accepted:
            target = folder / name
            shutil.copyfile(source, target)
            paths.append(target)
        try:
            with lock or threading.Lock():
                summary = add(paths, Path(index_dir)).summary()
            lines.insert(0, t(lang, "upload_done"))
            lines.append("")
            lines.append("```\n" + summary.replace("```", "'''") + "\n```")
        except Exception as exc:
            log.exception("adding uploads failed")
            lines.insert(0, f"{t(lang, 'upload_failed')} {escape_md(str(exc))}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Launching.


def _no_proxy_for_loopback() -> None:
    """Launch probes its own URL through httpx, which would follow HTTP(S)_PROXY."""
    for key in ("NO_PROXY", "no_proxy"):
        current = [p for p in os.environ.get(key, "").split(",") if p]
        for host in ("127.0.0.1", "localhost"):
            if host not in current:
                current.append(host)
        os.environ[key] = ",".join(current)


def configure_queue(demo: gr.Blocks) -> gr.Blocks:
    # Gradio rebuilds a pandas summary of all recent events after *every* event, for its monitoring
    # page (which we switch off). That cost grows with traffic; recompute rarely and keep few events.
    os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", "1000")
    os.environ.setdefault("GRADIO_ANALYTICS_MAX_EVENTS", "1000")
    limit = int(os.environ.get("GONGYOU_CONCURRENCY", cores()))
    return demo.queue(default_concurrency_limit=limit, max_size=QUEUE_MAX_SIZE)


def launch(
    demo: gr.Blocks,
    host: str = "127.0.0.1",
    port: int = 7860,
    auth: list[tuple[str, str]] | None = None,
    *,
    quiet: bool = True,
) -> str:
    """Launch without blocking; returns the local URL. Analytics off, no share link, no history."""
    _no_proxy_for_loopback()
    configure_queue(demo)
    _, url, _ = demo.launch(
        server_name=host,
        server_port=port,
        share=False,
        auth=auth or None,
        auth_message="工友 · 请登录 Please sign in",
        prevent_thread_lock=True,
        quiet=quiet,
        max_file_size=MAX_UPLOAD,
        run_history=False,
        footer_links=["settings"],
        enable_monitoring=False,
        i18n=i18n,
        theme=theme(),
        css=CSS,
        js=page_js(),
        head=HEAD,
    )
    return url


def serve(args) -> int:
    """`gongyou serve`: build the index if it is missing or was built by an older Gongyou (progress
    in the terminal), then serve."""
    from app.index.store import current_build, out_of_date, read_manifest

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    log.setLevel(logging.INFO)
    index_dir = Path(args.index)
    data_dir = Path(getattr(args, "data", "data"))
    embed_model = getattr(args, "embed_model", None)
    auth = None
    if getattr(args, "auth", None):
        try:
            auth = read_auth_file(Path(args.auth))
        except (OSError, ValueError) as exc:
            print(f"error: cannot read --auth file: {exc}", file=sys.stderr)
            return 1
    corpus = Path(getattr(args, "corpus", "corpus"))
    if current_build(index_dir) is None:
        why = f"No index at {index_dir}."
    else:
        why = out_of_date(read_manifest(index_dir), index_dir)
    if why:
        from app.index.build import build

        print(f"{why} Building it from {corpus} first…", file=sys.stderr)
        result = build(corpus, index_dir, embed_model, progress=True)
        print(result.summary(), file=sys.stderr)
    demo = build_ui(index_dir, data_dir, embed_model=embed_model, auth=auth is not None)
    try:
        url = launch(demo, args.host, args.port, auth)
    except OSError as exc:
        print(f"error: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    print(f"Gongyou 工友 is running at {url}  (Ctrl+C to stop)", flush=True)
    try:
        demo.block_thread()
    except KeyboardInterrupt:
        pass
    finally:
        demo.close()
    return 0
