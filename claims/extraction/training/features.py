"""Tokens and CRF features for the learned English attribution model, shared by training
(``claims.extraction.training.train``) and inference (``claims.extraction.learned``) so the
two can never disagree.

Two cue-anchored taggers:

- the *cue tagger* labels every token of a sentence ``B``/``I``/``O`` (part of a cue or not);
- the *role tagger* runs once per predicted cue over a window (the cue's sentence and the next
  one) and labels tokens ``K`` (the cue itself), ``BS``/``IS`` (speaker), ``BC``/``IC``
  (content) or ``O``. Discontinuous content ("X, he said, Y") is two content runs around the
  cue; the claim's content span covers them, as the PolNeAR ``content_span`` does.

Features: the word, its shape and suffix, the cue lexicon learned from the training data and
the rule lexicon, quotation state, the token's position relative to the cue, and the rule
pipeline's own frames (its cue, speaker and content for the same cue), so the rules stay a
feature of the model as well as its fallback.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from claims.extraction.segmentation import paragraphs, sentences

# dotted abbreviations keep their full stop ("U.S.", "(D-N.C.)", "Sen.", "Mr."), so a speaker
# span can end on them; otherwise words with inner apostrophes, hyphens and dots, or one symbol
TOKEN_RE = re.compile(
    r"\w++(?:[-’']\w++)*+(?:\.\w++)++\.(?=\W|$)"  # possessive: a plain word fails at once
    r"|(?<![\w.])(?:Mr|Mrs|Ms|Dr|Rep|Reps|Sen|Sens|Gov|Gen|Lt|Col|Sgt|Capt|Adm|Cmdr|Gens|St|Jr|Sr|Prof|Rev|Atty|Supt|Inc|Corp|Co|Ltd|No|Jan|Feb|Aug|Sept|Oct|Nov|Dec)\.(?=\s|$)"
    r"|\w+(?:[’'.\-]\w+)*|[^\w\s]"
)
OPEN_QUOTES = frozenset("“«‘")
CLOSE_QUOTES = frozenset("”»’")
STRAIGHT_QUOTES = frozenset("\"'`")
PRONOUNS = frozenset(["he", "she", "they", "it", "we", "i", "you", "him", "her", "them"])

Span = tuple[int, int]


def _shape(w: str) -> str:
    if w.isalpha():
        if w.isupper():
            return "X" if len(w) > 1 else "X1"
        if w[0].isupper():
            return "Xx"
        return "x"
    if w.isdigit():
        return "d"
    if len(w) == 1 and not w.isalnum():
        return "p"
    return "m"


@dataclass
class DocTokens:
    """A document's tokens with character offsets, sentence ids and per-token base features."""

    text: str
    spans: list[Span]
    words: list[str]  # lower-cased
    sent: list[int]  # sentence index of each token
    sent_bounds: list[tuple[int, int]]  # token [start, end) of each sentence
    sent_para: list[int] = field(default_factory=list)  # paragraph index of each sentence
    base: list[list[str]] = field(default_factory=list)
    cue_feats: list[list[str]] = field(default_factory=list)
    in_quote: list[bool] = field(default_factory=list)
    rule_cue: list[int] = field(default_factory=list)  # index of the rule claim whose cue covers the token, or -1
    rule_spk: list[int] = field(default_factory=list)
    rule_con: list[int] = field(default_factory=list)
    _starts: list[int] = field(default_factory=list, repr=False)
    _neighbours: tuple | None = field(default=None, repr=False)
    arrays: dict[str, Any] = field(default_factory=dict, repr=False)  # per-document arrays of the compiled scorer

    def token_range(self, span: Span) -> tuple[int, int]:
        """Tokens overlapping a character span: [first, last+1)."""
        starts = self._starts
        if len(starts) != len(self.spans):
            starts = self._starts = [s for s, _ in self.spans]
        a = bisect.bisect_right(starts, span[0]) - 1
        if a < 0 or self.spans[a][1] <= span[0]:
            a += 1
        b = bisect.bisect_left(starts, span[1])
        return a, b


