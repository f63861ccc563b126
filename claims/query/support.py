"""Support: which retrieved claims actually say what the question asks, and how surely.

A claim must cover the proposition (share of its IDF mass, at least two of its terms, or a
sentence vector close enough), name every entity the question names (in its text, or, for a
quotation whose subject the sentence around it names, in that context), and (when the question
names a speaker) be attributed to that speaker. A claim that shares one word ("vacuum") is not
an answer, and a question about something the store never mentions finds nothing.

Every threshold and weight is an ``AskParams`` field (``claims/query/params.json``, fitted by
``bench/fit_ask.py`` on the dev questions; ``PARAMS`` is what ``ask`` uses).
"""

from __future__ import annotations

import bisect
import re
import uuid
from contextvars import ContextVar
from dataclasses import replace

from rapidfuzz import fuzz
from sqlalchemy import select, type_coerce
from sqlalchemy.orm import Session, joinedload, lazyload, object_session, selectinload
from sqlalchemy.types import NullType

from claims.entities import (
    PLACES,
    concept_terms,
    containers,
    entity_terms,
    metonyms,
    place_terms,
    subject_terms,
)
from claims.indexing import group_labels_indexed, index_terms
from claims.languages import for_word
from claims.models import Claim, Document, RelayHop, Source
from claims.names import name_forms, phonetic_key
from claims.query import languages
from claims.query.params import PARAMS, AskParams
from claims.query.parse import ParsedQuestion, Place, question_places
from claims.query.retrieve import Candidate, HybridResult, Unit, unit_coverage
from claims.text import _WORD, fold, fold_name, is_stopword, light, terms
from claims.vocabulary import Modality, SourceKind


def support(
    c: Candidate, params: AskParams = PARAMS, *, lexical: float | None = None, speaker_bonus: float = 0.0,
    cross_lingual: bool = False,
) -> float:
    """How well a stored claim supports the question, 0..1.

    Lexical coverage (share of the question's IDF mass the claim holds; for a claim in the
    other language, of its language-neutral units) is the rule-path measure; when sentence
    vectors exist it is blended with the cosine, rescaled so that ``cos_floor`` means nothing
    and ``cos_floor + cos_span`` a translation-level match. Either signal alone can carry a
    match it is sure of (full coverage, or a near-translation); a middling value of both is
    what a paraphrase looks like. Subject agreement (entities) is checked separately.
    """
    lexical = min(1.0, (c.coverage if lexical is None else lexical) + speaker_bonus)
    if c.cosine is None:
        return lexical
    semantic = max(0.0, min(1.0, (c.cosine - params.cos_floor) / params.cos_span))
    blended = params.lexical_weight * lexical + (1 - params.lexical_weight) * semantic
    if cross_lingual:
        return max(lexical, blended, params.min_support + (c.cosine - params.cross_lingual_cos) + speaker_bonus / 2)
    return max(lexical, blended)


def cross_lingual_coverage(
    c: Candidate, result: HybridResult, params: AskParams = PARAMS, *, agreed: bool = False, checked: int = 0
) -> float:
    """Coverage of what can be checked across languages, discounted when the question has few
    language-neutral units (``checked``: how many more the claim was checked on elsewhere, a
    named speaker); 0 below ``min_cross_lingual_coverage`` (below
    ``agreed_cross_lingual_coverage`` when the question's named actors agree with the claim,
    ``actors_agree``)."""
    n = result.neutral_units
    if not n:
        return 0.0
    xl = c.neutral_coverage * min(1.0, (n + checked) / params.min_neutral_units)
    floor = min(params.min_cross_lingual_coverage, params.agreed_cross_lingual_coverage) if agreed else params.min_cross_lingual_coverage
    return xl if xl >= floor else 0.0


def unheard_names(parsed: ParsedQuestion, result: HybridResult, held: set[str] | frozenset[str]) -> list[str]:
    """The names of a question in a cased script (its capitalised words, ``_name_words``) whose
    unit the claim holds in none of its terms (``held``: its text, context and the names heard
    by sound): "Papadakis" in a question answered by a claim about Kounadis. An uncased script
    cannot tell a name from a word, so it has none."""
    if not languages.get(parsed.lang).cased:
        return []
    by_term = {u.weight_term: u for u in result.units}
    out = []
    for word in _name_words(parsed.proposition, parsed.lang):
        for term in terms(word)[:1]:
            unit = by_term.get(term)
            if unit is not None and not unit.terms & held:
                out.append(word)
    return out


