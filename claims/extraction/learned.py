"""The trained English attribution model at inference: speaker, cue and content spans from two
CRFs (see ``claims.extraction.training``), merged into the rule pipeline's claims.

The model ships in the package (``claims/extraction/models/attribution-en/``: two CRFsuite
files, the learned cue lexicon and ``manifest.json`` with the data, date, version and dev
scores). ``CLAIMS_ATTRIBUTION_MODEL`` selects another model directory, or ``off`` for the rules
alone. When the model is absent or fails to load, ``refine`` returns the rules' extraction
unchanged: the rules are the fallback as well as the model's features.

Merging: each predicted attribution takes the rule claim with the same cue (or the most
overlapping content) for its chain, relays and modality, and its own spans; its speaker is
resolved through the document's mention registry (pronouns go to the previous named speaker,
and a cue with no speaker in its window links to the previous attribution's speaker). A cue
the rules read as a relay ("according to X" inside another speaker's claim) stays a relay. Rule
claims that overlap no predicted content or cue are kept (measured on dev: dropping them costs
more recall than it gains precision).
"""

from __future__ import annotations

import bisect
import json
import logging
import os
import re
import threading
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import groupby
from pathlib import Path
from typing import Any

from claims.extraction import crf
from claims.extraction.attribution import en_clause_fragment, en_discourse_marker
from claims.extraction.model import ExtractedClaim, Extraction, Hop, Mention, Span
from claims.extraction.training import features as F
from claims.vocabulary import Relation, SourceKind

log = logging.getLogger(__name__)

PACKAGED_MODEL = Path(__file__).parent / "models" / "attribution-en"
ENV_VAR = "CLAIMS_ATTRIBUTION_MODEL"


@dataclass
class Prediction:
    cue: Span
    speaker: Span | None
    content: Span | None
    linked: bool = False  # the speaker was taken from an earlier attribution (none in the window)
    probability: float = 1.0  # the role tagger's mean marginal probability over its cue/speaker/content tokens


