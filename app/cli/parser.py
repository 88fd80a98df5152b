"""The `gongyou` argument parser: every sub-command, its flags and their checks.

Defaults of flags come from environment variables (app/config.py); each sub-command's handler is
named by `set_defaults(func=...)` and imported from the module of its concern.
"""

from __future__ import annotations

import argparse
import os

from app import config
from app.cli.admin_commands import cmd_feedback, cmd_hash_password, cmd_serve
from app.cli.index_commands import cmd_add, cmd_build, cmd_list, cmd_remove
from app.cli.question_commands import cmd_ask, cmd_eval, cmd_explain, cmd_search
from app.limits import MAX_K


def _k_value(text: str) -> int:
    """-k: a whole number of passages from 1 to MAX_K (app/limits.py)."""
    try:
        k = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= k <= MAX_K:
        raise argparse.ArgumentTypeError(f"{k} is outside 1..{MAX_K}")
    return k


def _port(text: str) -> int:
    """--port, whose default comes from GONGYOU_PORT: a bad variable breaks `serve` only, and says so."""
    source = " (from GONGYOU_PORT)" if text == os.environ.get("GONGYOU_PORT") else ""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}{source} is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port}{source} is outside 0..65535")
    return port


_FOLLOW_LINKS_HELP = (
    "index files that symbolic links in the folder point to outside it (default: name and skip them)"
)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


