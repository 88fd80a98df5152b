"""Every refusal rule, in the order the answerer runs them, with its id and its profiles.

A rule is a function of the `Case` that returns why the documents do not answer (its detail), or
None. The answerer runs the rules of each stage in order as it reaches the stage; the first rule
that objects refuses the question, and the answer records its id and detail (`Refusal`).

Stages: "retrieval" (the passages found), "terms" (the question's key terms), "passages" (their
coverage), "sentences" (the candidate sentences), "answer" (each sentence tried as the answer).

Each rule names the message a refusal by it shows (app/answer/messages.py): "not_found" says
what the documents cover and gives the union hotline; "local" says that local rules decide and
gives the local 12333 as well.

Profiles: "general" rules apply to any question (coverage, answer type, figures, years,
identifiers, places, labour topics); "news" holds those and the rules written for news
questions (names, roles, characters, results, other instances, facts not known yet). The
setting `refusal_profile` (app/settings.py) names the profile in force.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.answer.evidence.case import Case
from app.answer.evidence.rules import coverage, figures, identity, local, meaning, news, parties, reader
from app.errors import GongyouError
from app.models import Refusal
from app.settings import current

STAGES = ("retrieval", "terms", "passages", "sentences", "answer")
PROFILES = ("general", "news")
MESSAGES = ("not_found", "local")
GENERAL = frozenset({"general", "news"})
NEWS = frozenset({"news"})


@dataclass(frozen=True)
class Rule:
    id: str  # "family.name", stable: reports and tests refer to it
    stage: str  # one of STAGES
    check: Callable[[Case], str | None]  # the detail of an objection, or None
    profiles: frozenset[str]  # the profiles it belongs to
    message: str = "not_found"  # which refusal message it shows (one of MESSAGES)

    @property
    def summary(self) -> str:
        """The first line of the check's docstring: what the rule refuses."""
        doc = (self.check.__doc__ or "").strip()
        return doc.splitlines()[0] if doc else ""


@dataclass(frozen=True)
class Verdict:
    """One rule's finding on a case: `detail` is None when it passes."""

    rule: Rule
    detail: str | None
    active: bool  # whether the rule is in the profile in force (an inactive rule refuses nothing)

    @property
    def refuses(self) -> bool:
        return self.active and self.detail is not None


RULES: tuple[Rule, ...] = (
    Rule("coverage.no_passage", "retrieval", coverage.no_passage, GENERAL),
    Rule("coverage.no_content_words", "terms", coverage.no_content_words, GENERAL),
    Rule("local.rule_decides", "terms", local.local_rule_decides, GENERAL, message="local"),
    Rule("coverage.unknown_labour_topic", "terms", coverage.unknown_labour_topic, GENERAL),
    Rule("coverage.passage", "passages", coverage.passage_coverage, GENERAL),
    Rule("reader.unanswerable", "passages", reader.reader_unanswerable, GENERAL),
    Rule("coverage.no_sentence", "sentences", coverage.no_sentence, GENERAL),
    Rule("coverage.sentence", "sentences", coverage.sentence_coverage, GENERAL),
    Rule("parties.other_party", "sentences", parties.every_sentence_other_party, GENERAL),
    Rule("meaning.far", "answer", meaning.far_in_meaning, GENERAL),
    Rule("news.attribute_not_named", "answer", news.attribute_not_named, NEWS),
    Rule("identity.identifier_missing", "answer", identity.identifier_missing, GENERAL),
    Rule("identity.other_identifier", "answer", identity.another_identifier, GENERAL),
    Rule("news.names_nobody", "answer", news.names_nobody, NEWS),
    Rule("news.no_character", "answer", news.no_character, NEWS),
    Rule("figures.not_stated", "answer", figures.figure_not_stated, GENERAL),
    Rule("figures.other_year", "answer", figures.figure_of_another_year, GENERAL),
    Rule("figures.about_something_else", "answer", figures.figure_about_something_else, GENERAL),
    Rule("figures.narrower_place", "answer", figures.figure_for_a_narrower_place, GENERAL),
    Rule("figures.not_people", "answer", figures.figure_not_of_people, GENERAL),
    Rule("news.other_category", "answer", news.another_category, NEWS),
    Rule("news.other_instance", "answer", news.another_instance, NEWS),
    Rule("identity.other_year", "answer", identity.another_year, GENERAL),
    Rule("news.not_yet_known", "answer", news.not_yet_known, NEWS),
    Rule("news.focus_not_mentioned", "answer", news.focus_not_mentioned, NEWS),
    Rule("news.figure_not_the_focus", "answer", news.figure_not_the_focus, NEWS),
    Rule("news.no_result", "answer", news.no_result, NEWS),
    Rule("news.no_day", "answer", news.no_day, NEWS),
    Rule("news.role_not_named", "answer", news.role_not_named, NEWS),
    Rule("news.entity_not_in_passage", "answer", news.entity_not_in_passage, NEWS),
)
BY_ID = {rule.id: rule for rule in RULES}


class UnknownProfile(GongyouError, ValueError):
    """The setting refusal_profile names no profile."""


def profile() -> str:
    """The profile in force (`refusal_profile` in app/settings.py)."""
    name = current().refusal_profile
    if name not in PROFILES:
        raise UnknownProfile(f"refusal_profile {name!r} is none of {', '.join(PROFILES)} (app/settings.py)")
    return name


def verdicts(stage: str, case: Case) -> list[Verdict]:
    """Every rule of a stage on the case, in order, whether or not it is in the profile in force."""
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}")
    active = profile()
    return [Verdict(r, r.check(case), active in r.profiles) for r in RULES if r.stage == stage]


def first_refusal(stage: str, case: Case) -> Refusal | None:
    """The first rule of the stage in the profile in force that objects, as a `Refusal`."""
    active = profile()
    for rule in RULES:
        if rule.stage == stage and active in rule.profiles and (detail := rule.check(case)) is not None:
            return Refusal(rule.id, detail)
    return None
