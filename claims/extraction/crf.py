"""Compiled inference for the two attribution CRFs (``claims.extraction.learned``).

The same model (the weights are read from the CRFsuite files) and the same features
(``claims.extraction.training.features``), scored without building a feature string per token
and feature: a CRF's score for a label at a token is the sum of its features' weights, so the
part that depends only on a word (its own features, what it gives its neighbours, its side of a
cue) is summed once per distinct surface form and cached, and a document's emission scores are
gathered from those sums with array operations. Decoding (Viterbi) and the marginal
probabilities (forward-backward) run over every sentence, or every cue's window, of a document
at once. The weights are read-only and shared; the scorers hold per-thread caches.
``tests/extraction/test_crf.py`` checks scores, labels and marginals against
python-crfsuite's tagger on the string features.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from claims.extraction.training import features as F

_CACHE_LIMIT = 200_000


class Weights:
    """A CRFsuite model as arrays: a row of state weights (one column per label) for each
    attribute, a zero row for attributes the model does not know, and the transition matrix."""

    def __init__(self, tagger: Any) -> None:
        info = tagger.info()
        self.labels: list[str] = sorted(info.labels, key=lambda lab: int(info.labels[lab]))
        col = {lab: k for k, lab in enumerate(self.labels)}
        index: dict[str, int] = {}
        for attr, _ in info.state_features:
            index.setdefault(attr, len(index))
        w = np.zeros((len(index) + 1, len(self.labels)))
        for (attr, lab), value in info.state_features.items():
            w[index[attr], col[lab]] += value
        trans = np.zeros((len(self.labels), len(self.labels)))
        for (a, b), value in info.transitions.items():
            trans[col[a], col[b]] = value
        self.col, self.index, self.W, self.trans = col, index, w, trans
        self.unknown = len(index)

    def row(self, attr: str) -> int:
        return self.index.get(attr, self.unknown)

    def vec(self, attrs) -> np.ndarray:
        return self.W[[self.row(a) for a in attrs]].sum(axis=0)


class SurfaceTable:
    """Per distinct surface form, the summed weights of each of its feature groups (``slots``:
    surface, word -> one tuple of feature strings per group), grown as new forms appear."""

    def __init__(self, weights: Weights, slots, n_slots: int) -> None:
        self.weights, self.slots, self.n_slots = weights, slots, n_slots
        self._reset()

    def _reset(self) -> None:
        self.generation = getattr(self, "generation", -1) + 1  # row numbers change with it
        self.words: list[str] = []  # the lower-cased word of each row
        self.rows: dict[str, int] = {}
        self.M = np.zeros((1024, self.n_slots, len(self.weights.labels)))
        self.flag = np.zeros(1024, dtype=bool)

    def _add(self, surface: str) -> int:
        k = len(self.rows)
        if k == len(self.M):
            self.M = np.concatenate([self.M, np.zeros_like(self.M)])
            self.flag = np.concatenate([self.flag, np.zeros_like(self.flag)])
        groups, flag = self.slots(surface, surface.lower())
        for j, attrs in enumerate(groups):
            self.M[k, j] = self.weights.vec(attrs)
        self.flag[k] = flag
        self.words.append(surface.lower())
        self.rows[surface] = k
        return k

    def lookup(self, surfaces: list[str]) -> np.ndarray:
        if len(self.rows) > _CACHE_LIMIT:
            self._reset()
        rows = self.rows
        # new forms get their rows in order of first appearance, then every form is known
        for s in [s for s in dict.fromkeys(surfaces) if s not in rows]:
            self._add(s)
        return np.fromiter(map(rows.__getitem__, surfaces), dtype=np.intp, count=len(surfaces))


def _arrays(doc: F.DocTokens) -> dict[str, Any]:
    """The document's token lists as arrays (made once, shared by the two taggers)."""
    arr = doc.arrays
    if not arr:
        n = len(doc.words)
        none = np.full(n, -1, dtype=np.intp)
        arr["surfaces"] = [doc.text[s:e] for s, e in doc.spans]
        arr["sent"] = np.asarray(doc.sent, dtype=np.intp)
        arr["iq"] = np.asarray(doc.in_quote, dtype=bool)
        for key in ("rule_cue", "rule_spk", "rule_con"):
            values = getattr(doc, key)
            arr[key] = np.asarray(values, dtype=np.intp) if values else none
    return arr