def _ray_flag(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument(
        "--ray",
        nargs="?",
        const="local",
        metavar="ADDRESS",
        help=f"{what}: 'local' (default: a Ray started for this run), 'auto' or ray://host:port "
        "(needs the extra gongyou[cluster])",
    )
    if "build" not in p.prog:
        p.add_argument(
            "--replicas", type=_positive, default=1, help="answering replicas with --ray (default 1)"
        )
        p.add_argument(
            "--shard-replicas",
            type=_positive,
            default=1,
            help="actors per shard with --ray: they share the questions and stand in for each other",
        )


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="gongyou",
        description="Gongyou (工友): cited answers to workers' questions from policy documents.",
    )
    sub = top.add_subparsers(dest="command", required=True)

    def with_answerer(p: argparse.ArgumentParser, several: bool = False) -> argparse.ArgumentParser:
        p.add_argument(
            "--answerer",
            default=None if several else config.default_answerer(),
            help=(
                "answerers to compare: extractive,llm (default: llm with --llm, else extractive)"
                if several
                else "auto, extractive or llm (auto: the model when --llm is set; GONGYOU_ANSWERER)"
            ),
        )
        p.add_argument(
            "--llm",
            default=config.default_llm(),
            help="a model to write answers: an OpenAI-compatible server URL, a .gguf file or a "
            "transformers folder (GONGYOU_LLM); nothing is contacted without it",
        )
        p.add_argument(
            "--llm-model", default=config.default_llm_model(), help="model name (GONGYOU_LLM_MODEL)"
        )
        p.add_argument(
            "--llm-key-env",
            default=config.default_llm_key_env(),
            help="environment variable holding the server's API key (default GONGYOU_LLM_API_KEY)",
        )
        p.add_argument(
            "--llm-timeout", type=float, help="seconds before the extractive answer is used instead"
        )
        return p

    def with_reader(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument(
            "--reader",
            choices=["auto", "on", "off"],
            default=config.default_reader(),
            help="the trained reader that reranks and judges answerability (GONGYOU_READER; default "
            "app/settings.py: auto = on where the index was built with the bundled model)",
        )
        return p

    def with_index(p: argparse.ArgumentParser, model: bool = True) -> argparse.ArgumentParser:
        p.add_argument("--index", default=str(config.default_index()), help="index folder (GONGYOU_INDEX)")
        if model:
            p.add_argument(
                "--embed-model",
                default=config.default_embed_model(),
                help="sentence-transformers name or folder, or 'offline' (GONGYOU_EMBED_MODEL)",
            )
        return p

    b = with_index(sub.add_parser("build", help="index a corpus folder or .jsonl of passages"))
    b.add_argument("--corpus", default=str(config.default_corpus()), help="documents (GONGYOU_CORPUS)")
    b.add_argument("--chunk-size", type=int, help="characters per passage (default: app/settings.py)")
    b.add_argument(
        "--chunk-overlap", type=int, help="characters shared by neighbours (default: app/settings.py)"
    )
    b.add_argument("--follow-links", action="store_true", help=_FOLLOW_LINKS_HELP)
    b.add_argument(
        "--shards",
        type=_positive,
        default=1,
        help="split the index into N shards by document, one manifest (default 1: unsharded)",
    )
    _ray_flag(b, "embed and tokenize on a Ray cluster's workers")
    b.add_argument(
        "--workers", type=_positive, help="Ray build workers (default: one per CPU, or per GPU if any)"
    )
    b.set_defaults(func=cmd_build)

    # ask and explain read settings.answer_passages passages unless -k says otherwise (as the chat does)
    for name, func, k in (("search", cmd_search, 5), ("ask", cmd_ask, None)):
        p = with_index(sub.add_parser(name, help=f"{name} the indexed documents"))
        p.add_argument("question", nargs="?")
        p.add_argument(
            "-k", type=_k_value, default=k, help=f"passages to retrieve (1..{MAX_K}; ask: settings' default)"
        )
        p.add_argument("--json", action="store_true", help="print the JSON object")
        p.add_argument("--input", help="file with one question per line ('-' for stdin); prints JSON lines")
        if name == "search":
            p.add_argument("--mode", choices=["hybrid", "bm25", "dense"], default="hybrid")
        else:
            with_answerer(p)
        with_reader(p)
        _ray_flag(p, "answer through shard actors and replicas on a Ray cluster")
        p.set_defaults(func=func)

    x = with_index(sub.add_parser("explain", help="show why a question is answered or refused"))
    x.add_argument("question")
    x.add_argument("-k", type=_k_value, help=f"passages to read (1..{MAX_K}; default: app/settings.py)")
    with_reader(x)
    x.set_defaults(func=cmd_explain)

    s = with_index(sub.add_parser("serve", help="serve the chat UI (builds the index first if missing)"))
    s.add_argument("--corpus", default=str(config.default_corpus()))
    s.add_argument("--host", default=config.default_host())
    s.add_argument("--port", type=_port, default=config.default_port(), help="GONGYOU_PORT")
    s.add_argument(
        "--auth", help="administrators' 'user:hash' lines (gongyou hash-password); they sign in at /admin"
    )
    s.add_argument("--data", default=str(config.default_data()), help="feedback database folder")
    s.add_argument(
        "--feedback-days",
        type=int,
        default=config.default_feedback_days(),
        help="days feedback is kept, 0 for ever (GONGYOU_FEEDBACK_DAYS)",
    )
    with_answerer(s)
    with_reader(s)
    _ray_flag(s, "serve the (sharded) index with one actor per shard and answering replicas on Ray")
    s.set_defaults(func=cmd_serve)

    e = sub.add_parser("eval", help="evaluate on the development set or a benchmark folder")
    with_reader(e)
    e.add_argument("--benchmark", help="folder with corpus.jsonl + queries.jsonl (default: dev set)")
    e.add_argument("--questions", default=str(config.PROJECT_ROOT / "eval" / "questions.jsonl"))
    e.add_argument(
        "--set",
        help="questions with gold_ids (law + article) asked against the shipped corpus "
        "(eval/labour_statutes.jsonl): the labour set over the laws Gongyou ships",
    )
    e.add_argument("--split", help="only queries of this split (e.g. test)")
    e.add_argument(
        "--subset",
        help="queries file in the benchmark folder (queries_labor.jsonl) or a path (eval/...jsonl)",
    )
    e.add_argument("--retrieval", default="hybrid", help="comma-separated: bm25,dense,hybrid")
    e.add_argument("--out", help="report folder (default eval/reports/<dataset>-<time>)")
    e.add_argument("--json", action="store_true", help="print metrics.json")
    e.add_argument("--limit", type=int, help="evaluate only the first N questions")
    e.add_argument("--min-recall10", type=float, help="gate: exit 3 if Recall@10 is lower")
    e.add_argument("--min-accuracy", type=float, help="gate: exit 3 if answer accuracy is lower")
    with_answerer(e, several=True)
    with_index(e)
    e.set_defaults(func=cmd_eval)

    a = with_index(sub.add_parser("add", help="add or update documents in the index"), model=False)
    a.add_argument("paths", nargs="+")
    a.add_argument("--follow-links", action="store_true", help=_FOLLOW_LINKS_HELP)
    a.set_defaults(func=cmd_add)
    r = with_index(sub.add_parser("remove", help="remove documents from the index"), model=False)
    r.add_argument("doc_ids", nargs="+")
    r.set_defaults(func=cmd_remove)
    ls = with_index(sub.add_parser("list", help="list the indexed documents"), model=False)
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=cmd_list)

    f = sub.add_parser("feedback", help="feedback collected in the UI")
    f.add_argument("action", choices=["export", "purge"])
    f.add_argument("--data", default=str(config.default_data()))
    f.add_argument("--out", help="export: JSON Lines file (default: stdout)")
    f.add_argument("--older-than", type=float, help="purge: records older than DAYS (default: retention)")
    f.add_argument("--all", action="store_true", help="purge: every record, and the database file")
    f.add_argument("--days", type=int, default=config.default_feedback_days(), help=argparse.SUPPRESS)
    f.set_defaults(func=cmd_feedback)

    h = sub.add_parser("hash-password", help="print an --auth line with a hashed password")
    h.add_argument("user")
    h.set_defaults(func=cmd_hash_password)
    return top