def tokenize(text: str) -> DocTokens:
    spans: list[Span] = []
    words: list[str] = []
    sent: list[int] = []
    bounds: list[tuple[int, int]] = []
    paras: list[int] = []
    finditer = TOKEN_RE.finditer
    for para in paragraphs(text):
        for s in sentences(text, para):
            found = list(finditer(text, s.start, s.end))
            if found:
                first = len(spans)
                spans += [m.span() for m in found]
                words += [m.group().lower() for m in found]
                sent += [len(bounds)] * len(found)
                bounds.append((first, len(spans)))
                paras.append(para.index)
    return DocTokens(text, spans, words, sent, bounds, paras)


def rule_marks(doc: DocTokens, rule_claims: list[tuple[Span | None, Span | None, Span | None]]) -> None:
    """Mark the tokens of the rule pipeline's (speaker, cue, content) spans, by claim index."""
    n = len(doc.words)
    doc.rule_cue, doc.rule_spk, doc.rule_con = [-1] * n, [-1] * n, [-1] * n
    for k, (spk, cue, con) in enumerate(rule_claims):
        for span, arr in ((con, doc.rule_con), (spk, doc.rule_spk), (cue, doc.rule_cue)):
            if span is None:
                continue
            a, b = doc.token_range(span)
            for i in range(a, b):
                arr[i] = k


def stem(w: str) -> str:
    """A crude English stem (says/said/saying -> say-ish) so inflections share weights."""
    for suf in ("ing", "ed", "es", "s"):
        if len(w) > len(suf) + 2 and w.endswith(suf):
            return w[: -len(suf)]
    return w


def _cue_bucket(rate: float) -> str:
    if rate >= 0.5:
        return "3"
    if rate >= 0.2:
        return "2"
    if rate >= 0.05:
        return "1"
    return "0"


_STATIC: dict[str, Any] = {"rates": None, "cache": {}}

#: what a token gives its neighbour at each offset (the neighbour's "w-1=" is this token's word),
#: and what a sentence edge gives in its place; shared by the feature strings and the compiled
#: scorer (``claims.extraction.crf``), so the two cannot drift apart
NEIGHBOUR_OFFSETS = (-1, 1, -2, 2)
SENTENCE_EDGE = {
    -1: ("w-1=<s>", "cl-1=s", "sh-1=s", "st-1=s"),
    1: ("w+1=</s>", "cl+1=s", "sh+1=s", "st+1=s"),
    -2: ("w-2=<s>",),
    2: ("w+2=</s>",),
}
#: what the cue tagger's tokens also take from further neighbours (``far_features``): the words
#: three tokens away, the cue buckets of the words two away; in this order in the strings
FAR_OFFSETS = (-3, 3, -2, 2)
FAR_EDGE = {-3: ("w-3=<s>",), 3: ("w+3=</s>",), -2: ("cl-2=s",), 2: ("cl+2=s",)}
#: per-token flags: in a quotation, inside the rules' cue, speaker, content
TOKEN_FLAGS = ("iq", "rc", "rs", "rn")


def own_features(surface: str, w: str, cue_rates: dict[str, float], rule_cues: frozenset[str]) -> tuple[str, ...]:
    """The features of a token that depend on its surface form alone."""
    f = ["w=" + w, "s3=" + w[-3:], "sh=" + _shape(surface), "cl=" + _cue_bucket(cue_rates.get(w, 0.0)), "st=" + stem(w)]
    if w in rule_cues:
        f.append("lx")
    if w in OPEN_QUOTES or w in CLOSE_QUOTES or w in STRAIGHT_QUOTES:
        f.append("q")
    if w in PRONOUNS:
        f.append("pr")
    return tuple(f)


