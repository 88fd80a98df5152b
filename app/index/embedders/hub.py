"""The Hugging Face hub, as the sentence-transformers kinds need it: cache, reachability, the fix.

Nothing here imports huggingface_hub: a machine without network must fail in seconds, not minutes.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path
from urllib.parse import urlparse


def hub_cache_dir() -> Path:
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"])
    home = os.environ.get("HF_HOME") or os.path.join(os.path.expanduser("~"), ".cache", "huggingface")
    return Path(home) / "hub"


def is_cached(model_name: str) -> bool:
    """True when a complete snapshot of a hub model is in the local Hugging Face cache."""
    folder = hub_cache_dir() / ("models--" + model_name.replace("/", "--")) / "snapshots"
    return any(
        (snap / "modules.json").exists() or (snap / "config.json").exists() for snap in folder.glob("*")
    )


def hub_reachable(timeout: float = 2.0) -> bool:
    """A quick TCP probe of the model hub, so a machine without network fails in seconds, not minutes."""
    if os.environ.get("HF_HUB_OFFLINE", "").lower() in {"1", "true", "yes"}:
        return False
    endpoint = urlparse(os.environ.get("HF_ENDPOINT", "https://huggingface.co"))
    try:
        with socket.create_connection((endpoint.hostname or "huggingface.co", endpoint.port or 443), timeout):
            return True
    except OSError:
        return False


def offline_fix(model_name: str) -> str:
    return (
        f"To use {model_name}: on a machine with internet run "
        f"`huggingface-cli download {model_name}` and copy its {hub_cache_dir()} folder here, "
        "or pass --embed-model /path/to/a/sentence-transformers/folder, then rebuild with `gongyou build`."
    )