class AttributionModel:
    def __init__(self, path: Path) -> None:
        import pycrfsuite

        from claims.extraction.training.train import (
            CUE_FILE,
            LEXICON_FILE,
            MANIFEST_FILE,
            ROLE_FILE,
            rule_cue_words,
        )

        self.path = path
        self.manifest: dict[str, Any] = json.loads((path / MANIFEST_FILE).read_text(encoding="utf-8"))
        self.rates: dict[str, float] = json.loads((path / LEXICON_FILE).read_text(encoding="utf-8"))
        self.rule_cues = rule_cue_words()
        # cue decoding: a token is a cue where P(B) + P(I) reaches the manifest's threshold (chosen
        # on dev: it trades the tagger's surplus precision for recall), else the Viterbi path
        self.cue_threshold: float | None = self.manifest.get("cue_threshold")
        # a cue whose role labels give no content takes the run of tokens around the likeliest
        # content token whose P(BC) + P(IC) reaches this (chosen on dev); None: no content
        self.content_threshold: float | None = self.manifest.get("content_threshold")
        self._files = (str(path / CUE_FILE), str(path / ROLE_FILE))
        self._local = threading.local()
        self._pycrfsuite = pycrfsuite
        cue, role = self._taggers()  # fail now, not on first use, if the files are unreadable
        # the same models as arrays, for the compiled scorer (``claims.extraction.crf``)
        self._weights = (crf.Weights(cue), crf.Weights(role))

    def _taggers(self):
        t = getattr(self._local, "taggers", None)
        if t is None:
            cue, role = self._pycrfsuite.Tagger(), self._pycrfsuite.Tagger()
            cue.open(self._files[0])
            role.open(self._files[1])
            t = self._local.taggers = (cue, role)
        return t

    def _scorers(self) -> tuple[crf.CueScorer, crf.RoleScorer]:
        s = getattr(self._local, "scorers", None)
        if s is None:
            s = self._local.scorers = (crf.CueScorer(self._weights[0], self.rates, self.rule_cues), crf.RoleScorer(self._weights[1], self.rates, self.rule_cues))
        return s

    @property
    def info(self) -> dict[str, Any]:
        m = self.manifest
        return {"name": m.get("name"), "version": m.get("version"), "trained": m.get("trained"), "path": str(self.path), "manifest": m}

    def predict(self, text: str, rule_claims: list[tuple[Span | None, Span | None, Span | None]], *, compiled: bool = True) -> list[Prediction]:
        """The model's attributions. ``compiled`` scores with ``claims.extraction.crf`` (the
        default: the same model and features, several times faster); otherwise with
        python-crfsuite's tagger on the feature strings, as in training."""
        doc = F.tokenize(text)
        F.rule_marks(doc, rule_claims)
        found = self._found_compiled(doc) if compiled else self._found_strings(doc)
        # content that runs into the next sentence stops before another attribution's cue there
        # ("X hinted that A. The ministry denied that B": A does not take in the second sentence)
        out: list[Prediction] = []
        starts = sorted(f[0][0] for f in found)
        for cue, spk, con, prob in found:
            # a sentence's full stop closes neither the speaker nor the content (PolNeAR leaves it out)
            spk = _without_full_stop(doc, spk)
            con = _without_full_stop(doc, con)
            if con is not None:
                own = doc.sent[cue[0]]
                # the first other cue inside the content, in a later sentence: its sentence's start
                for other in starts[bisect.bisect_left(starts, con[0]) : bisect.bisect_left(starts, con[1])]:
                    if doc.sent[other] != own:
                        cut = doc.sent_bounds[doc.sent[other]][0]
                        if cut > con[0]:
                            con = (con[0], cut)
                            break
            out.append(Prediction(F.char_span(doc, cue), F.char_span(doc, spk) if spk else None, F.char_span(doc, con) if con else None, probability=prob))
        # each token belongs to at most one attribution (PolNeAR's univocal annotation): a cue
        # inside another attribution's content with no speaker of its own is part of that
        # attribution ("said in a joint statement that ..."), not one more
        def inside(p: Prediction) -> bool:
            if p.speaker is not None:
                return False
            return any(
                q is not p and q.content is not None and q.content[0] <= p.cue[0] and p.cue[1] <= q.content[1]
                for q in out
            )

        out = [p for p in out if not inside(p)]
        prev: Span | None = None
        for p in out:
            if p.speaker is None and prev is not None:
                p.speaker, p.linked = prev, True
            if p.speaker is not None:
                prev = p.speaker
        return out


    def _found_strings(self, doc: F.DocTokens) -> list[tuple[tuple[int, int], tuple[int, int] | None, tuple[int, int] | None, float]]:
        cue_tagger, role_tagger = self._taggers()
        F.base_features(doc, self.rates, self.rule_cues)
        found = []
        for si, xseq in enumerate(F.cue_sequences(doc)):
            if not any(f[3] != "cl=0" or "rc" in f or "lx" in f for f in xseq):
                continue  # no word that is ever a cue: the cue tagger would say O throughout
            if self.cue_threshold is None:
                cue_labels = cue_tagger.tag(xseq)
            else:
                cue_tagger.set(xseq)
                cue_labels = F.threshold_cues([(cue_tagger.marginal("B", j), cue_tagger.marginal("I", j)) for j in range(len(xseq))], self.cue_threshold)
            for cue in F.decode_cues(doc, si, cue_labels):
                window = F.role_window(doc, cue)
                labels = role_tagger.tag(F.role_features(doc, cue, window))
                spk, con, marks = _roles(doc, cue, window, labels)
                if con is None and self.content_threshold is not None:
                    con = _content_from_marginals(doc, cue, window, labels, [role_tagger.marginal("BC", j) + role_tagger.marginal("IC", j) for j in range(len(labels))], self.content_threshold)
                prob = sum(role_tagger.marginal(lab, j) for j, lab in marks) / len(marks) if marks else 0.5
                found.append((cue, spk, con, prob))
        return found

    def _found_compiled(self, doc: F.DocTokens) -> list[tuple[tuple[int, int], tuple[int, int] | None, tuple[int, int] | None, float]]:
        cue_scorer, role_scorer = self._scorers()
        doc.in_quote = F.quote_state(doc)
        E, candidate = cue_scorer.emissions(doc)
        # a sentence with no word that is ever a cue: the cue tagger would say O throughout
        sentences = [si for si, (a, b) in enumerate(doc.sent_bounds) if candidate[a:b].any()]
        if self.cue_threshold is None:
            cue_labels = cue_scorer.sentence_labels(doc, E, sentences)
        else:
            b_col, i_col = cue_scorer.w.col["B"], cue_scorer.w.col["I"]
            cue_labels = {si: F.threshold_cues(m[:, [b_col, i_col]].tolist(), self.cue_threshold) for si, m in cue_scorer.sentence_marginals(doc, E, sentences).items()}
        cues = [cue for si in sentences for cue in F.decode_cues(doc, si, cue_labels[si])]
        if not cues:
            return []
        windows = [F.role_window(doc, cue) for cue in cues]
        labels, marg, col = role_scorer.tag(doc, cues, windows)
        found = []
        for k, (cue, window) in enumerate(zip(cues, windows, strict=True)):
            spk, con, marks = _roles(doc, cue, window, labels[k])
            if con is None and self.content_threshold is not None:
                con = _content_from_marginals(doc, cue, window, labels[k], (marg[k, :, col["BC"]] + marg[k, :, col["IC"]]).tolist(), self.content_threshold)
            if marks:  # (the same sum, in the same order, of the same values as marg[k, j, col[lab]])
                at = marg[k, [j for j, _ in marks], [col[lab] for _, lab in marks]].tolist()
                prob = float(sum(at) / len(marks))
            else:
                prob = 0.5
            found.append((cue, spk, con, prob))
        return found