def neighbour_features(surface: str, w: str, cue_rates: dict[str, float], offset: int) -> tuple[str, ...]:
    """The features a token at ``offset`` from another gives that token (its word; for the
    adjacent ones also its cue bucket, shape and stem)."""
    mark = ("-" if offset < 0 else "+") + str(abs(offset))
    if abs(offset) == 2:
        return ("w" + mark + "=" + w,)
    return ("w" + mark + "=" + w, "cl" + mark + "=" + _cue_bucket(cue_rates.get(w, 0.0)), "sh" + mark + "=" + _shape(surface), "st" + mark + "=" + stem(w))


@lru_cache(maxsize=8)
def _stems(words: frozenset[str]) -> frozenset[str]:
    return frozenset(stem(w) for w in words)


def cue_own_features(w: str, rule_cues: frozenset[str]) -> tuple[str, ...]:
    """The cue tagger's features of a word beyond ``own_features``: its stem is a rule-lexicon
    word's ("contends" for "contend")."""
    return ("lxs",) if stem(w) in _stems(rule_cues) else ()


#: the cue tagger's flags from a token's sentence context (``cue_context``)
CUE_CONTEXT = ("nthat", "nthat3", "nq3", "pq3", "ncolon", "sq", "capb", "prb")
_QUOTE_MARKS = OPEN_QUOTES | CLOSE_QUOTES | STRAIGHT_QUOTES


def cue_context(doc: DocTokens) -> dict[str, np.ndarray]:
    """Per-token context flags for the cue tagger, as boolean arrays (one implementation for the
    feature strings and the compiled scorer): the next token is "that" (``nthat``), or "that"
    is two or three tokens on (``nthat3``); a quotation mark within three tokens after
    (``nq3``) or before (``pq3``); the next token is a colon (``ncolon``); the sentence has a
    quotation mark (``sq``); a capitalised word that does not open the sentence within three
    tokens before (``capb``: a name as the cue's subject); a pronoun within two before (``prb``)."""
    words = doc.words
    n = len(words)
    if not n:
        return {name: np.zeros(0, dtype=bool) for name in CUE_CONTEXT}
    text = doc.text
    sent = np.asarray(doc.sent, dtype=np.intp)
    bounds = np.asarray(doc.sent_bounds, dtype=np.intp).reshape(-1, 2)
    idx = np.arange(n)
    before = idx - bounds[sent, 0]
    after = bounds[sent, 1] - 1 - idx
    that = np.array([w == "that" for w in words])
    quote = np.array([w in _QUOTE_MARKS for w in words])
    colon = np.array([w == ":" for w in words])
    pron = np.array([w in PRONOUNS for w in words])
    cap = np.array([text[s].isupper() for s, _ in doc.spans]) & (before > 0)

    def at(flags: np.ndarray, off: int) -> np.ndarray:
        """flags[i + off], False where i + off is outside i's sentence."""
        out = np.zeros(n, dtype=bool)
        if off > 0:
            out[: n - off] = flags[off:]
            out &= after >= off
        else:
            out[-off:] = flags[: n + off]
            out &= before >= -off
        return out

    nthat = at(that, 1)
    has_quote = np.zeros(len(bounds), dtype=bool)
    np.logical_or.at(has_quote, sent, quote)
    return {
        "nthat": nthat,
        "nthat3": ~nthat & (at(that, 2) | at(that, 3)),
        "nq3": at(quote, 1) | at(quote, 2) | at(quote, 3),
        "pq3": at(quote, -1) | at(quote, -2) | at(quote, -3),
        "ncolon": at(colon, 1),
        "sq": has_quote[sent],
        "capb": at(cap, -1) | at(cap, -2) | at(cap, -3),
        "prb": at(pron, -1) | at(pron, -2),
    }


def far_features(w: str, cue_rates: dict[str, float], offset: int) -> tuple[str, ...]:
    """What a token at ``offset`` (one of ``FAR_OFFSETS``) gives the cue tagger's token."""
    mark = ("-" if offset < 0 else "+") + str(abs(offset))
    if abs(offset) == 3:
        return ("w" + mark + "=" + w,)
    return ("cl" + mark + "=" + _cue_bucket(cue_rates.get(w, 0.0)),)


