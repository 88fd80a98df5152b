"""Numbered items stay with their lead-in, and tiers with their sentence.

Numbered items: 有下列情形之一的，……：（一）……（二）……

Laws state most rights as a lead-in sentence ending in a colon followed by numbered items. Quoted
alone, the lead-in says nothing (职工有下列情形之一的，应当认定为工伤:) and an item loses its
condition and its siblings (（一）安排劳动者延长工作时间的，支付……百分之一百五十 without the rest day
and holiday rates). So when an answer quotes either, the answer shows the lead-in and the items:
every item when the list is short enough to read on a phone (settings.list_items_max), else the
lead-in and the items chosen. Each item is cited on its own line.

Tiers: a sentence of parallel clauses joined by ；(已满1年不满10年的，年休假5天；已满10年不满20年的，
年休假10天；已满20年的，年休假15天。) is split into its clauses to be quoted, and an answer that
quotes some of them quotes them all (settings.tier_sentence_chars bounds the sentence).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.answer.evidence.case import Candidate
from app.models import Hit
from app.settings import current
from app.text.patterns import NUMBERED_ITEM
from app.text.sentences import WHOLE_SENTENCE, sentences

# （一） (一) 一、 1. 1、 at the start of a sentence
ITEM = re.compile(rf"^\s*(?:{NUMBERED_ITEM}|\d{{1,2}}[.．、](?!\d))")
_LEAD_IN_END = re.compile(r"[:：]\s*$")


@dataclass(frozen=True)
class ItemList:
    """A lead-in sentence and the numbered items after it, in one passage."""

    lead_in: str
    items: tuple[str, ...]


def is_item(sentence: str) -> bool:
    return bool(ITEM.match(sentence))


def is_lead_in(sentence: str) -> bool:
    """A sentence that introduces what follows it (有下列情形之一的，…：)."""
    return bool(_LEAD_IN_END.search(sentence))


def lists_of(text: str) -> list[ItemList]:
    """Every lead-in (a sentence ending in a colon) followed by at least two numbered items."""
    found = sentences(text)
    lists: list[ItemList] = []
    for i, sentence in enumerate(found):
        if not is_lead_in(sentence):
            continue
        items = []
        for following in found[i + 1 :]:
            if not is_item(following):
                break
            items.append(following)
        if len(items) >= 2:
            lists.append(ItemList(sentence, tuple(items)))
    return lists


def with_lists(chosen: list[Candidate], hits: list[Hit]) -> list[Candidate]:
    """The chosen sentences plus the lead-ins and items that belong with them (see the module)."""
    limit = current().list_items_max
    out = list(chosen)
    have = {(c.hit_index, c.sentence) for c in chosen}

    def add(hit_index: int, sentence: str) -> None:
        if (hit_index, sentence) not in have:
            have.add((hit_index, sentence))
            out.append(Candidate(hit_index, sentence, 0.0, 0.0))

    for cand in chosen:
        for found in lists_of(hits[cand.hit_index].chunk.text):
            if cand.sentence != found.lead_in and cand.sentence not in found.items:
                continue
            add(cand.hit_index, found.lead_in)
            if len(found.items) <= limit or cand.sentence == found.lead_in:
                for item in found.items[:limit]:  # a lead-in alone says nothing: its first items
                    add(cand.hit_index, item)
    return out


def tiers_of(text: str, clause: str) -> list[str]:
    """The clauses (as app.text.sentences cuts them) of the whole sentence of `text` that holds
    `clause`, when it has two or more and is short enough to quote whole; else []."""
    for whole in WHOLE_SENTENCE.findall(text):
        if clause in whole:
            parts = sentences(whole)
            if len(parts) >= 2 and len(whole.strip()) <= current().tier_sentence_chars:
                return parts
            return []
    return []


def with_tiers(chosen: list[Candidate], hits: list[Hit]) -> list[Candidate]:
    """The chosen sentences plus the sibling clauses of each chosen clause (see the module)."""
    out = list(chosen)
    have = {(c.hit_index, c.sentence) for c in chosen}
    for cand in chosen:
        for part in tiers_of(hits[cand.hit_index].chunk.text, cand.sentence):
            if (cand.hit_index, part) not in have:
                have.add((cand.hit_index, part))
                out.append(Candidate(cand.hit_index, part, 0.0, 0.0))
    return out