def _content_from_marginals(doc, cue, window, labels, p_content: list[float], threshold: float) -> tuple[int, int] | None:
    """Content for a cue the Viterbi path gave none: the likeliest content token of the cue's
    paragraph (not the cue or its speaker) and its neighbours while P(content) >= threshold."""
    para = doc.sent_para[doc.sent[cue[0]]]
    start = window[0]
    ok = [lab == "O" and doc.sent_para[doc.sent[start + j]] == para for j, lab in enumerate(labels)]
    best = max((j for j in range(len(labels)) if ok[j]), key=lambda j: p_content[j], default=None)
    if best is None or p_content[best] < threshold:
        return None
    a = b = best
    while a > 0 and ok[a - 1] and p_content[a - 1] >= threshold:
        a -= 1
    while b + 1 < len(labels) and ok[b + 1] and p_content[b + 1] >= threshold:
        b += 1
    return start + a, start + b + 1


def _roles(doc, cue, window, labels):
    """(speaker, content, the labelled tokens at span edges) from a cue window's role labels."""
    # content stays in the cue's paragraph (the window may reach into the next one)
    para = doc.sent_para[doc.sent[cue[0]]]
    if doc.sent_para[doc.sent[window[1] - 1]] != para:
        labels = [lab if doc.sent_para[doc.sent[window[0] + j]] == para or lab in ("O", "K") else "O" for j, lab in enumerate(labels)]
    spk, con = F.decode_roles(window, labels)
    # marginals at the span edges (where the tagger hesitates), not every token: speed. The
    # first and last token of each run of one label other than O, in order
    marks = []
    j = 0
    for lab, run in groupby(labels):
        n = sum(1 for _ in run)
        if lab != "O":
            marks.append((j, lab))
            if n > 1:
                marks.append((j + n - 1, lab))
        j += n
    return spk, con, marks


def _without_full_stop(doc, toks: tuple[int, int] | None) -> tuple[int, int] | None:
    if toks is not None and toks[1] - toks[0] > 1 and doc.words[toks[1] - 1] == ".":
        return toks[0], toks[1] - 1
    return toks


_lock = threading.Lock()


@lru_cache(maxsize=4)
def _load(path: str) -> AttributionModel | None:
    try:
        return AttributionModel(Path(path))
    except Exception as exc:  # a missing or broken model must not stop extraction: rules run
        log.warning("attribution model at %s not loaded (%s); using the rules", path, exc)
        return None


def model_path() -> Path | None:
    value = os.environ.get(ENV_VAR, "").strip()
    if value.lower() in ("off", "rules", "none", "0"):
        return None
    return Path(value) if value else PACKAGED_MODEL


