"""The `gongyou` command: build, search, ask, explain, serve, eval, add, remove, list, feedback,
hash-password.

One module per concern: `parser.py` (every sub-command and flag), `index_commands.py` (build, add,
remove, list), `question_commands.py` (search, ask, explain, eval; `--input` batches),
`admin_commands.py` (serve, feedback, hash-password), `cluster.py` (`--ray`: a cluster for a build,
Ray replicas for answering).

Heavy libraries are imported inside the commands that need them, so `gongyou ask` starts fast.
Exit codes: 0 success, 1 a problem with the corpus, index or model (the message says the fix),
2 bad input (an empty or over-long question, a wrong flag, an unreadable --input file), 130
interrupted, 141 the reader of the output went away (`gongyou list | head`), as for any tool
killed by SIGPIPE. Output goes through `app.terminal`: a terminal that cannot show Chinese
(PYTHONIOENCODING=ascii) gets escapes, and file names are printed without control characters.
"""

from __future__ import annotations

import os
import sys

from app.cli.parser import parser
from app.cli.question_commands import answerer_config
from app.errors import PROBLEM, GongyouError, MissingDependency
from app.terminal import printable, quiet_broken_pipe, tolerant_streams

__all__ = ["answerer_config", "main", "parser"]

BROKEN_PIPE = 141  # 128 + SIGPIPE


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
