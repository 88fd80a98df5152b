"""The `gongyou` command: build, search, ask, explain, serve, eval, add, remove, list, feedback,
hash-password.

Heavy libraries are imported inside the commands that need them, so `gongyou ask` starts fast.
Exit codes: 0 success, 1 a problem with the corpus, index or model (the message says the fix),
2 bad input (an empty or over-long question, a wrong flag, an unreadable --input file), 130
interrupted, 141 the reader of the output went away (`gongyou list | head`), as for any tool
killed by SIGPIPE. Output goes through `app.terminal`: a terminal that cannot show Chinese
(PYTHONIOENCODING=ascii) gets escapes, and file names are printed without control characters.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from app import config
from app.errors import BAD_INPUT, PROBLEM, BadInput, GongyouError, MissingDependency
from app.limits import MAX_K
from app.terminal import emit_json, printable, quiet_broken_pipe, tolerant_streams

BROKEN_PIPE = 141  # 128 + SIGPIPE


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


def answerer_config(args: argparse.Namespace, answerer: str | None = None):
    """The answerer the flags choose (app/generate/answerers.py); extractive without --llm."""
    from app.generate.answerers import AnswererConfig

    return AnswererConfig(
        answerer=answerer or getattr(args, "answerer", None) or "auto",
        llm=getattr(args, "llm", None),
        llm_model=getattr(args, "llm_model", None),
        key_env=getattr(args, "llm_key_env", None) or config.default_llm_key_env(),
        deadline_s=getattr(args, "llm_timeout", None),
    )


def _pipeline(args: argparse.Namespace):
    from app.pipeline import get_pipeline

    return get_pipeline(
        Path(args.index), args.embed_model, answerer_config(args), getattr(args, "reader", None)
    )


def _on_ray(args: argparse.Namespace, needed_cpus: float = 0):
    """The Ray cluster `--ray [ADDRESS]` names, connected for a block (app/cluster/connect.py)."""
    from app.cluster.connect import ray_cluster

    return ray_cluster(args.ray, needed_cpus)


def _cluster_line(info) -> str:
    where = f"the Ray cluster {info.address}"
    if info.address == "local":
        where = "a local Ray started for this run" if info.started_here else "this process's Ray"
    return f"On {where}: {info.nodes} node(s), {info.cpus:g} CPUs, {info.gpus:g} GPUs."


def cmd_build(args: argparse.Namespace) -> int:
    from app.index.build import build

    def run(workers=None):
        return build(
            Path(args.corpus),
            Path(args.index),
            args.embed_model,
            chunk_size=args.chunk_size,
            chunk_overlap=args.chunk_overlap,
            follow_links=args.follow_links,
            shards=args.shards,
            workers=workers,
        )

    if args.ray is None:
        result = run()
    else:
        with _on_ray(args) as info:
            from app.cluster.build import RayWorkers

            print(_cluster_line(info), file=sys.stderr)
            workers = RayWorkers(args.workers)
            try:
                result = run(workers)
            finally:
                workers.close()
        facts = result.manifest.get("build", {})
        if facts.get("workers"):
            rate = facts.get("embed_passages_per_second")
            result.notes.append(
                f"Ray: {facts['workers']} workers"
                + (f", {rate:g} passages/s embedded" if rate else "")
                + f", {facts.get('retried_batches', 0)} batches sent again."
            )
    print(printable(result.summary(), keep="\n\t"))
    return 0


def _serving(args: argparse.Namespace):
    """Context in which this process's pipelines are answered by Ray replicas (with `--ray`)."""
    from contextlib import contextmanager

    @contextmanager
    def on_cluster():
        if args.ray is None:
            yield
            return
        from app.pipeline import IN_PROCESS, serve_with
        from app.settings import current

        settings = current()
        shards = _shard_count(Path(args.index))
        needed = shards * args.shard_replicas * settings.ray_shard_cpus
        needed += args.replicas * settings.ray_replica_cpus
        with _on_ray(args, needed) as info:
            from app.cluster.frontend import RayServing

            print(_cluster_line(info), file=sys.stderr)
            serve_with(RayServing(args.replicas, shard_copies=args.shard_replicas))
            try:
                yield
            finally:
                serve_with(IN_PROCESS)

    return on_cluster()


def _shard_count(index_dir: Path) -> int:
    from app.index.store import IndexProblem, read_manifest

    try:
        return int((read_manifest(index_dir).get("shards") or {}).get("count", 1))
    except IndexProblem:
        return 1  # `serve` builds it first; asking reports the missing index


def _run_questions(args: argparse.Namespace, one) -> int:
    if args.input:
        return _run_batch(args, one)
    if args.question is None:
        print("Give a question, or --input FILE with one question per line.", file=sys.stderr)
        return BAD_INPUT
    output = one(_pipeline(args), args.question, args.json)
    if args.json:
        emit_json(output)
    else:  # passages and titles come from files: no control character reaches the terminal
        print(printable(output, keep="\n\t"))
    return 0