def default_model() -> AttributionModel | None:
    path = model_path()
    if path is None:
        return None
    with _lock:
        return _load(str(path))


def reset() -> None:
    """Forget loaded models (after ``CLAIMS_ATTRIBUTION_MODEL`` changes)."""
    _load.cache_clear()


def model_info() -> dict[str, Any]:
    """Which attribution model English extraction uses now (for ``claims eval attribution``)."""
    model = default_model()
    if model is None:
        path = model_path()
        return {"name": "rules", "version": None, "reason": "disabled by " + ENV_VAR if path is None else f"no loadable model at {path}"}
    info = dict(model.info)
    manifest = info.pop("manifest")
    info["dev"] = manifest.get("dev")
    info["data"] = manifest.get("data")
    return info


# ----------------------------------------------------------------------------- merging
def _overlap(a: Span | None, b: Span | None) -> int:
    if a is None or b is None:
        return 0
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def refine(extraction: Extraction, registry) -> Extraction:
    """The rule extraction with its attributions replaced by the model's (unchanged when the
    model is unavailable or fails on this text)."""
    model = default_model()
    if model is None:
        return extraction
    rule_claims = [c for c in extraction.claims if c.attributed]
    triples = [(c.hops[0].speaker_span, c.hops[0].cue_span, (c.start, c.end)) for c in rule_claims]
    try:
        predictions = model.predict(extraction.text, triples)
    except Exception as exc:
        log.warning("attribution model failed (%s); using the rules for this text", exc)
        return extraction
    return _merge(extraction, rule_claims, predictions, registry)


def _paragraph_of(text: str):
    from claims.extraction.segmentation import paragraphs

    paras = paragraphs(text)
    starts = [p.start for p in paras]  # (ascending)
    indices = [p.index for p in paras]

    def find(offset: int) -> int:
        """The index of the last paragraph starting at or before ``offset`` (0 if none)."""
        k = bisect.bisect_right(starts, offset) - 1
        return indices[k] if k >= 0 else 0

    return find


def _extent(start: int, end: int, cue: Span | None) -> Span:
    return (min(start, cue[0]), max(end, cue[1])) if cue is not None else (start, end)


class _SpanIndex:
    """Which of a list of spans share a character with a query span (sorted starts + the longest
    span's length bound the candidates: merging stays linear in the document's claims)."""

    def __init__(self, spans: list[Span]) -> None:
        self.spans = spans
        self.order = sorted(range(len(spans)), key=lambda k: spans[k][0])
        self.starts = [spans[k][0] for k in self.order]
        self.longest = max((b - a for a, b in spans), default=0)

    def overlapping(self, a: int, b: int) -> list[int]:
        import bisect

        lo = bisect.bisect_left(self.starts, a - self.longest)
        hi = bisect.bisect_left(self.starts, b)
        return sorted(k for k in self.order[lo:hi] if self.spans[k][1] > a and self.spans[k][0] < b)


def _rule_decides(text: str, claims: list[ExtractedClaim]) -> bool:
    """The rule claims that share a predicted cue settle it themselves (the model's attribution
    is dropped) when they are one of the classes the rules were written and tested for: a joint
    statement (several parties on one cue), a relay chain (a hop between the speaker and the
    publisher), an "according to" frame, or a speaker resolved beyond its surface (a described
    agency, a title or pronoun followed to an earlier named speaker)."""
    from claims.text import fold

    if len({id(c.hops[0].mention) for c in claims}) > 1:
        return True
    for c in claims:
        if any(not h.mention.publisher for h in c.hops[1:]):
            return True
        origin = c.hops[0]
        if origin.cue and fold(origin.cue).startswith("according to"):
            return True
        if origin.speaker_span is not None and origin.mention.names and not origin.mention.publisher:
            surface = fold(text[origin.speaker_span[0] : origin.speaker_span[1]])
            if not any(fold(n) in surface or surface in fold(n) for n in origin.mention.names):
                return True
    return False