def actors_agree(
    parsed: ParsedQuestion, result: HybridResult, speaker: Source | None, sounded: list[Unit], held: set[str] | frozenset[str]
) -> bool:
    """Whether the question's named actors agree with a claim in the other language: the claim
    is attributed to the speaker the question names (``supported`` has checked it) or names a
    person the question names by sound ("قيس سعيد" ~ "Saied"; a yes/no question's speaker
    alone is not enough: it asks for a proposition, not a topic), and the question names no one
    the claim lacks (``unheard_names``). A rule, not fitted: it lets a translation that shares
    fewer checkable terms than a paraphrase count (``agreed_cross_lingual_coverage``)."""
    if (speaker is None or parsed.yes_no) and not sounded:
        # "Did X say P?" asks for P: X's claims about something else do not agree with it
        return False
    return not unheard_names(parsed, result, held)


#: A proposition or claim "opens on" an entity named within its first this many words, after a
#: leading adverbial of at most three words set off by a comma ("However,", "وبناء عليه،").
OPENING_WORDS = 2
_LEADING_ADVERBIAL = re.compile(r"^\W*(?:\S+\s+){0,2}\S+[,،]\s+")


def same_subject(proposition: str, text: str) -> bool:
    """The question's proposition and the claim open on the same subject entity (a non-place
    entity in their first ``OPENING_WORDS`` words): "Russia will fill the vacuum" and "يمكن
    لروسيا أن تستغل الفراغ" are about what Russia does; "there are 2500 American soldiers" opens
    on no one. A rule, not fitted."""

    def opening(text: str) -> list[str]:
        return subject_terms(" ".join(_WORD.findall(light(_LEADING_ADVERBIAL.sub("", text)))[:OPENING_WORDS]))

    asked = opening(proposition)
    return bool(asked) and asked[0] in opening(text)


def calibrated(score: float, params: AskParams = PARAMS) -> float:
    """Confidence reported to clients (0..0.99): the share of answers with this support score
    that were right on the fitting questions (``params.calibration``, a monotone curve
    interpolated between its knots); the score itself when no curve was fitted."""
    knots = params.calibration
    if not knots:
        value = score
    elif score <= knots[0][0]:
        value = knots[0][1]
    elif score >= knots[-1][0]:
        value = knots[-1][1]
    else:
        i = bisect.bisect_right([k[0] for k in knots], score)
        (x0, y0), (x1, y1) = knots[i - 1], knots[i]
        value = y0 + (y1 - y0) * (score - x0) / (x1 - x0) if x1 > x0 else y1
    return round(max(0.0, min(0.99, value)), 3)


def _other_language_only(claim: Claim, lang: str) -> bool:
    """The claim is in the other language and has no curated label in the question's language."""
    if claim.lang == lang:
        return False
    group = claim.group
    if group is None or not group_labels_indexed():
        return True
    return not (group.label if lang == "en" else group.label_ar)


def _names_of(source: Source) -> list[str]:
    return [fold_name(n) for n in [source.name, *(a.text for a in source.aliases)] if n]


def _mentions_source(claim: Claim, source: Source) -> bool:
    """The claim is attributed to ``source``, or to someone of it: a speaker or relay whose name
    holds one of the source's names ("an unnamed official at the National Oil Corporation" is
    of the NOC, "مصدر في غازبروم" of Gazprom)."""
    if claim.speaker_id == source.id or any(h.source_id == source.id for h in claim.hops):
        return True
    names = [n for n in _names_of(source) if len(n) >= 3]
    for other in {claim.speaker, *(h.source for h in claim.hops)}:
        if other is None or other.kind not in AFFILIATED_KINDS:
            continue
        for own in _names_of(other):
            if any(re.search(rf"(?:^|\W){re.escape(n)}(?:\W|$)", own) for n in names):
                return True
    return False


#: Kinds of source that speak for an organisation they are named after.
AFFILIATED_KINDS = frozenset({SourceKind.ANONYMOUS.value, SourceKind.PERSON.value})


