"""Commands for whoever runs the server: serve (the chat UI, /admin sign-in, `--ray` replicas),
feedback export/purge, hash-password (an `--auth` line).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from app.cli.cluster import serving
from app.errors import BadInput


def cmd_serve(args: argparse.Namespace) -> int:
    from app.web.launch import serve

    if args.ray is not None:
        # The UI process mostly waits on the cluster: let it take as many questions at once as the
        # replicas can interleave (an explicit GONGYOU_CONCURRENCY wins).
        from app.settings import current

        concurrency = args.replicas * current().ray_replica_concurrency
        os.environ.setdefault("GONGYOU_CONCURRENCY", str(concurrency))
    with serving(args):
        return serve(args)


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