#: Words that end a model speaker span without being part of the speaker (PolNeAR's source
#: spans stop before them): auxiliaries and modals of the cue's verb phrase ("The agency isn't
#: offering", "I should say", "he's predicting"), adverbs ("DuVernay powerfully highlights",
#: "Putney later told") and a time ("The Times on Saturday wrote", "the council in 2015")
_AUXILIARIES = frozenset(
    "is are was were has have had do does did can could may might must shall should will would "
    "isn't aren't wasn't weren't hasn't haven't hadn't doesn't didn't can't couldn't won't wouldn't shouldn't "
    "'ve ’ve 're ’re 'll ’ll 'd ’d also later then further often again now still too once first".split()
)
_NOT_ADVERBS = frozenset(["family", "ally", "rally", "supply", "assembly", "italy", "july", "monopoly", "anomaly", "bully", "lily", "belly", "jelly", "folly", "holly", "only"])
_SPEAKER_TAIL = re.compile(r"(?:\s+(?:on\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|in\s+(?:1[89]|20)\d\d)|\s*[’'](?:s|ve|re|ll|d)|\s+[\w’']+)$")
_PRONOUN_WORDS = frozenset(["he", "she", "it", "that", "who", "there", "what", "this"])


def _speaker_without_tail(text: str, speaker: Span) -> Span:
    """A model speaker span without trailing auxiliaries, adverbs or a time (``_AUXILIARIES``);
    "’s" goes only after a pronoun ("he’s", "It’s": a verb, not a possessive)."""
    a, b = speaker
    while True:
        m = _SPEAKER_TAIL.search(text, a, b)
        if m is None or m.start() <= a:
            return a, b
        tail = m.group().strip()
        low = tail.lower()
        head = text[a : m.start()].split()
        if not head:
            return a, b
        if low in ("'s", "’s"):
            ok = head[-1].lower() in _PRONOUN_WORDS
        elif " " in tail:
            ok = True  # "on Saturday", "in 2015"
        else:
            ok = low in _AUXILIARIES or (tail.islower() and low.endswith("ly") and len(low) > 4 and low not in _NOT_ADVERBS)
        if not ok:
            return a, b
        b = m.start()


_RELATIVE_SUBJECT = re.compile(r"\s*,?\s*(who|which)\s+$")


#: What a relative clause after an unnamed speaker says about its anonymity: such a clause
#: explains why the source is unnamed, it does not name it. Only these: PolNeAR's source spans
#: include other relative clauses (cutting every ", who ..." cost 0.003 speaker F1 on its dev).
_ANONYMITY_CLAUSES = ("condition of anonymity", "not to be named", "to be identified", "not authorised", "not authorized", "requested anonymity")


def _relative_tail(text: str, speaker: Span, rule_speakers: list[Span | None]) -> bool:
    """The model's speaker is a rule speaker followed by a relative clause about its anonymity
    (", who spoke on condition of anonymity,"): the clause describes the speaker, it is not it."""
    for rs in rule_speakers:
        if rs is not None and rs[0] == speaker[0] and rs[1] < speaker[1]:
            tail = text[rs[1] : speaker[1]].lstrip().lower()
            if tail.startswith(",") and tail[1:].lstrip().startswith(("who ", "whose ")) and any(a in tail for a in _ANONYMITY_CLAUSES):
                return True
    return False


def _with_model_spans(text: str, claim: ExtractedClaim, p: Prediction) -> ExtractedClaim:
    """A rule claim the rules decide, with the model's cue, speaker and content spans where they
    mark the same thing in the corpus's conventions (the cue without its speaker, content with
    its complementiser): each model span replaces the rule's when the two overlap, and the
    content only when it does not cut words off the rules' content."""
    origin = claim.hops[0]
    cue = p.cue if _overlap(p.cue, origin.cue_span) else origin.cue_span
    speaker = p.speaker if p.speaker is not None and not p.linked and _overlap(p.speaker, origin.speaker_span) else origin.speaker_span
    if any(h.speaker_span is not None and _overlap(speaker, h.speaker_span) for h in claim.hops[1:]):
        speaker = origin.speaker_span  # "A source quoted by the daily X": the medium is a relay hop, not the speaker's
    start, end = claim.start, claim.end
    if p.content is not None and _overlap(p.content, (start, end)) and p.content[0] <= start and p.content[1] >= end:
        start, end = p.content
    hop = replace(origin, cue_span=cue, speaker_span=speaker)
    return replace(claim, start=start, end=end, text=text[start:end], hops=[hop, *claim.hops[1:]])