#: One sentence boundary: its end marks (not a decimal point) with the quotes, brackets and
#: space that follow them.
_SENTENCE_END = re.compile(r"(?:(?:[!?؟\n]|\.(?!\d))[\s\"'«»“”’)\]]*)+")
#: How far (characters) the context of a claim reaches on either side of its span.
CONTEXT_WINDOW = 400
#: The concept a modality stands for: "Did the army deny ...?" is asked of a denial, whose
#: text ("it had agreed to join the talks") does not say "deny".
MODALITY_CONCEPTS = {Modality.DENIED.value: "~deny"}
#: At most this many candidates (the most hopeful) are loaded and checked in context.
MAX_LOADED = 60


def _sentence_bounds(text: str, start: int, end: int, *, back: int = 1) -> tuple[int, int]:
    """From the start of the ``back``-th sentence before ``start`` to the end of ``end``'s sentence."""
    before = text[max(0, start - CONTEXT_WINDOW) : start]
    ends = [m.end() for m in _SENTENCE_END.finditer(before.rstrip(" \t\"'«»“”,،\n"))]
    lo = start - len(before) + (ends[-back] if len(ends) >= back and back else 0)
    after = _SENTENCE_END.search(text, end, min(len(text), end + CONTEXT_WINDOW))
    return lo, after.end() if after else end


#: What follows a claim in its sentence counts as its context only when it is this short: a
#: trailing attribution (', the Houthis said.'), not another clause ("... hours after Kadhimi and
#: Biden announced ...").
TRAILING_ATTRIBUTION_WORDS = 8


#: The spans of the claims of the documents ``supported`` is checking, by document id (set by
#: ``_document_spans`` for the duration of one call): ``_another_claim_within`` then reads them
#: instead of querying once per claim.
_SPANS: ContextVar[dict[uuid.UUID, list[tuple[object, int, int]]] | None] = ContextVar("claim_spans", default=None)


def _document_spans(session: Session, document_ids: set[uuid.UUID]) -> dict[uuid.UUID, list[tuple[object, int, int]]]:
    """Every claim's (id, start, end) in these documents (one query per 500 documents). The ids
    stay as the driver returns them (``_raw_id``: 16 bytes on SQLite): ~5 claims a document, 60
    documents a question, and only equality with the claim's own id is asked of them."""
    out: dict[uuid.UUID, list[tuple[object, int, int]]] = {d: [] for d in document_ids}
    raw = {_raw_id(session, d): d for d in document_ids}
    ids = list(document_ids)
    for i in range(0, len(ids), 500):
        rows = session.execute(
            select(type_coerce(Claim.document_id, NullType()), type_coerce(Claim.id, NullType()), Claim.start_offset, Claim.end_offset)
            .where(Claim.document_id.in_(ids[i : i + 500]))
        )
        for document_id, claim_id, start, end in rows:
            out[raw[document_id]].append((claim_id, start, end))
    return out


def _raw_id(session: Session | None, value: uuid.UUID) -> object:
    """A UUID as the driver returns the column (its 16 bytes on SQLite, the UUID elsewhere)."""
    return value.bytes if session is not None and session.get_bind().dialect.name == "sqlite" else value


def _another_claim_within(claim: Claim, start: int, end: int) -> bool:
    """Whether another claim of the claim's document lies in ``[start, end)``: what follows "...
    في البحر الأحمر، فيما" is CENTCOM's own claim ("تعرض أي سفينة للإصابة"), not the
    attribution of this one."""
    if end <= start:
        return False
    spans = _SPANS.get()
    session = object_session(claim)
    if spans is not None and claim.document_id in spans:
        own = _raw_id(session, claim.id)
        return any(other != own and s < end and e > start for other, s, e in spans[claim.document_id])
    if session is None:
        return False
    return session.scalar(
        select(Claim.id).where(
            Claim.document_id == claim.document_id, Claim.id != claim.id,
            Claim.start_offset < end, Claim.end_offset > start,
        ).limit(1)
    ) is not None


