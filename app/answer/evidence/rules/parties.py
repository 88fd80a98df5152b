"""Rule parties.other_party: the right or duty of the other party than the one a question asks about.

Labour law states most rights twice, once for each party: 劳动者可以解除劳动合同 (第三十八条) and
用人单位可以解除劳动合同 (第三十九条) share every key word, and retrieval cannot tell them apart.
The party a question asks about is the one that stands before its 可以/有权/应当/不得 and the
verb after it; a sentence whose clause gives that verb to the other party answers another
question, and is not a candidate. The rule refuses when every candidate is such a sentence.
The parties' words are data (app/data/evidence/parties.tsv).
"""

from __future__ import annotations

from functools import cache, lru_cache

from app.answer.evidence.case import Case
from app.datafiles import read_table
from app.text.normalize import match_form
from app.text.segment import words

# Modal words, as jieba cuts them: a party, one of these, then the verb it governs.
_MODALS = frozenset(
    "可以 能 能够 不能 可不可以 能否 可否 是否 不可以 有权 无权 应当 应该 必须 不得 可".split()
)
# Words between the modal and its verb: 劳动者可以立即解除, 能不能扣, 可以随时通知
_BETWEEN = frozenset("立即 随时 依法 单方 单方面 直接 自行 及时 另行 一次性 不 不能 能 可以".split())
_PUNCTUATION = frozenset("，。；：,;:！？!?、")
_MAX_GAP = 8  # characters between a party and its modal (用人单位在什么情况下可以)


@cache
def _party_of() -> dict[str, str]:
    """Each word → its party."""
    table = read_table("evidence/parties.tsv")
    return {word: party for party, found in table.items() for word in found}


@lru_cache(maxsize=512)
def _clauses(text: str) -> tuple[tuple[str, ...], ...]:
    """jieba's words of a text (matching form), cut into clauses at punctuation. Cached: the rule
    and the candidate filter (app/answer/compose.py) read the same question and sentences."""
    clauses: list[list[str]] = [[]]
    for word in words(match_form(text)):
        if word in _PUNCTUATION:
            clauses.append([])
        elif word.strip():
            clauses[-1].append(word)
    return tuple(tuple(c) for c in clauses if c)


def _acting(clause: tuple[str, ...]) -> list[tuple[str, int]]:
    """(party, index of the first word after its modal) for each party the clause gives a modal."""
    found = []
    for i, word in enumerate(clause):
        party = _party_of().get(word)
        if party is None:
            continue
        gap = 0
        for j in range(i + 1, len(clause)):
            if clause[j] in _MODALS:
                found.append((party, j + 1))
                break
            gap += len(clause[j])
            if gap > _MAX_GAP or clause[j] in _party_of():
                break
    return found


def asked_action(question: str) -> tuple[str, str] | None:
    """(party, verb) the question asks about: 用人单位 … 可以 解除劳动合同 → ("employer", "解除劳动合同")."""
    for clause in _clauses(question):
        for party, after in _acting(clause):
            verb = next((w for w in clause[after:] if w not in _BETWEEN and w not in _MODALS), None)
            if verb:
                return party, verb
    return None


def parties_given(text: str, verb: str) -> set[str]:
    """The parties a text gives the verb to: a party, a modal and the verb later in one clause;
    or, in a clause with no party (劳动者…通知用人单位，可以解除), the sentence's subject, the
    first party it names."""
    clauses = _clauses(text)
    subject = next((_party_of()[w] for c in clauses for w in c if w in _party_of()), None)
    given = set()
    for clause in clauses:
        acting = _acting(clause)
        for party, after in acting:
            if verb in "".join(clause[after:]):
                given.add(party)
        modal = next((i for i, w in enumerate(clause) if w in _MODALS), None)
        if not acting and modal is not None and subject and verb in "".join(clause[modal + 1 :]):
            given.add(subject)
    return given


def other_party(question: str, sentence: str) -> str | None:
    """Why a sentence answers about the other party: it gives the verb the question asks about
    to the other party (劳动者可以解除 for a question about 用人单位可以解除), or None."""
    asked = asked_action(question)
    if asked is None:
        return None
    party, verb = asked
    given = parties_given(sentence, verb)
    if given and party not in given:
        return f"the sentence gives {verb} to the {given.pop()}; the question asks about the {party}"
    return None


def every_sentence_other_party(case: Case) -> str | None:
    """Every candidate sentence gives the verb the question asks about to the other party.

    (Sentences that do are dropped from the candidates after this check: app/answer/compose.py.)"""
    if not case.candidates or asked_action(case.question) is None:
        return None
    found = [other_party(case.question, c.sentence) for c in case.candidates]
    return found[0] if all(found) else None