def trigram_feature(left: str, w: str, right: str) -> str:
    """The cue tagger's word with its two neighbours ("<s>", "</s>" at the sentence's edges)."""
    return "t=" + left + "|" + w + "|" + right


def bigram_features(left: str, right: str) -> tuple[str, str]:
    """(the right token's "b-=", the left token's "b+=") for two adjacent words (or an edge)."""
    return "b-=" + left + "|" + right, "b+=" + left + "|" + right


def position_features(k: int) -> tuple[str, ...]:
    """Features of the token's position ``k`` in its sentence."""
    pos = "pos=" + ("0" if k == 0 else "1" if k < 3 else "2" if k < 8 else "3")
    return (pos, "first") if k == 0 else (pos,)


def quote_state(doc: DocTokens) -> list[bool]:
    """Whether each token lies inside a quotation (curly, guillemets or straight quotes)."""
    words = doc.words
    in_quote = [False] * len(words)
    for a, b in doc.sent_bounds:
        depth = 0
        straight = False
        for i in range(a, b):
            w = words[i]
            if w in OPEN_QUOTES:
                depth += 1
            elif w in CLOSE_QUOTES and w != "’":
                depth = max(0, depth - 1)
            elif w == '"':
                straight = not straight
            in_quote[i] = depth > 0 or straight
    return in_quote


def token_flags(doc: DocTokens, i: int) -> list[str]:
    f = []
    if doc.in_quote[i]:
        f.append("iq")
    if doc.rule_cue and doc.rule_cue[i] >= 0:
        f.append("rc")
    if doc.rule_spk and doc.rule_spk[i] >= 0:
        f.append("rs")
    if doc.rule_con and doc.rule_con[i] >= 0:
        f.append("rn")
    return f


def base_features(doc: DocTokens, cue_rates: dict[str, float], rule_cues: frozenset[str]) -> None:
    """Per-token features that do not depend on a cue (computed once per document): ``doc.base``
    (the role tagger's) and ``doc.cue_feats`` (the cue tagger's: base plus the sentence
    neighbours, bigrams and position)."""
    words = doc.words
    # the per-word part of the features is the same wherever the word occurs: memoised
    if _STATIC.get("rates") is not cue_rates or len(_STATIC["cache"]) > 200_000:
        _STATIC["rates"], _STATIC["cache"] = cue_rates, {}  # holds the dict: its id is not reused
    cache = _STATIC["cache"]
    text = doc.text
    statics = []
    for (s, e), w in zip(doc.spans, words, strict=True):
        surface = text[s:e]
        static = cache.get(surface)
        if static is None:
            static = (
                own_features(surface, w, cue_rates, rule_cues),
                {off: neighbour_features(surface, w, cue_rates, off) for off in NEIGHBOUR_OFFSETS},
                cue_own_features(w, rule_cues),
                {off: far_features(w, cue_rates, off) for off in FAR_OFFSETS},
            )
            cache[surface] = static
        statics.append(static)
    doc.in_quote = quote_state(doc)
    base = [list(statics[i][0]) + token_flags(doc, i) for i in range(len(words))]
    context = cue_context(doc)
    flagged = [[] for _ in words]
    for name in CUE_CONTEXT:
        for i in np.flatnonzero(context[name]).tolist():
            flagged[i].append(name)
    cue_feats = []
    for i, w in enumerate(words):
        sa, sb = doc.sent_bounds[doc.sent[i]]
        f = list(base[i])
        for off in NEIGHBOUR_OFFSETS:
            j = i + off
            f.extend(statics[j][1][off] if sa <= j < sb else SENTENCE_EDGE[off])
        left = words[i - 1] if i > sa else "<s>"
        right = words[i + 1] if i + 1 < sb else "</s>"
        f.append(bigram_features(left, w)[0])
        f.append(bigram_features(w, right)[1])
        f.extend(position_features(i - sa))
        for off in FAR_OFFSETS[:2]:
            j = i + off
            f.extend(statics[j][3][off] if sa <= j < sb else FAR_EDGE[off])
        f.extend(flagged[i])
        f.extend(statics[i][2])
        for off in FAR_OFFSETS[2:]:
            j = i + off
            f.extend(statics[j][3][off] if sa <= j < sb else FAR_EDGE[off])
        f.append(trigram_feature(left, w, right))
        cue_feats.append(f)
    doc.base = base
    doc.cue_feats = cue_feats