def context_terms(claim: Claim) -> set[str]:
    """Index terms of what a claim is said in, for the units its own span leaves out: the words
    of its sentence before it (the attribution "The electoral commission said it merely applied
    the law" names what "it" is) and a short trailing attribution after it, the entities of that sentence (and of the one before it when the claim
    names no entity itself), and the entities in its speaker's names."""
    out: set[str] = set()
    document = claim.document
    if document is not None and document.text:
        text = document.text
        lo, hi = _sentence_bounds(text, claim.start_offset, claim.end_offset, back=1)
        out.update(index_terms(text[lo : claim.start_offset]))
        trailing = text[claim.end_offset : hi]
        if len(trailing.split()) <= TRAILING_ATTRIBUTION_WORDS and not _another_claim_within(claim, claim.end_offset, hi):
            out.update(index_terms(trailing))
        lo2, _ = _sentence_bounds(text, claim.start_offset, claim.end_offset, back=2)
        out.update(antecedent_terms(claim.text, text[lo2:lo], claim.lang))
        if not subject_terms(claim.text):
            # A quotation that names no subject of its own ('بلاده "تقترب ..."') may take it from
            # the sentence before; one that names its own ("US forces ...") does not.
            out.update(entity_terms(text[lo2:lo]))
    speaker = claim.speaker
    if speaker is not None:
        for name in [speaker.name, *(a.text for a in speaker.aliases)]:
            out.update(entity_terms(name))
    return out


#: Where the clause of an antecedent's mention ends ("..., which it blamed on the RSF").
_CLAUSE_END = re.compile(r"[,،;:؛]")


def antecedent_terms(text: str, before: str, lang: str) -> set[str]:
    """What a claim's definite noun refers back to: "The RSF denied responsibility for the
    strikes", after "... drone strikes on Port Sudan last week, which ...", is about drone
    strikes on Port Sudan. For each definite noun of ``text`` (the language's ``definite``
    pattern) that is a key noun (``~concept``) mentioned in ``before`` (the sentence before), the
    concepts and the places (never a subject: ``place_terms``) of that mention's clause."""
    language = languages.get(lang)
    if language.definite is None or not before.strip():
        return set()
    wanted: set[str] = set()
    for m in language.definite.finditer(fold(text) if language.fold_question else text):
        wanted.update(concept_terms(m.group(1)))
    if not wanted:
        return set()
    places = place_terms()
    out: set[str] = set()
    for clause in _CLAUSE_END.split(before):
        if wanted & set(concept_terms(clause)):
            out.update(concept_terms(clause))
            out.update(t for t in entity_terms(clause) if t in places)
    return out


def elided_terms(claim: Claim) -> set[str]:
    """What an elliptical claim says: "as the EU does", after "..., given that the US considers
    it a terrorist organization", says the EU considers it one. When the claim is such an
    ellipsis (the language's ``ellipsis`` pattern), the words and concepts of the clause before
    it in its sentence; never that clause's names or entities (the ellipsis keeps its own
    subject: the EU, not the US)."""
    language = languages.get(claim.lang)
    document = claim.document
    if language.ellipsis is None or document is None or not document.text:
        return set()
    text = claim.text.strip()
    if not language.ellipsis.match(fold(text) if language.fold_question else text):
        return set()
    lo, _ = _sentence_bounds(document.text, claim.start_offset, claim.end_offset, back=1)
    clauses = [c for c in _CLAUSE_END.split(document.text[lo : claim.start_offset]) if c.strip()]
    out: set[str] = set()
    for word in _WORD.findall(light(clauses[-1])) if clauses else []:
        if (language.cased and word[:1].isupper()) or entity_terms(word):
            continue
        out.update(t for t in index_terms(word) if t[:1] != "@")
    return out


#: A word is negated when one of the words this far before it is a negator ("but no fire"); one
#: word only: "لم يكن قرار الميليشيات ..." negates the copula, not the decision.
NEGATION_REACH = 1


def negated_terms(text: str) -> set[str]:
    """Search terms that occur in ``text`` only under a negation ("the crew reported a splash,
    but no fire" → {"fire"}; "دون اندلاع حريق" → اندلاع)."""
    tokens = _WORD.findall(light(text))
    plain: set[str] = set()
    negated: set[str] = set()
    for i, word in enumerate(tokens):
        before = tokens[max(0, i - NEGATION_REACH) : i]
        under = any(fold(w) in for_word(w).negators for w in before)
        (negated if under else plain).update(terms(word))
    return negated - plain