def _merge(ex: Extraction, rule_claims: list[ExtractedClaim], predictions: list[Prediction], registry) -> Extraction:
    from claims.extraction import confidence as conf
    from claims.extraction.lexicon import load
    from claims.extraction.modality import content_modality, stance_for
    from claims.text import fold

    text = ex.text
    lex = load("en")
    para_of = _paragraph_of(text)
    made: list[ExtractedClaim] = []
    last_named: Mention | None = None
    mention_at: dict[Span, Mention] = {}
    used: set[int] = set()
    relay_cues = [h.cue_span for c in rule_claims for h in c.hops[1:] if h.cue_span is not None]
    translator_spans = [sp for m in ex.mentions if m.translator for sp in m.spans]
    decided: set[int] = set()  # rule claims kept as the rules made them (see _rule_decides)
    rule_index = _SpanIndex([_extent(c.start, c.end, c.hops[0].cue_span) for c in rule_claims])
    relay_index = _SpanIndex(relay_cues)
    furniture = sorted(ex.furniture or [])

    def past_furniture(span: Span | None) -> Span | None:
        """A span that starts inside a dateline or other furniture starts after it."""
        if span is None:
            return None
        a, b = span
        for fa, fb in furniture:
            if fa <= a < fb < b:
                a = fb
        while a < b and text[a].isspace():
            a += 1
        return (a, b) if a < b else None

    for p in predictions:
        p.speaker = past_furniture(p.speaker)
        if p.speaker is not None and not p.linked:
            p.speaker = _speaker_without_tail(text, p.speaker)
        if relay_index.overlapping(*p.cue):
            continue  # "according to X" that the rules read as a relay of another speaker's claim
        if en_discourse_marker(text, p.cue):
            continue  # "That said, ...": the rules' discourse-marker test, not a cue
        near = rule_index.overlapping(*_extent(*(p.content or p.cue), p.cue))
        same_cue = [k for k in near if _overlap(rule_claims[k].hops[0].cue_span, p.cue)]
        if same_cue and _rule_decides(text, [rule_claims[k] for k in same_cue]):
            for k in same_cue:
                if k not in decided:
                    decided.add(k)
                    made.append(_with_model_spans(text, rule_claims[k], p))
            continue
        if p.speaker is not None and en_clause_fragment(text[p.speaker[0] : p.speaker[1]]):
            # "did not say which ...": the rules' noun-phrase test; the rules' speaker for the cue if any
            rule_spk = next((rule_claims[k].hops[0].speaker_span for k in same_cue if rule_claims[k].hops[0].speaker_span), None)
            p.speaker, p.linked = rule_spk, False
        if p.speaker is not None and _relative_tail(text, p.speaker, [rule_claims[k].hops[0].speaker_span for k in same_cue]):
            # "The official, who spoke on condition of anonymity, said": the rules' speaker, without the clause
            p.speaker = next(rule_claims[k].hops[0].speaker_span for k in same_cue if _relative_tail(text, p.speaker, [rule_claims[k].hops[0].speaker_span]))
        if p.speaker is not None and any(_overlap(p.speaker, sp) for sp in translator_spans):
            continue  # "according to a translation by X": a translation hop, not a source
        # the rule claim for the same attribution: same cue, else the most shared content
        best, best_score = None, 0.0
        for k in near:  # (only rule claims that share a character with the prediction can score)
            c = rule_claims[k]
            score = 2.0 * bool(_overlap(c.hops[0].cue_span, p.cue))
            if p.content is not None:
                score += _overlap((c.start, c.end), p.content) / max(1, p.content[1] - p.content[0])
            if score > best_score and (c.hops[0].cue_span is None or _overlap(c.hops[0].cue_span, p.cue) or score >= 0.5):
                best, best_score = k, score
        rule = rule_claims[best] if best is not None else None
        if p.content is None:
            if rule is None or not _overlap(rule.hops[0].cue_span, p.cue):
                continue
            p.content = (rule.start, rule.end)  # the model found the cue but no content: the rules' content
        if best is not None:
            used.add(best)
        mention = None
        if p.speaker is not None:
            mention = mention_at.get(p.speaker)
            surface = text[p.speaker[0] : p.speaker[1]]
            if mention is None and rule is not None and _overlap(rule.hops[0].speaker_span, p.speaker):
                mention = rule.hops[0].mention
            if mention is None and fold(surface) in F.PRONOUNS and last_named is not None:
                mention = last_named
            if mention is None:
                mention = registry.get(surface, p.speaker)
            mention_at[p.speaker] = mention
            if fold(surface) not in F.PRONOUNS:
                last_named = mention
            rel = _RELATIVE_SUBJECT.match(text, p.speaker[1], p.cue[0]) if p.speaker[1] <= p.cue[0] else None
            if rel is not None:
                # "a staffer at the agency who told": the relative pronoun is the source span
                # (PolNeAR's convention); the source stays the antecedent
                p.speaker = rel.span(1)
        elif rule is not None:
            mention = rule.hops[0].mention
        if mention is None or mention.publisher:
            mention = registry.get("unnamed source", None, kind=SourceKind.ANONYMOUS, speaker=False)
        content = text[p.content[0] : p.content[1]]
        cue_text = text[p.cue[0] : p.cue[1]]
        evidence_parts = [s for s in (p.cue, p.speaker) if s]
        evidence = (min(s[0] for s in evidence_parts), max(s[1] for s in evidence_parts))
        if rule is not None:
            modality, stance = rule.modality, rule.stance
            relays = [h for h in rule.hops[1:] if not h.mention.publisher and h.mention is not mention]
            publisher = rule.hops[-1] if rule.hops[-1].mention.publisher else Hop(ex.publisher, Relation.PUBLISHED, modality, ex.lang, confidence=conf.publisher(ex.publisher))
            origin_mod = rule.hops[0].modality or modality
        else:
            cue_entry = lex.cue_verbs.get(fold(cue_text))
            modality = content_modality(fold(content), lex, cue=cue_entry[1] if cue_entry else None)
            stance = stance_for(modality, fold(cue_text), lex)
            relays = []
            publisher = Hop(ex.publisher, Relation.PUBLISHED, modality, ex.lang, confidence=conf.publisher(ex.publisher))
            origin_mod = modality
        relation = Relation.REPORTED if mention.kind in (SourceKind.AGENCY, SourceKind.OUTLET) else Relation.SAID
        # the rules' evidence formula (a cue with its speaker in the window counts as a verb cue;
        # a linked speaker as inherited), scaled by the model's own marginal probability
        in_window = p.speaker is not None and not p.linked
        surface = text[p.speaker[0] : p.speaker[1]] if in_window else None
        base = conf.origin(mention, "verb" if in_window else None, p.speaker if in_window else None, p.content, surface)
        confidence = round(base * (0.8 + 0.2 * min(1.0, max(0.0, p.probability))), 3)
        origin = Hop(mention, relation, origin_mod, None, cue_text, p.cue, p.speaker, evidence, confidence)
        hops = [origin, *relays, publisher]
        made.append(ExtractedClaim(p.content[0], p.content[1], content, modality, stance, hops, para_of(p.content[0]), confidence=conf.claim(hops)))
    used_ids = {id(rule_claims[k]) for k in used | decided}
    # unattributed sentences and the rules' attributions the model did not find (kept where they
    # overlap no predicted content or cue: dropping them loses more recall than precision on dev)
    taken = _SpanIndex([(c.start, c.end) for c in made] + [p.cue for p in predictions])
    kept = [c for c in ex.claims if (not c.attributed or id(c) not in used_ids) and not taken.overlapping(c.start, c.end)]
    claims = sorted(made + kept, key=lambda c: (c.start, c.end))
    known = {id(m) for m in ex.mentions}
    mentions = list(ex.mentions)
    for c in made:
        for h in c.hops:
            if id(h.mention) not in known:
                known.add(id(h.mention))
                mentions.insert(len(mentions) - 1, h.mention)
    return Extraction(text=ex.text, lang=ex.lang, claims=claims, mentions=mentions, publisher=ex.publisher, title=ex.title, furniture=ex.furniture)