def cue_sequences(doc: DocTokens) -> list[list[list[str]]]:
    return [doc.cue_feats[a:b] for a, b in doc.sent_bounds]


def _dist(d: int) -> str:
    a = abs(d)
    b = "1" if a == 1 else "2" if a == 2 else "3" if a <= 4 else "5" if a <= 8 else "9" if a <= 16 else "L"
    return ("-" if d < 0 else "+") + b


def role_window(doc: DocTokens, cue: tuple[int, int]) -> tuple[int, int]:
    """The role tagger's window for a cue at tokens [a, b): the cue's sentence and the next."""
    s = doc.sent[cue[0]]
    start = doc.sent_bounds[s][0]
    end = doc.sent_bounds[s + 1][1] if s + 1 < len(doc.sent_bounds) else doc.sent_bounds[s][1]
    return start, end


def _neighbours(doc: DocTokens) -> tuple[list[str], list[str], list[str], list[str]]:
    """Per-token "w-1=", "w+1=", "w-2=", "w+2=" strings over the whole document (computed once;
    ``role_features`` replaces them at its window's edges)."""
    nb = doc._neighbours
    if nb is None:
        words = doc.words
        n = len(words)
        nb = doc._neighbours = tuple(
            ["w" + m + "=" + words[i + off] if 0 <= i + off < n else WINDOW_EDGE[off] for i in range(n)]
            for off, m in ((-1, "-1"), (1, "+1"), (-2, "-2"), (2, "+2"))
        )
    return nb


def side_word_feature(side: str, w: str) -> str:
    """The word on its side of the cue (B before, C inside, A after)."""
    return "pw=" + side + w


def adjacent_feature(side: str, w: str) -> str:
    """The word right before (B) or right after (A) the cue."""
    return "adj=" + side + w


def cue_word_feature(side: str, head: str) -> str:
    """The cue's head word, seen from the token's side of the cue."""
    return "cw=" + side + head


def cue_head(doc: DocTokens, cue: tuple[int, int]) -> str:
    a, b = cue
    return doc.words[b - 1] if b - a <= 3 else doc.words[a]


#: the role tagger's stand-in for a neighbour outside its window
WINDOW_EDGE = {-1: "w-1=<w>", 1: "w+1=</w>", -2: "w-2=<w>", 2: "w+2=</w>"}
_DIST = {d: "d=" + _dist(d) for d in range(-40, 41)}
_SEP = {(p, k): "sep=" + p + (str(k) if k < 3 else "3") for p in "BCA" for k in range(4)}