def _place_texts(claim: Claim) -> tuple[str, str]:
    """Where a claim may name the places it is about: its whole document (the article about the
    Sharara field says "the field" in the quoted sentence) with its group's curated labels, and
    its own sentence (the place it puts the event in)."""
    whole, sentence = [claim.text], claim.text
    document = claim.document
    if document is not None and document.text:
        whole.append(document.text)
        lo, hi = _sentence_bounds(document.text, claim.start_offset, claim.end_offset, back=1)
        sentence = document.text[lo:hi]
    group = claim.group
    if group is not None and group_labels_indexed():
        whole += [label for label in (group.label, group.label_ar) if label]
    return "\n".join(whole), sentence


#: Two phonetic tokens of a place's name are the same word from this ``fuzz.ratio`` (and equal
#: when shorter than ``_SHORT_KEY`` letters): "fsr" (El Fasher) = "fsr" (الفاشر).
_PLACE_RATIO = 80
_SHORT_KEY = 4


def holds_place(place: Place, text: str) -> bool:
    """Whether ``text`` names the place: a gazetteer place by its id in either language (a
    country also by a city that stands for it: "Baghdad" holds Iraq; a city never by its
    country: "American" does not hold Washington); another name by sound, any of its words
    ("El Fasher" ~ "الفاشر", "Sharara" ~ "الشرارة"). A country is also held by a place within it
    (``claims.entities.containers``: "Port Sudan" holds Sudan)."""
    if place.entity is not None:
        named = PLACES.mentions(text)
        return place.entity in named or place.entity in {metonyms().get(e) for e in named} | {containers().get(e) for e in named}
    wanted = [t for t in phonetic_key(place.name).split() if t]
    if not wanted:
        return True
    have = set()
    for word in _WORD.findall(light(text)):
        have.update(phonetic_key(word).split())
    return any(
        t in have or (len(t) >= _SHORT_KEY and any(fuzz.ratio(t, h) >= _PLACE_RATIO for h in have if abs(len(h) - len(t)) <= 2))
        for t in wanted
    )


def _name_words(text: str, lang: str) -> list[str]:
    """The words of ``text`` that may be names: in a cased script the capitalised ones
    ("Kaabi", "Saied"), in an uncased one every word that is not a stop word."""
    words = [w for w in _WORD.findall(light(text)) if len(w) >= 3 and not is_stopword(fold(w))]
    if languages.get(lang).cased:
        return [w for w in words if w[:1].isupper()]
    return words


def asked_names(parsed: ParsedQuestion) -> dict[str, frozenset[str]]:
    """The question's words that may be names (``_name_words``), as index term → phonetic keys
    (of the word, and of it without a proclitic: ``claims.names.name_forms``): worked out once
    per question for ``names_by_sound``."""
    asked: dict[str, frozenset[str]] = {}
    for word in _name_words(parsed.proposition, parsed.lang):
        keys = frozenset(k for k in map(phonetic_key, name_forms(word)) if len(k) >= _NAME_KEY and " " not in k)
        if keys:
            for term in terms(word)[:1]:
                asked.setdefault(term, keys)
    return asked


def names_by_sound(asked: dict[str, frozenset[str]], question_lang: str, result: HybridResult, claim: Claim) -> list[Unit]:
    """The question's units that no lexicon carries across languages but that name, by sound,
    a word of a claim in the other language: "Kaabi" ~ "الكعبي", "سعيد" ~ "Saied", "لأوتينو"
    ~ "Otieno" (the same phonetic key, ``asked_names``; the cased side must capitalise it). A
    rule, not fitted."""
    if claim.lang == question_lang or not asked:
        return []
    have = {phonetic_key(f) for w in _name_words(claim.text, claim.lang) for f in name_forms(w)}
    return [u for u in result.units if not u.neutral and asked.get(u.weight_term, frozenset()) & have]


#: A name is matched by sound only when its phonetic key has this many letters.
_NAME_KEY = 2