# ----------------------------------------------------------------------------- decoding
def _padded(values: np.ndarray, seq: np.ndarray, pos: np.ndarray, n_seq: int, length: int) -> np.ndarray:
    out = np.zeros((n_seq, length, values.shape[1]))
    out[seq, pos] = values
    return out


def marginals(E: np.ndarray, lengths: np.ndarray, trans: np.ndarray) -> np.ndarray:
    """P(label at t | sequence) for a batch of sequences (E: batch x time x labels, padded;
    the result has the same shape)."""
    n, length, _ = E.shape
    pe = np.exp(E - E.max(axis=2, keepdims=True)).transpose(1, 0, 2).copy()  # time-major
    pt = np.exp(trans)
    ptT = pt.T.copy()
    alpha = np.empty_like(pe)
    beta = np.empty_like(pe)
    # (the recursions write into the time slices in place: the same operations as
    # ``a = (a @ pt) * pe[t]``, without a new array per step)
    a = pe[0]
    alpha[0] = a / a.sum(axis=1, keepdims=True)
    matmul, multiply, divide = np.matmul, np.multiply, np.divide
    for t in range(1, length):
        a = alpha[t]
        matmul(alpha[t - 1], pt, out=a)
        multiply(a, pe[t], out=a)
        if t % 4 == 0:  # rescaled now and then: any per-position factor cancels below
            divide(a, a.sum(axis=1, keepdims=True), out=a)
    beta[length - 1] = 1.0
    # a sequence that has ended by t keeps beta 1 there: the rows whose last position is <= t
    last = lengths - 1
    order = np.argsort(last, kind="stable")
    ended = np.searchsorted(last[order], np.arange(length), side="right")
    tmp = np.empty_like(pe[0])
    for t in range(length - 2, -1, -1):
        b = beta[t]
        multiply(pe[t + 1], beta[t + 1], out=tmp)
        matmul(tmp, ptT, out=b)
        if t % 4 == 0:
            divide(b, b.sum(axis=1, keepdims=True), out=b)
        k = ended[t]
        if k:
            b[order[:k]] = 1.0
    m = alpha * beta
    m /= m.sum(axis=2, keepdims=True)
    return m.transpose(1, 0, 2)


def viterbi(E: np.ndarray, lengths: np.ndarray, trans: np.ndarray) -> np.ndarray:
    """The best label sequence of each sequence in a padded batch (label indices)."""
    n, length, n_labels = E.shape
    # time x label x sequence: each step's max over the previous label is an element-wise
    # maximum of contiguous rows (the same sums and maxima as over a batch x label x label array)
    Et = E.transpose(1, 2, 0).copy()
    delta = np.empty_like(Et)
    delta[0] = Et[0]
    tr = trans[:, :, None].copy()  # previous label x label x 1
    scores = np.empty((n_labels, n_labels, n))
    add, best = np.add, np.maximum.reduce
    for t in range(1, length):
        d = delta[t]
        add(delta[t - 1][:, None, :], tr, out=scores)
        best(scores, axis=0, out=d)
        d += Et[t]
    rows = np.arange(n)
    last = lengths - 1
    final = delta[last, :, rows].argmax(axis=1)
    out = np.empty((length, n), dtype=np.intp)
    out[length - 1] = cur = final
    # the best predecessor of each chosen label, found on the way back (not stored for every
    # label on the way forward); past a sequence's end the labels are never read
    ends: dict[int, list[int]] = {}
    for r, t in enumerate(last.tolist()):
        ends.setdefault(t, []).append(r)
    step = np.empty((n_labels, n))
    take = np.take
    for t in range(length - 2, -1, -1):
        add(delta[t], take(trans, cur, axis=1), out=step)
        cur = step.argmax(axis=0)
        here = ends.get(t)
        if here is not None:
            cur[here] = final[here]
        out[t] = cur
    return out.T


