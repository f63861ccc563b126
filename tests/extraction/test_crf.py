"""The compiled CRF scorer (``claims.extraction.crf``) is the shipped model, scored faster: its
emission scores are the sums of the feature strings' weights, its Viterbi labels and marginals
are those of brute-force enumeration and of python-crfsuite's tagger, and the model's
predictions are the same either way. Texts written by the team."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from claims.extraction import crf, learned
from claims.extraction.training import features as F
from claims.extraction.training.train import rule_triples

TEAM_TEXTS = [
    (
        "Ferry operators warn of winter cuts\n\n"
        "The harbour master, Ines Okonkwo, said on Tuesday that two of the island routes would close in January.\n\n"
        "“Nobody wants this,” she told the council. “But the boats are forty years old.”\n\n"
        "According to the operators' association, fuel costs rose by a third this year, and crews are hard to find.\n\n"
        "A spokesman for the transport ministry denied that the subsidy had been cut. He added that talks would resume next week.\n"
    ),
    (
        "Grain talks resume in the capital\n\n"
        "Officials from both sides believe a deal is close, two diplomats told reporters, although neither would give a date.\n\n"
        '"We have narrowed the gaps," the chief negotiator, Tomas Brandt, said. "What is left is political."\n\n'
        "The farmers' union claimed the quotas were unfair; its leader warned of protests if nothing changed.\n\n"
        "Analysts at the central bank estimate that prices may fall by spring, the report noted.\n"
    ),
]


@pytest.fixture(scope="module")
def model():
    learned.reset()
    m = learned.default_model()
    assert m is not None, "the shipped model must load"
    yield m
    learned.reset()


def _doc(m, text):
    doc = F.tokenize(text)
    F.rule_marks(doc, rule_triples(text))
    F.base_features(doc, m.rates, m.rule_cues)
    return doc


def _cues(m, doc):
    cue_tagger, _ = m._taggers()
    out = []
    for si, xseq in enumerate(F.cue_sequences(doc)):
        cue_tagger.set(xseq)
        labels = F.threshold_cues(
            [(cue_tagger.marginal("B", j), cue_tagger.marginal("I", j)) for j in range(len(xseq))], 0.4
        )
        out += F.decode_cues(doc, si, labels)
    return out


@pytest.mark.parametrize("text", TEAM_TEXTS)
def test_emission_scores_are_the_sums_of_the_feature_strings_weights(model, text):
    doc = _doc(model, text)
    cue_scorer, role_scorer = (
        crf.CueScorer(model._weights[0], model.rates, model.rule_cues),
        crf.RoleScorer(model._weights[1], model.rates, model.rule_cues),
    )
    E, candidate = cue_scorer.emissions(doc)
    expected = np.array([cue_scorer.w.vec(f) for f in doc.cue_feats])
    assert np.allclose(E, expected, atol=1e-9)
    assert list(candidate) == [f[3] != "cl=0" or "rc" in f or "lx" in f for f in doc.cue_feats]
    cues = _cues(model, doc)
    assert len(cues) >= 4
    windows = [F.role_window(doc, c) for c in cues]
    R, seq, pos, _ = role_scorer.emissions(doc, cues, windows)
    for k, (cue, window) in enumerate(zip(cues, windows, strict=True)):
        expected = np.array([role_scorer.w.vec(f) for f in F.role_features(doc, cue, window)])
        assert np.allclose(R[seq == k][np.argsort(pos[seq == k])], expected, atol=1e-9)


def _brute(E, trans):
    n, L = E.shape
    scores = {}
    for path in itertools.product(range(L), repeat=n):
        scores[path] = sum(E[t, y] for t, y in enumerate(path)) + sum(
            trans[a, b] for a, b in itertools.pairwise(path)
        )
    best = max(scores, key=scores.get)
    z = np.logaddexp.reduce(list(scores.values()))
    marg = np.zeros((n, L))
    for path, s in scores.items():
        for t, y in enumerate(path):
            marg[t, y] += np.exp(s - z)
    return list(best), marg


def test_viterbi_and_marginals_match_enumeration_on_padded_batches():
    rng = np.random.default_rng(3)
    L = 3
    trans = rng.normal(size=(L, L)) * 2
    lengths = np.array([5, 1, 3, 4])
    E = rng.normal(size=(len(lengths), lengths.max(), L)) * 3
    labels = crf.viterbi(E, lengths, trans)
    marg = crf.marginals(E, lengths, trans)
    for k, n in enumerate(lengths):
        best, expected = _brute(E[k, :n], trans)
        assert list(labels[k, :n]) == best
        assert np.allclose(marg[k, :n], expected, atol=1e-9)


@pytest.mark.parametrize("text", TEAM_TEXTS)
def test_labels_and_marginals_match_python_crfsuite(model, text):
    doc = _doc(model, text)
    cue_tagger, role_tagger = model._taggers()
    cue_scorer, role_scorer = model._scorers()
    doc.arrays.clear()
    E, _ = cue_scorer.emissions(doc)
    sentences = list(range(len(doc.sent_bounds)))
    marg = cue_scorer.sentence_marginals(doc, E, sentences)
    labels = cue_scorer.sentence_labels(doc, E, sentences)
    for si, xseq in enumerate(F.cue_sequences(doc)):
        assert labels[si] == cue_tagger.tag(xseq)
        expected = [[cue_tagger.marginal(lab, j) for lab in cue_scorer.w.labels] for j in range(len(xseq))]
        assert np.allclose(marg[si], expected, atol=1e-4)  # the dumped weights have 6 decimals
    cues = _cues(model, doc)
    windows = [F.role_window(doc, c) for c in cues]
    role_labels, role_marg, col = role_scorer.tag(doc, cues, windows)
    for k, (cue, window) in enumerate(zip(cues, windows, strict=True)):
        assert role_labels[k] == role_tagger.tag(F.role_features(doc, cue, window))
        for j, lab in enumerate(role_labels[k]):
            assert abs(role_marg[k, j, col[lab]] - role_tagger.marginal(lab, j)) < 1e-4


@pytest.mark.parametrize("text", TEAM_TEXTS)
def test_compiled_and_string_predictions_agree(model, text):
    triples = rule_triples(text)
    fast = model.predict(text, triples)
    slow = model.predict(text, triples, compiled=False)
    assert [(p.cue, p.speaker, p.content) for p in fast] == [(p.cue, p.speaker, p.content) for p in slow]
    assert np.allclose([p.probability for p in fast], [p.probability for p in slow], atol=1e-4)
    assert any(p.speaker for p in fast)


def test_content_from_marginals_takes_the_likeliest_run_in_the_cues_paragraph():
    text = "The mayor insisted the ferry would run all winter.\n\nA new timetable starts in May.\n"
    doc = F.tokenize(text)
    cue = doc.token_range((text.index("insisted"), text.index("insisted") + 8))
    window = F.role_window(doc, cue)
    labels = ["O"] * (window[1] - window[0])
    labels[cue[0] - window[0]] = "K"
    p = [0.0] * len(labels)
    for word, value in (("ferry", 0.6), ("would", 0.5), ("run", 0.3), ("A", 0.9), ("insisted", 0.95)):
        p[doc.token_range((text.index(word), text.index(word) + len(word)))[0] - window[0]] = value
    got = learned._content_from_marginals(doc, cue, window, labels, p, 0.2)
    # the next paragraph's "A" (0.9) and the cue itself are never content
    assert F.char_span(doc, got) == (text.index("ferry"), text.index("run") + 3)
    assert learned._content_from_marginals(doc, cue, window, labels, p, 0.7) is None
