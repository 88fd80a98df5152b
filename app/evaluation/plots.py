"""Evaluation plots, written as PNG files with matplotlib's Agg canvas (no display, no pyplot state).

Axis labels are English; tag and configuration names may be Chinese and use an installed CJK font
when there is one.  Every function creates the parent folder and returns the path written.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

_CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Droid Sans Fallback",
    "AR PL UMing CN",
    "Noto Serif CJK SC",
)


def _font_families() -> list[str]:
    """DejaVu Sans first (Latin text), then the first installed CJK family as a glyph fallback."""
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    return ["DejaVu Sans", *[family for family in _CJK_FAMILIES if family in installed][:1]]


def _new_figure(width: float, height: float):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(figure)
    return figure


def _save(figure, path: str | os.PathLike) -> Path:
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    figure.tight_layout()
    figure.savefig(out, format="png")
    return out


def _render(draw, path: str | os.PathLike, width: float, height: float) -> Path:
    """Run draw(figure) with a CJK-capable font list, then save; missing-glyph warnings are muted."""
    import matplotlib

    with matplotlib.rc_context({"font.family": _font_families()}), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from (current )?font")
        figure = _new_figure(width, height)
        draw(figure)
        return _save(figure, path)


def plot_recall_at_k(configs: dict[str, dict[int, float]], path: str | os.PathLike) -> Path:
    """One line per configuration: Recall@k (y) against k (x)."""

    def draw(figure) -> None:
        axes = figure.add_subplot()
        all_ks: set[int] = set()
        for name, by_k in configs.items():
            ks = sorted(by_k)
            all_ks.update(ks)
            axes.plot(ks, [by_k[k] for k in ks], marker="o", label=name)
        if all_ks:
            axes.set_xticks(sorted(all_ks))
        axes.set_ylim(0.0, 1.02)
        axes.set_xlabel("k (retrieved passages)")
        axes.set_ylabel("Recall@k")
        axes.set_title("Retrieval recall by cut-off")
        axes.grid(True, alpha=0.3)
        if configs:
            axes.legend(loc="lower right")

    return _render(draw, path, 7.0, 4.5)


def plot_latency_histogram(latencies_ms: dict[str, list[float]], path: str | os.PathLike) -> Path:
    """Overlaid, semi-transparent histograms of latency per stage or configuration.

    The x-axis is logarithmic when all values are positive and span more than a factor of 20.
    """
    import numpy as np

    from app.evaluation.metrics import percentiles

    series = {name: np.asarray(values, dtype=float) for name, values in latencies_ms.items() if len(values)}

    def draw(figure) -> None:
        axes = figure.add_subplot()
        axes.set_xlabel("latency (ms)")
        axes.set_ylabel("count")
        axes.set_title("Latency distribution")
        if not series:
            axes.text(0.5, 0.5, "no data", ha="center", va="center", transform=axes.transAxes)
            return
        everything = np.concatenate(list(series.values()))
        low, high = float(everything.min()), float(everything.max())
        log_x = low > 0 and high / low > 20
        if log_x:
            bins = np.geomspace(low, high, 40)
            axes.set_xscale("log")
        else:
            bins = np.linspace(low, high if high > low else low + 1.0, 40)
        for name, values in series.items():
            stats = percentiles(values)
            label = f"{name} (n={stats['n']}, p50={stats['p50']:.0f} ms, p95={stats['p95']:.0f} ms)"
            axes.hist(values, bins=bins, alpha=0.45, label=label)
        axes.legend(fontsize="small")

    return _render(draw, path, 8.0, 4.5)


def plot_tag_bars(per_tag: dict[str, dict], metric_name: str, path: str | os.PathLike) -> Path:
    """Horizontal bar per tag (first tag on top) with its 95% CI as error bars.

    per_tag is the output of `app.evaluation.metrics.by_tag`: {tag: {"value", "ci95", "n"}}; tags without
    data (value None) are left out.
    """
    rows = [(tag, stats) for tag, stats in per_tag.items() if stats.get("value") is not None]

    def draw(figure) -> None:
        axes = figure.add_subplot()
        axes.set_xlabel(f"{metric_name} (95% CI)")
        axes.set_title(f"{metric_name} by tag")
        if not rows:
            axes.text(0.5, 0.5, "no data", ha="center", va="center", transform=axes.transAxes)
            return
        values = [stats["value"] for _, stats in rows]
        lows = [stats["value"] - stats["ci95"][0] for _, stats in rows]
        highs = [stats["ci95"][1] - stats["value"] for _, stats in rows]
        positions = list(range(len(rows)))
        axes.barh(positions, values, xerr=[lows, highs], capsize=3, color="tab:blue", alpha=0.8)
        axes.set_yticks(positions, [f"{tag} (n={stats['n']})" for tag, stats in rows])
        axes.invert_yaxis()
        axes.set_xlim(0.0, max(1.0, *(stats["ci95"][1] for _, stats in rows)) * 1.02)
        axes.grid(True, axis="x", alpha=0.3)

    return _render(draw, path, 7.0, max(2.5, 0.35 * len(rows) + 1.2))