# ----------------------------------------------------------------------------- the two taggers
class CueScorer:
    """The cue tagger's emission scores for every token of a document (as the sum of the weights
    of ``features.base_features``'s ``cue_feats``)."""

    def __init__(self, weights: Weights, rates: dict[str, float], rule_cues: frozenset[str]) -> None:
        self.w = weights
        self.rates, self.rule_cues = rates, rule_cues
        self.table = SurfaceTable(self.w, self._slots, 1 + len(F.NEIGHBOUR_OFFSETS) + len(F.FAR_OFFSETS))
        self.edge = {off: self.w.vec(F.SENTENCE_EDGE[off]) for off in F.NEIGHBOUR_OFFSETS}
        self.far_edge = {off: self.w.vec(F.FAR_EDGE[off]) for off in F.FAR_OFFSETS}
        self.position = np.array([self.w.vec(F.position_features(k)) for k in (0, 1, 3, 8)])
        self.flags = {f: self.w.W[self.w.row(f)] for f in (*F.TOKEN_FLAGS, *F.CUE_CONTEXT)}
        # bigram features by the pair of surface rows (sorted keys, their "b-" and "b+" weight rows)
        self._pair_keys = np.empty(0, dtype=np.int64)
        self._pair_rows = np.empty((0, 2), dtype=np.intp)
        self._pair_generation = self.table.generation
        self._tri: dict[int, int] = {}
        self._tri_generation = self.table.generation

    def _slots(self, surface: str, w: str):
        own = F.own_features(surface, w, self.rates, self.rule_cues)
        # a token the cue tagger looks at: its cue bucket is not 0, or it is in the rule lexicon
        candidate = own[3] != "cl=0" or "lx" in own
        return [own + F.cue_own_features(w, self.rule_cues)] + [
            F.neighbour_features(surface, w, self.rates, off) for off in F.NEIGHBOUR_OFFSETS
        ] + [F.far_features(w, self.rates, off) for off in F.FAR_OFFSETS], candidate

    def emissions(self, doc: F.DocTokens) -> tuple[np.ndarray, np.ndarray]:
        """(emission scores: tokens x labels, candidate: whether a token may be a cue)."""
        words = doc.words
        n = len(words)
        arr = _arrays(doc)
        rows = self.table.lookup(arr["surfaces"])
        G = self.table.M[rows]
        sent = arr["sent"]
        bounds = np.asarray(doc.sent_bounds, dtype=np.intp).reshape(-1, 2)
        idx = np.arange(n)
        before = idx - bounds[sent, 0]  # tokens before this one in its sentence
        after = bounds[sent, 1] - 1 - idx
        E = G[:, 0].copy()
        offsets = [(off, self.edge[off]) for off in F.NEIGHBOUR_OFFSETS] + [(off, self.far_edge[off]) for off in F.FAR_OFFSETS]
        for j, (off, edge) in enumerate(offsets, start=1):
            nb = np.empty((n, E.shape[1]))
            if off < 0:
                nb[-off:] = G[: n + off, j]
                nb[before < -off] = edge
            else:
                nb[: n - off] = G[off:, j]
                nb[after < off] = edge
            E += nb
        # bigrams: the right token's "b-" and the left token's "b+" for each adjacent pair (and the
        # sentence edges "<s>", "</s>"), looked up by the pair's surface rows
        first = before == 0
        last = after == 0
        left = np.where(first, -1, np.roll(rows, 1))
        right = np.where(last, -2, np.roll(rows, -1))
        minus_keys = ((left + 2) << 32) | (rows + 2)
        plus_keys = ((rows + 2) << 32) | (right + 2)
        minus = self._pairs(minus_keys)[:, 0]
        plus = self._pairs(plus_keys)[:, 1]
        E += self.w.W[minus] + self.w.W[plus]
        # trigrams: the word with both neighbours, looked up by the three surface rows
        E += self.w.W[self._trigrams(((left + 2) << 42) | ((rows + 2) << 21) | (right + 2))]
        E += self.position[np.searchsorted([1, 3, 8], before, side="right")]
        rc = arr["rule_cue"] >= 0
        for flag, mask in (
            ("iq", arr["iq"]),
            ("rc", rc),
            ("rs", arr["rule_spk"] >= 0),
            ("rn", arr["rule_con"] >= 0),
        ):
            E += mask[:, None] * self.flags[flag]
        for flag, mask in F.cue_context(doc).items():
            E += mask[:, None] * self.flags[flag]
        return E, self.table.flag[rows] | rc

    def _pairs(self, keys: np.ndarray) -> np.ndarray:
        """The ("b-", "b+") weight rows of each pair key (left row + 2 << 32 | right row + 2)."""
        if self._pair_generation != self.table.generation or len(self._pair_keys) > _CACHE_LIMIT:
            self._pair_keys = np.empty(0, dtype=np.int64)
            self._pair_rows = np.empty((0, 2), dtype=np.intp)
            self._pair_generation = self.table.generation
        known = self._pair_keys
        at = np.minimum(np.searchsorted(known, keys), max(len(known) - 1, 0))
        missing = keys if not len(known) else keys[known[at] != keys]
        if len(missing):
            new = np.unique(missing)
            words, row = self.table.words, self.w.row
            edge = {-1: "<s>", -2: "</s>"}
            values = []
            for key in new.tolist():
                a, b = (key >> 32) - 2, (key & 0xFFFFFFFF) - 2
                bm, bp = F.bigram_features(edge.get(a) or words[a], edge.get(b) or words[b])
                values.append((row(bm), row(bp)))
            keys_all = np.concatenate([known, new])
            order = np.argsort(keys_all, kind="stable")
            self._pair_keys = keys_all[order]
            self._pair_rows = np.concatenate([self._pair_rows, np.array(values, dtype=np.intp)])[order]
            known = self._pair_keys
            at = np.searchsorted(known, keys)
        return self._pair_rows[at]

    def _trigrams(self, keys: np.ndarray) -> np.ndarray:
        """The "t=" weight row of each trigram key (left row + 2 << 42 | row + 2 << 21 | right
        row + 2; the table's rows stay below 2**21 - 2, ``_CACHE_LIMIT``)."""
        if self._tri_generation != self.table.generation or len(self._tri) > _CACHE_LIMIT:
            self._tri, self._tri_generation = {}, self.table.generation
        tri, words, row = self._tri, self.table.words, self.w.row
        listed = keys.tolist()
        for key in [k for k in dict.fromkeys(listed) if k not in tri]:  # the trigrams not seen before
            a, b, c = (key >> 42) - 2, ((key >> 21) & 0x1FFFFF) - 2, (key & 0x1FFFFF) - 2
            tri[key] = row(F.trigram_feature("<s>" if a == -1 else words[a], words[b], "</s>" if c == -2 else words[c]))
        return np.fromiter(map(tri.__getitem__, listed), dtype=np.intp, count=len(listed))

    def marginals(self, doc: F.DocTokens, sentences: list[int]) -> dict[int, np.ndarray]:
        E, _ = self.emissions(doc)
        return self.sentence_marginals(doc, E, sentences)

    def sentence_marginals(
        self, doc: F.DocTokens, E: np.ndarray, sentences: list[int]
    ) -> dict[int, np.ndarray]:
        if not sentences:
            return {}
        padded, lengths = _sentence_batch(doc, E, sentences)
        m = marginals(padded, lengths, self.w.trans)
        return {s: m[k, : lengths[k]] for k, s in enumerate(sentences)}

    def sentence_labels(self, doc: F.DocTokens, E: np.ndarray, sentences: list[int]) -> dict[int, list[str]]:
        if not sentences:
            return {}
        padded, lengths = _sentence_batch(doc, E, sentences)
        y = viterbi(padded, lengths, self.w.trans)
        return {s: [self.w.labels[j] for j in y[k, : lengths[k]]] for k, s in enumerate(sentences)}