def lacks_place(claim: Claim, places: tuple[Place, ...]) -> bool:
    """A place the question names that the claim lacks (its document never names it) or
    contradicts (its sentence puts the event in another gazetteer place and not in this one):
    "Qaani met Biden in Washington" is not answered by Qaani's visit to Baghdad, though both
    name Qaani, Biden and the United States. A rule, not fitted."""
    if not places:
        return False
    whole, sentence = _place_texts(claim)
    elsewhere = None
    for place in places:
        if not holds_place(place, whole):
            return True
        if place.entity is None or holds_place(place, sentence):
            continue
        if elsewhere is None:
            elsewhere = any(p.entity for p in question_places(sentence, claim.lang))
        if elsewhere:
            return True
    return False


def countries_by_place(claim: Claim, places: tuple[Place, ...], lacking: set[str] | frozenset[str]) -> frozenset[str]:
    """The entity terms of countries the question names after a locative ("in Sudan") that the
    claim lacks but holds through a place within them in its sentence ("in Port Sudan"): the
    country is where, and the claim says where."""
    wanted = [p for p in places if p.entity is not None and f"@{p.entity}" in lacking]
    if not wanted:
        return frozenset()
    _, sentence = _place_texts(claim)
    named = PLACES.mentions(sentence)
    within = {containers().get(e) for e in named}
    return frozenset(f"@{p.entity}" for p in wanted if p.entity in within)


def in_headline(claim: Claim) -> bool:
    """The claim lies in its document's first line: a headline summarises the story; the body's
    attributed telling of the same thing is the evidence to show."""
    document = claim.document
    if document is None or not document.text:
        return False
    first = document.text.find("\n")
    return 0 <= claim.start_offset < first


def modality_terms(claim: Claim) -> set[str]:
    """Concept terms the claim holds through how it is said (a denial holds "~deny")."""
    modalities = {claim.modality, *(h.modality for h in claim.hops)}
    return {MODALITY_CONCEPTS[m] for m in modalities if m in MODALITY_CONCEPTS}


def _passes_cover(cand: Candidate, needed: int, params: AskParams) -> bool:
    return len(cand.matched) >= needed or (cand.cosine is not None and cand.cosine >= params.cos_floor + params.cos_span / 2)


def _optimistic(cand: Candidate, result: HybridResult, bonus: float, params: AskParams) -> float:
    xl = cross_lingual_coverage(cand, result, params, agreed=True, checked=int(bonus > 0))
    return max(support(cand, params, speaker_bonus=bonus), support(cand, params, lexical=xl, speaker_bonus=bonus))


def _cross_possible(cand: Candidate, bonus: float, params: AskParams) -> bool:
    return cand.cosine is not None and cand.cosine >= params.cross_lingual_cos - bonus / 2


def _with_context(
    cand: Candidate, result: HybridResult, context: frozenset[str], params: AskParams, *, extra: frozenset[str] = frozenset()
) -> Candidate:
    """The candidate with the units of ``extra`` terms held in full and ``context`` terms held
    at ``context_credit``."""
    lexical, matched = result.lexical, set(cand.matched)
    for u in result.units:
        if u.terms & extra:
            matched |= u.terms
    context = context - matched
    return Candidate(
        cand.claim_id, bm25=cand.bm25, matched=matched, cosine=cand.cosine,
        entities_ok=lexical.required <= matched | context,
        coverage=unit_coverage(lexical, result.units, matched, params=params, context=context),
        neutral_coverage=unit_coverage(lexical, result.units, matched, cross_lingual=True, params=params, context=context),
        neutral_held=sum(1 for u in result.units if u.neutral and u.terms & (matched | context)),
    )


def _missing_concepts(cand: Candidate, result: HybridResult, context: frozenset[str]) -> int:
    """How many of the question's key predicates and nouns (``~concept`` units) the claim holds
    neither in its text nor in its context: "Iran will withdraw its militias" is not answered by
    "Iran has militias" (same actors, another proposition)."""
    held = cand.matched | context
    return sum(1 for u in result.units if any(t[:1] == "~" for t in u.terms) and not u.terms & held)


def _subject_lent(claim: Claim, cand: Candidate, required: frozenset[str] | set[str], asked: frozenset[str]) -> bool:
    """A required entity may come from the claim's context only if the claim names no subject
    of its own that the question does not name: "the agreement to withdraw all US forces from
    Iraq", said in a sentence about an Iranian visit, is about the US, not Iran."""
    if required <= cand.matched:
        return True
    return not (set(subject_terms(claim.text)) - asked)


