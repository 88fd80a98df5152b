"""Commands that answer questions: search, ask, explain (one question, or `--input` batches of
JSON lines), and eval.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app import config
from app.cli.cluster import serving
from app.errors import BAD_INPUT
from app.terminal import emit_json, printable


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

    with serving(args):
        return _run_questions(args, one)


def cmd_ask(args: argparse.Namespace) -> int:
    from app.present import ask_json, ask_text

    def one(pipeline, question: str, as_json: bool):
        result = pipeline.ask(question, k=args.k)
        return ask_json(result, pipeline.mode) if as_json else ask_text(result, pipeline.mode)

    with serving(args):
        return _run_questions(args, one)


def cmd_explain(args: argparse.Namespace) -> int:
    from app.answer.explain import explanation_text

    print(printable(explanation_text(_pipeline(args).explain(args.question, k=args.k)), keep="\n\t"))
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from app.evaluation.command import main as eval_main

    return eval_main(args)