def _sentence_batch(doc: F.DocTokens, E: np.ndarray, sentences: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """The emissions of these sentences padded into one batch, and each sentence's length."""
    bounds = [doc.sent_bounds[s] for s in sentences]
    lengths = np.array([b - a for a, b in bounds], dtype=np.intp)
    seq = np.repeat(np.arange(len(bounds)), lengths)
    tok = np.concatenate([np.arange(a, b) for a, b in bounds])
    pos = tok - np.repeat([a for a, _ in bounds], lengths)
    return _padded(E[tok], seq, pos, len(bounds), int(lengths.max())), lengths


class RoleScorer:
    """The role tagger over every cue's window of a document at once (as the sum of the weights
    of ``features.role_features``)."""

    SIDES = "BCA"

    def __init__(self, weights: Weights, rates: dict[str, float], rule_cues: frozenset[str]) -> None:
        self.w = weights
        self.rates, self.rule_cues = rates, rule_cues
        self.table = SurfaceTable(self.w, self._slots, 10)
        vec = self.w.vec
        # the features of a token's place relative to the cue, by (side, distance, separators)
        side = np.array([vec(("p=" + p,)) for p in self.SIDES])
        dist = np.array([vec((F._DIST[d] if -40 <= d <= 40 else "d=" + F._dist(d),)) for d in range(-41, 42)])
        sep = np.array([[vec((F._SEP[p, k],)) for k in range(4)] for p in self.SIDES])
        self.place = side[:, None, None] + dist[None, :, None] + sep[:, None, :]
        self.edge = {off: vec((F.WINDOW_EDGE[off],)) for off in F.NEIGHBOUR_OFFSETS}
        one = lambda f: self.w.W[self.w.row(f)]  # noqa: E731
        self.flags = {f: one(f) for f in F.TOKEN_FLAGS}
        # the cue-relative flags by a 5-bit code: next sentence, in a quotation, quote state
        # unlike the cue's, inside the rules' speaker, inside the rules' content for this cue
        codes = np.arange(32)
        ns, iq, qd, rs, rc = ((codes >> k) & 1 for k in range(5))
        self.relative = (
            ns[:, None] * one("ns")
            + (ns & iq)[:, None] * one("nsq=1")
            + (ns & (1 - iq))[:, None] * one("nsq=0")
            + qd[:, None] * one("qd")
            + rs[:, None] * one("RS")
            + rc[:, None] * one("RC")
        )
        self.cue_words: dict[str, np.ndarray] = {}
        self.separators = F._SEPARATORS

    def _slots(self, surface: str, w: str):
        groups = [F.own_features(surface, w, self.rates, self.rule_cues)]
        groups += [(F.neighbour_features(surface, w, self.rates, off)[0],) for off in F.NEIGHBOUR_OFFSETS]
        groups += [(F.side_word_feature(p, w),) for p in self.SIDES]
        groups += [(F.adjacent_feature("B", w),), (F.adjacent_feature("A", w),)]
        return groups, False

    def _cue_word(self, head: str) -> np.ndarray:
        v = self.cue_words.get(head)
        if v is None:
            if len(self.cue_words) > _CACHE_LIMIT:
                self.cue_words.clear()
            v = self.cue_words[head] = np.array(
                [self.w.vec((F.cue_word_feature(p, head),)) for p in self.SIDES]
            )
        return v

    def emissions(self, doc: F.DocTokens, cues: list[tuple[int, int]], windows: list[tuple[int, int]]):
        """(emission scores of every window token: rows x labels, window of each row, position of
        each row in its window)."""
        words = doc.words
        n = len(words)
        arr = _arrays(doc)
        rows = self.table.lookup(arr["surfaces"])
        G = self.table.M[rows]
        iq = arr["iq"]
        base = G[:, 0] + iq[:, None] * self.flags["iq"]
        for flag, key in (("rc", "rule_cue"), ("rs", "rule_spk"), ("rn", "rule_con")):
            base += (arr[key] >= 0)[:, None] * self.flags[flag]
        ca = np.array([a for a, _ in cues], dtype=np.intp)
        cb = np.array([b for _, b in cues], dtype=np.intp)
        ws = np.array([s for s, _ in windows], dtype=np.intp)
        we = np.array([e for _, e in windows], dtype=np.intp)
        lengths = we - ws
        seq = np.repeat(np.arange(len(cues)), lengths)
        pos = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        tok = pos + ws[seq]
        a, b = ca[seq], cb[seq]
        side = np.where(tok < a, 0, np.where(tok >= b, 2, 1))
        d = np.where(side == 0, tok - a, np.where(side == 2, tok - b + 1, 0))
        counts = np.concatenate([[0], np.cumsum(np.fromiter(map(self.separators.__contains__, words), dtype=bool, count=n))])
        k = np.where(
            side == 0, counts[a] - counts[tok + 1], np.where(side == 2, counts[tok + 1] - counts[b], 0)
        )
        E = base[tok] + self.place[side, np.clip(d, -41, 41) + 41, np.minimum(k, 3)] + G[tok, 5 + side]
        E += np.array([self._cue_word(F.cue_head(doc, c)) for c in cues])[seq, side]
        sent = arr["sent"]
        iq_t = iq[tok]
        code = (sent[tok] != sent[a]) * 1 + iq_t * 2 + (iq_t != iq[a]) * 4
        if doc.rule_cue:
            rule_k = np.array(
                [next((doc.rule_cue[i] for i in range(x, y) if doc.rule_cue[i] >= 0), -1) for x, y in cues]
            )[seq]
            has = rule_k >= 0
            code += (has & (arr["rule_spk"][tok] == rule_k)) * 8 + (
                has & (arr["rule_con"][tok] == rule_k)
            ) * 16
        E += self.relative[code]
        # neighbours: what each token's neighbours give it across the whole document (once per
        # document), corrected at the few rows whose neighbour lies outside the cue's window
        shifted = []
        for j, off in enumerate(F.NEIGHBOUR_OFFSETS, start=1):
            nb = np.tile(self.edge[off], (n, 1))
            if off < 0:
                nb[-off:] = G[: n + off, j]
            else:
                nb[: n - off] = G[off:, j]
            shifted.append(nb)
        E += sum(shifted)[tok]
        for nb, off in zip(shifted, F.NEIGHBOUR_OFFSETS, strict=True):
            outside = np.flatnonzero(pos < -off) if off < 0 else np.flatnonzero(pos >= (lengths[seq] - off))
            E[outside] += self.edge[off] - nb[tok[outside]]
        before = np.flatnonzero(tok == a - 1)
        after = np.flatnonzero(tok == b)
        E[before] += G[tok[before], 8]
        E[after] += G[tok[after], 9]
        return E, seq, pos, lengths

    def tag(
        self, doc: F.DocTokens, cues: list[tuple[int, int]], windows: list[tuple[int, int]]
    ) -> tuple[list[list[str]], np.ndarray, np.ndarray]:
        """(role labels of each cue's window, marginals: cue x position x label, label columns)."""
        E, seq, pos, lengths = self.emissions(doc, cues, windows)
        padded = _padded(E, seq, pos, len(cues), int(lengths.max()))
        y = viterbi(padded, lengths, self.w.trans)
        m = marginals(padded, lengths, self.w.trans)
        labels = self.w.labels
        return (
            [[labels[j] for j in row[:n]] for row, n in zip(y.tolist(), lengths.tolist(), strict=True)],
            m,
            self.w.col,
        )