def _all_unit_terms(result: HybridResult) -> frozenset[str]:
    return frozenset(t for u in result.units for t in u.terms)


def _attributed(session: Session, claim_ids: list[uuid.UUID], speaker: Source) -> set[uuid.UUID]:
    """Which of these claims the speaker said or relayed (one query per 500): they are loaded
    first, so other claims cannot crowd a named speaker's out of ``MAX_LOADED``."""
    out: set[uuid.UUID] = set()
    for i in range(0, len(claim_ids), 500):
        chunk = claim_ids[i : i + 500]
        out.update(session.scalars(select(Claim.id).where(Claim.id.in_(chunk), Claim.speaker_id == speaker.id)))
        out.update(session.scalars(select(RelayHop.claim_id).where(RelayHop.claim_id.in_(chunk), RelayHop.source_id == speaker.id)))
    return out


def _prefetch(session: Session, claim_ids: list[uuid.UUID], *, relays_named: bool = False, hops: bool = True) -> list[Claim]:
    """Load the rows ``supported`` will read with one query per 500 instead of five statements
    per claim. The caller holds the list: the identity map only keeps objects referenced
    elsewhere, and ``session.get`` then finds them there. ``relays_named``: the hops' sources'
    aliases too (a named speaker's relays are matched by name). ``hops=False``: the hops are
    left to load when read (``supported`` reads none of them when the question names no
    speaker and no modality concept: three hops and their sources a claim, ~40% of the load)."""
    if relays_named:
        options = _SUPPORT_OPTIONS + _RELAY_ALIASES
    elif hops:
        options = _SUPPORT_OPTIONS + _RELAY_SOURCES
    else:
        options = _SUPPORT_OPTIONS + _HOPS_WHEN_READ
    out: list[Claim] = []
    for i in range(0, len(claim_ids), 500):
        out += session.scalars(select(Claim).where(Claim.id.in_(claim_ids[i : i + 500])).options(*options)).all()
    return out


#: What ``supported`` reads of a candidate: its document (the sentence around it), its speaker
#: with aliases (context), its hops with their sources (and their aliases for a named speaker's
#: relays); aliases in one statement, not one lazy load per source.
_SUPPORT_OPTIONS = (
    joinedload(Claim.document).lazyload(Document.outlet),
    joinedload(Claim.speaker).selectinload(Source.aliases),
)
_RELAY_SOURCES = (selectinload(Claim.hops).joinedload(RelayHop.source).lazyload(Source.aliases),)
_RELAY_ALIASES = (selectinload(Claim.hops).joinedload(RelayHop.source).selectinload(Source.aliases),)
_HOPS_WHEN_READ = (lazyload(Claim.hops),)


def best_first(scored: list[tuple[float, Candidate]]) -> list[tuple[float, Candidate]]:
    """Best support first; of equal support (a coverage every candidate reaches in full), the
    one whose sentence vector is closer to the question, then the higher BM25 score: "we want
    to keep supporting X" and "the partnership with X continues" hold the same words of "what
    did he say about continuing the partnership", but only one says it."""
    return sorted(scored, key=lambda sc: (-sc[0], -(sc[1].cosine or 0.0), -sc[1].bm25))