def _run_batch(args: argparse.Namespace, one) -> int:
    """--input: one JSON line out per question line in, in order; a bad line gets an error object."""
    from app.question_input import open_input, read_questions
    from app.search.question import QuestionError

    stream = open_input(args.input)  # a missing file is bad input, whatever the index
    try:
        pipeline = _pipeline(args)
        for line in read_questions(stream):
            if line.error is not None:
                emit_json(line.error_object())
                continue
            try:
                emit_json(one(pipeline, line.question, True))
            except QuestionError as exc:  # empty, too long: this line only
                emit_json({"line": line.number, "question": line.text, "error": str(exc)})
    finally:
        if args.input != "-":  # stdin stays open
            stream.close()
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from app.present import search_json, search_text

    def one(pipeline, question: str, as_json: bool):
        result = pipeline.search(question, k=args.k, mode=args.mode)
        return search_json(result) if as_json else search_text(result)

    with _serving(args):
        return _run_questions(args, one)


def cmd_ask(args: argparse.Namespace) -> int:
    from app.present import ask_json, ask_text

    def one(pipeline, question: str, as_json: bool):
        result = pipeline.ask(question, k=args.k)
        return ask_json(result, pipeline.mode) if as_json else ask_text(result, pipeline.mode)

    with _serving(args):
        return _run_questions(args, one)


def cmd_explain(args: argparse.Namespace) -> int:
    from app.answer.explain import explanation_text

    print(printable(explanation_text(_pipeline(args).explain(args.question, k=args.k)), keep="\n\t"))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from app.web.launch import serve

    if args.ray is not None:
        # The UI process mostly waits on the cluster: let it take as many questions at once as the
        # replicas can interleave (an explicit GONGYOU_CONCURRENCY wins).
        from app.settings import current

        concurrency = args.replicas * current().ray_replica_concurrency
        os.environ.setdefault("GONGYOU_CONCURRENCY", str(concurrency))
    with _serving(args):
        return serve(args)


def cmd_eval(args: argparse.Namespace) -> int:
    from app.evaluation.command import main as eval_main

    return eval_main(args)


def cmd_add(args: argparse.Namespace) -> int:
    from app.index.build import add

    result = add([Path(p) for p in args.paths], Path(args.index), follow_links=args.follow_links)
    print(printable(result.summary(), keep="\n\t"))
    if not result.changed and not result.report.loaded:
        return PROBLEM  # no readable document at any of the paths (each named in the summary)
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from app.index.build import remove

    result = remove(args.doc_ids, Path(args.index))
    print(printable(result.summary(), keep="\n\t"))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from app.index.build import document_rows
    from app.index.store import load_index

    index = load_index(Path(args.index))
    rows = document_rows(index)
    if args.json:
        emit_json(
            {
                "index": str(args.index),
                "build": index.build_id,
                "built_at": index.manifest.get("built_at"),
                "doc_count": len(rows),
                "chunk_count": len(index.chunks),
                "documents": rows,
            }
        )
        return 0
    for row in rows:  # names from the file system may hold control characters: shown escaped
        indexed = printable((row["indexed_at"] or "")[:10]) or "?"
        print(
            f"{printable(row['doc_id'])}\t{row['chunks']} chunks\t{printable(row['date']) or '日期不详'}\t"
            f"indexed {indexed}\t{printable(row['title'])}"
        )
    print(f"{len(rows)} documents, {len(index.chunks)} chunks, build {index.build_id}")
    return 0


def cmd_feedback(args: argparse.Namespace) -> int:
    from app.web.feedback import FeedbackStore

    store = FeedbackStore(Path(args.data), retention_days=args.days)
    if args.action == "export":
        count = store.export_jsonl(Path(args.out) if args.out else None)
        print(f"Exported {count} feedback records.", file=sys.stderr)
        return 0
    if args.all:
        print(f"Deleted all {store.purge(everything=True)} feedback records.", file=sys.stderr)
        return 0
    days = args.older_than if args.older_than is not None else args.days
    if args.older_than is not None and days < 0:
        raise BadInput("--older-than takes a number of days, 0 or more.")
    if args.older_than is None and days <= 0:
        raise BadInput("Feedback is kept without limit (retention 0): give --older-than DAYS or --all.")
    print(f"Deleted {store.purge(days)} feedback records older than {days:g} days.", file=sys.stderr)
    return 0


def cmd_hash_password(args: argparse.Namespace) -> int:
    from app.web.accounts import hash_password

    user = args.user.strip()
    if not user or ":" in user:
        raise BadInput("The user name must be non-empty and contain no ':'.")
    if sys.stdin.isatty():
        import getpass

        password = getpass.getpass(f"Password for {user}: ")
        if getpass.getpass("Again: ") != password:
            raise BadInput("The two passwords differ.")
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise BadInput("An empty password is not allowed.")
    print(f"{user}:{hash_password(password)}")
    return 0


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

    for name, func, k in (("search", cmd_search, 5), ("ask", cmd_ask, 5)):
        p = with_index(sub.add_parser(name, help=f"{name} the indexed documents"))
        p.add_argument("question", nargs="?")
        p.add_argument("-k", type=_k_value, default=k, help=f"passages to retrieve (1..{MAX_K})")
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
    x.add_argument("-k", type=_k_value, default=5, help=f"passages to retrieve (1..{MAX_K})")
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


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    tolerant_streams()
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except GongyouError as exc:
        print(f"error: {printable(str(exc), keep=chr(10))}", file=sys.stderr)
        return exc.exit_code
    except ModuleNotFoundError as exc:  # a Python without Gongyou's packages, e.g. the system's
        print(f"error: {MissingDependency.of(exc)}", file=sys.stderr)
        return PROBLEM
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `gongyou list | head`: the reader has all it wanted
        quiet_broken_pipe()
        return BROKEN_PIPE


if __name__ == "__main__":
    sys.exit(main())