def role_features(doc: DocTokens, cue: tuple[int, int], window: tuple[int, int]) -> list[list[str]]:
    a, b = cue
    start, end = window
    words = doc.words
    head = cue_head(doc, cue)
    cue_sent = doc.sent[a]
    rule_k = next((doc.rule_cue[i] for i in range(a, b) if doc.rule_cue and doc.rule_cue[i] >= 0), -1)
    # is the cue inside a quotation? what quote state does each token have relative to it?
    cue_q = doc.in_quote[a]
    # commas and quotation marks between each token and the cue (apposition and clause edges)
    seps = [0] * (end - start)
    count = 0
    for i in range(a - 1, start - 1, -1):
        seps[i - start] = count
        if words[i] in _SEPARATORS:
            count += 1
    count = 0
    for i in range(b, end):
        if words[i] in _SEPARATORS:
            count += 1
        seps[i - start] = count
    prev1, next1, prev2, next2 = _neighbours(doc)
    in_quote, sent, base = doc.in_quote, doc.sent, doc.base
    rule_spk, rule_con = doc.rule_spk, doc.rule_con
    cw = {p: cue_word_feature(p, head) for p in "BCA"}
    out = []
    for i in range(start, end):
        w = words[i]
        if i < a:
            p, d = "B", i - a
        elif i >= b:
            p, d = "A", i - b + 1
        else:
            p, d = "C", 0
        f = base[i] + [
            "p=" + p,
            _DIST[d] if -40 <= d <= 40 else "d=" + _dist(d),
            side_word_feature(p, w),
            cw[p],
        ]
        if sent[i] != cue_sent:
            f.append("ns")
            f.append("nsq=1" if in_quote[i] else "nsq=0")
        if in_quote[i] != cue_q:
            f.append("qd")
        f.append(prev1[i] if i > start else WINDOW_EDGE[-1])
        f.append(next1[i] if i + 1 < end else WINDOW_EDGE[1])
        if rule_k >= 0:
            if rule_spk[i] == rule_k:
                f.append("RS")
            if rule_con[i] == rule_k:
                f.append("RC")
        if i == a - 1 or i == b:
            f.append(adjacent_feature(p, w))
        sep = seps[i - start]
        f.append(_SEP[p, sep if sep < 3 else 3])
        f.append(prev2[i] if i - 2 >= start else WINDOW_EDGE[-2])
        f.append(next2[i] if i + 2 < end else WINDOW_EDGE[2])
        out.append(f)
    return out


_SEPARATORS = frozenset([",", ";", ":", "“", "”", '"', "(", ")", "—", "–", "―"])
ROLE_LABELS = ("O", "K", "BS", "IS", "BC", "IC")


def threshold_cues(marginals: list[tuple[float, float]], threshold: float) -> list[str]:
    """Cue labels from per-token marginals (P(B), P(I)): a token is part of a cue where their
    sum reaches ``threshold``; it opens one where B is likelier or the previous token is none."""
    labels: list[str] = []
    for b, i in marginals:
        if b + i >= threshold:
            labels.append("B" if b >= i or not labels or labels[-1] == "O" else "I")
        else:
            labels.append("O")
    return labels


def decode_cues(doc: DocTokens, sent_index: int, labels: list[str]) -> list[tuple[int, int]]:
    a, _ = doc.sent_bounds[sent_index]
    out = []
    cur = None
    for j, lab in enumerate(labels):
        i = a + j
        if lab == "B" or (lab == "I" and cur is None):
            if cur is not None:
                out.append(cur)
            cur = (i, i + 1)
        elif lab == "I":
            cur = (cur[0], i + 1)
        else:
            if cur is not None:
                out.append(cur)
            cur = None
    if cur is not None:
        out.append(cur)
    return out


def decode_roles(window: tuple[int, int], labels: list[str]) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """(speaker tokens, content tokens covering every content run) from role labels."""
    start = window[0]
    runs: list[tuple[int, int]] = []
    cur = None
    content = []
    for j, lab in enumerate(labels):
        i = start + j
        if lab in ("BC", "IC"):
            content.append(i)
        if lab == "BS" or (lab == "IS" and cur is None):
            if cur is not None:
                runs.append(cur)
            cur = (i, i + 1)
        elif lab == "IS":
            cur = (cur[0], i + 1)
        else:
            if cur is not None:
                runs.append(cur)
            cur = None
    if cur is not None:
        runs.append(cur)
    speaker = max(runs, key=lambda r: r[1] - r[0]) if runs else None
    con = (min(content), max(content) + 1) if content else None
    return speaker, con


def char_span(doc: DocTokens, toks: tuple[int, int]) -> Span:
    return doc.spans[toks[0]][0], doc.spans[toks[1] - 1][1]
