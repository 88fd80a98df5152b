"""Checking a generated answer sentence by sentence against the passages the model was shown.

A sentence is kept only when every check passes, in this order (the first that fails names it):
- `citation.missing`: it carries no [n] marker;
- `citation.not_shown`: a marker points to no passage the model was shown;
- `language.other`: it is not in the question's language (Chinese for an English question);
- `figure.unsupported`: a figure, date, percentage or article number in it is stated by none of
  its cited passages (app/generate/figures.py: 一百五十 = 150, 百分之 = %, units must agree);
- `meaning.far`: no cited passage supports it enough: closeness in meaning plus the share of its
  words the passage holds (app/generate/support.py; thresholds `settings.support_min` and, for
  English sentences, `support_min_english`, calibrated on training data).
The model saying it cannot answer (the phrase the prompt asks for) is a decline, not a sentence.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from app.generate.claims import Claim, split_claims
from app.generate.figures import unsupported
from app.generate.support import Support, SupportScorer
from app.models import Hit
from app.settings import current


@dataclass(frozen=True)
class Shown:
    """A passage shown to the model as [n]."""

    n: int
    hit: Hit
    label: str  # 《劳动合同法》第四十四条

    @property
    def source(self) -> str:
        """Everything a figure may be read from: the label (its article number), section and text."""
        return f"{self.label} {self.hit.meta.title} {self.hit.chunk.heading} {self.hit.chunk.text}"


@dataclass
class Checked:
    claim: Claim
    check: str | None = None  # the failing check, None when the sentence is kept
    detail: str = ""
    support: Support | None = None  # meaning check result (kept sentences, and those too far)
    cited: list[Shown] = field(default_factory=list)

    @property
    def kept(self) -> bool:
        return self.check is None


@dataclass
class Verification:
    checked: list[Checked]
    declined: bool  # the model said the passages do not answer the question
    elapsed_ms: float

    @property
    def kept(self) -> list[Checked]:
        return [c for c in self.checked if c.kept]

    @property
    def removed(self) -> list[Checked]:
        return [c for c in self.checked if not c.kept]


def _han(text: str) -> int:
    return len(re.findall(r"[\u3400-\u9fff]", text))


def _latin(text: str) -> int:
    return len(re.findall(r"[A-Za-z]", text))


def in_language(text: str, language: str) -> bool:
    """English answers are mostly Latin letters (a quoted 技术能手 is fine); Chinese ones mostly Han."""
    return _latin(text) >= _han(text) if language == "en" else _han(text) > _latin(text) / 3


def is_decline(body: str, phrases: Sequence[str]) -> bool:
    folded = re.sub(r"[\s。.!！*\"“”'：:]+", "", body).lower()
    return any(re.sub(r"[\s。.!！]+", "", p).lower() in folded for p in phrases) and len(folded) <= 80


def check_claim(
    claim: Claim, shown: dict[int, Shown], language: str, scorer: SupportScorer, threshold: float
) -> Checked:
    if not claim.cited:
        return Checked(claim, "citation.missing", "no [n] marker")
    if missing := [n for n in claim.cited if n not in shown]:
        return Checked(claim, "citation.not_shown", f"cites [{missing[0]}], not a passage shown")
    cited = [shown[n] for n in claim.cited]
    if not in_language(claim.body, language):
        return Checked(claim, "language.other", f"not in the question's language ({language})", cited=cited)
    if bad := unsupported(claim.body, [s.source for s in cited]):
        shown_figures = ", ".join(f.shown() for f in bad)
        return Checked(claim, "figure.unsupported", f"not in the cited passage: {shown_figures}", cited=cited)
    support = scorer.support(claim.body, [s.hit.chunk.text for s in cited])
    if support is None or support.score < threshold:
        score = "none" if support is None else f"{support.score:.3f}"
        detail = f"support {score} < {threshold}"
        if support is not None:
            covered = "none" if support.coverage is None else f"{support.coverage:.2f}"
            detail += f" (cosine {support.cosine:.3f}, words covered {covered})"
        return Checked(claim, "meaning.far", detail, support, cited)
    return Checked(claim, None, "", support, cited)


def verify(
    answer: str,
    shown: Sequence[Shown],
    language: str,
    scorer: SupportScorer,
    decline_phrases: Sequence[str] = (),
    threshold: float | None = None,
) -> Verification:
    """Every sentence of a generated answer, checked (see the module docstring)."""
    started = time.perf_counter()
    if threshold is None:  # English sentences against Chinese passages score lower: their own threshold
        settings = current()
        threshold = settings.support_min_english if language == "en" else settings.support_min
    by_number = {s.n: s for s in shown}
    checked: list[Checked] = []
    declined = False
    for claim in split_claims(answer):
        if is_decline(claim.body, decline_phrases):
            declined = True
            continue
        checked.append(check_claim(claim, by_number, language, scorer, threshold))
    return Verification(checked, declined, (time.perf_counter() - started) * 1000)