def supported(
    session: Session, parsed: ParsedQuestion, result: HybridResult, speaker: Source | None, params: AskParams = PARAMS
) -> list[tuple[float, Claim]]:
    """The claims that support the question, best first, with their support score."""
    # at least two of the question's terms; the speaker of "what did X say about Y" is one (its
    # claims are checked on it), not that of "did X say P" (it asks for all of P)
    needed = max(1, min(2, len(set(result.lexical.query_terms))) - (speaker is not None and not parsed.yes_no))
    bonus = params.speaker_bonus if speaker else 0.0
    everything = _all_unit_terms(result)
    asked_negated = frozenset(negated_terms(parsed.proposition))
    required = result.lexical.required
    asked_entities = frozenset(t for t in everything if t[:1] == "@")
    question_names = asked_names(parsed)
    # The question as it would read to a claim in the other language that hears every name it
    # may hold by sound (``names_by_sound`` needs the claim's text, loaded below).
    heard = frozenset(t for u in result.units if not u.neutral and u.weight_term in question_names for t in u.terms)
    hearable = replace(result, units=[replace(u, neutral=True) if u.terms & heard else u for u in result.units]) if heard else None
    # Cheap tests first, on what the index says; a claim is loaded only if it would pass with
    # every unit it lacks held by its context (its sentence, its speaker, its modality).
    viable: list[tuple[float, Candidate]] = []
    for cand in result.candidates:
        if not (_passes_cover(cand, needed, params) or _cross_possible(cand, bonus, params)):
            continue
        hopeful = _with_context(cand, result, everything, params) if params.context_credit > 0 else cand
        if not hopeful.entities_ok:
            continue
        best = _optimistic(hopeful, result, bonus, params)
        if best >= params.min_support or _cross_possible(cand, bonus, params) or (
            hearable is not None and _optimistic(_with_context(cand, hearable, everything, params, extra=heard), hearable, bonus, params)
            >= params.min_support
        ):
            # (one that passes only if the names it may hear are heard keeps the lower bound: it
            # is loaded after the others)
            viable.append((best, cand))
    own = _attributed(session, [c.claim_id for _, c in viable], speaker) if speaker is not None else set()
    viable.sort(key=lambda bc: (bc[1].claim_id not in own, -bc[0], str(bc[1].claim_id)))
    viable = [c for _, c in viable[:MAX_LOADED]]
    # The hops are read to match a named speaker's relays and for the modality concepts they
    # lend (``modality_terms``), which count only when the question holds one.
    modalities_asked = not everything.isdisjoint(MODALITY_CONCEPTS.values())
    loaded = _prefetch(session, [c.claim_id for c in viable], relays_named=speaker is not None,
                       hops=speaker is not None or modalities_asked)
    token = _SPANS.set(_document_spans(session, {c.document_id for c in loaded}) if loaded else None)
    try:
        claims: dict[uuid.UUID, Claim] = {}
        scored: list[tuple[float, Candidate]] = []
        for cand in viable:
            claim = claims[cand.claim_id] = session.get(Claim, cand.claim_id)
            if speaker is not None and not _mentions_source(claim, speaker):
                continue
            if lacks_place(claim, parsed.places):
                continue
            extra = (
                (frozenset(modality_terms(claim)) if modalities_asked else frozenset()) | frozenset(elided_terms(claim))
                | countries_by_place(claim, parsed.places, required - cand.matched)
            ) & everything
            context = frozenset(context_terms(claim)) & everything if params.context_credit > 0 else frozenset()
            sounded = names_by_sound(question_names, parsed.lang, result, claim)
            here = result
            if sounded:
                # a name heard in the other language's claim is held, and checked, like an entity
                here = replace(result, units=[replace(u, neutral=True) if u in sounded else u for u in result.units])
                extra |= frozenset(t for u in sounded for t in u.terms)
            # A word the question asserts and the claim only negates ("a fire broke out" / "a splash,
            # but no fire"): the claim says the opposite, it is no support (a rule, not fitted).
            if (negated_terms(claim.text) & cand.matched) - asked_negated:
                continue
            if extra or context - cand.matched:
                cand = _with_context(cand, here, context, params, extra=extra)
            if not cand.entities_ok or not _subject_lent(claim, cand, required, asked_entities):
                continue  # the subject must agree: a claim about Russia never answers a question about Iran
            if claim.lang == parsed.lang:
                score = support(cand, params, speaker_bonus=bonus)
            else:
                agreed = actors_agree(parsed, here, speaker, sounded, cand.matched | context | extra) or (
                    not parsed.yes_no and same_subject(parsed.proposition, claim.text) and not unheard_names(parsed, here, cand.matched | context | extra)
                )
                xl = cross_lingual_coverage(cand, here, params, agreed=agreed, checked=int(agreed and speaker is not None))
                score = support(cand, params, lexical=max(cand.coverage, xl), speaker_bonus=bonus,
                                cross_lingual=_other_language_only(claim, parsed.lang))
            score *= (1 - params.missing_concept_penalty) ** _missing_concepts(cand, here, context)
            if in_headline(claim):
                score *= 1 - params.headline_penalty
            if score >= params.min_support:
                scored.append((score, cand))
        del loaded
        return [(sc, claims[c.claim_id]) for sc, c in best_first(scored)]
    finally:
        _SPANS.reset(token)
