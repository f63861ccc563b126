"""The trained English attribution model: it ships in the package and runs by default, it finds
speaker, cue and content on sentences the team wrote (not PolNeAR text), the rules take over
when it is absent, and the training script is deterministic end to end."""

from __future__ import annotations

import json
import random

import pytest

from claims.extraction import extract, learned
from claims.extraction.pipeline import extract_rules
from claims.extraction.training import train as training

TEAM_TEXT = (
    "Port talks stall as unions dig in\n\n"
    "The transport minister, Laila Haddad, said on Monday that the new port tariffs would be delayed until the spring.\n\n"
    "“We will not sign anything under pressure,” the union's spokesman told reporters outside the ministry.\n\n"
    "According to the harbour authority, three container ships were diverted to other ports last week.\n\n"
    "“The talks are not over,” Haddad said, “but nobody should expect a deal before the elections.”\n"
)


def _find(text: str, needle: str) -> tuple[int, int]:
    i = text.index(needle)
    return i, i + len(needle)


def _overlaps(span, target) -> bool:
    return span is not None and span[0] < target[1] and target[0] < span[1]


@pytest.fixture
def default_model(monkeypatch):
    monkeypatch.delenv(learned.ENV_VAR, raising=False)
    learned.reset()
    yield learned.default_model()
    learned.reset()


def test_packaged_model_loads_with_manifest(default_model):
    assert default_model is not None, "the model shipped in claims/extraction/models/ must load"
    assert default_model.path == learned.PACKAGED_MODEL
    manifest = default_model.manifest
    assert manifest["name"] and manifest["version"] and manifest["trained"]
    assert "PolNeAR" in manifest["data"]["corpus"]
    for span in ("speaker", "cue", "content"):
        assert 0 < manifest["dev"][span]["f1_overlap"] <= 1
    total = sum(f.stat().st_size for f in learned.PACKAGED_MODEL.iterdir())
    assert total < 5_000_000, "the shipped model must stay small (a few MB)"
    info = learned.model_info()
    assert info["name"] == manifest["name"] and info["version"] == manifest["version"]


def test_model_finds_speaker_cue_and_content_on_team_sentences(default_model):
    assert default_model is not None
    ex = extract(TEAM_TEXT, lang="en", outlet="Harbour Post")
    attributed = [c for c in ex.claims if c.attributed]

    def claim_with_cue(cue: str):
        target = _find(TEAM_TEXT, cue)
        return next((c for c in attributed if _overlaps(c.hops[0].cue_span, target)), None)

    said = claim_with_cue("said on Monday")
    assert said is not None
    assert _overlaps(said.hops[0].speaker_span, _find(TEAM_TEXT, "Laila Haddad"))
    assert _overlaps((said.start, said.end), _find(TEAM_TEXT, "the new port tariffs would be delayed"))
    assert "Haddad" in said.hops[0].mention.display

    told = claim_with_cue("told")
    assert told is not None
    assert _overlaps(told.hops[0].speaker_span, _find(TEAM_TEXT, "spokesman"))
    assert _overlaps((told.start, told.end), _find(TEAM_TEXT, "We will not sign anything"))

    # discontinuous content around the cue: the claim covers both parts
    split = claim_with_cue("Haddad said,")
    assert split is not None
    assert split.start <= _find(TEAM_TEXT, "The talks are not over")[0]
    assert split.end >= _find(TEAM_TEXT, "before the elections")[1]
    assert split.hops[-1].mention.publisher


def test_rules_run_when_model_is_absent(monkeypatch, tmp_path):
    monkeypatch.setenv(learned.ENV_VAR, str(tmp_path / "no-such-model"))
    learned.reset()
    try:
        assert learned.default_model() is None
        info = learned.model_info()
        assert info["name"] == "rules" and "no loadable model" in info["reason"]
        with_fallback = extract(TEAM_TEXT, lang="en")
        rules = extract_rules(TEAM_TEXT, lang="en")
        assert [(c.start, c.end, c.hops[0].speaker_span) for c in with_fallback.claims] == [(c.start, c.end, c.hops[0].speaker_span) for c in rules.claims]
        assert any(c.attributed for c in with_fallback.claims)
        monkeypatch.setenv(learned.ENV_VAR, "off")
        learned.reset()
        assert learned.model_info()["name"] == "rules"
    finally:
        learned.reset()


def test_broken_model_file_falls_back_to_rules(monkeypatch, tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    for name in ("manifest.json", "cue_rates.json"):
        (broken / name).write_text("{}", encoding="utf-8")
    (broken / training.CUE_FILE).write_bytes(b"not a model")
    (broken / training.ROLE_FILE).write_bytes(b"not a model")
    monkeypatch.setenv(learned.ENV_VAR, str(broken))
    learned.reset()
    try:
        assert learned.default_model() is None
        assert [(c.start, c.end) for c in extract(TEAM_TEXT, lang="en").claims] == [(c.start, c.end) for c in extract_rules(TEAM_TEXT, lang="en").claims]
    finally:
        learned.reset()


# ----------------------------------------------------------------------------- training
NAMES = ["Omar Khalil", "Sara Brandt", "Peter Okafor", "Nadia Murad", "the mayor", "a senior official", "the central bank"]
CUES = ["said", "told reporters", "warned", "claimed", "announced"]
PROPOSITIONS = [
    "the bridge would reopen in May",
    "the budget had been cut by a third",
    "inflation may ease before the summer",
    "the airport expansion was too expensive",
    "no decision had been taken on the strike",
]


def _synthetic_records(n: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    records = []
    for k in range(n):
        parts: list[str] = []
        atts = []
        pos = 0
        for _ in range(4):
            name, cue, prop = rng.choice(NAMES), rng.choice(CUES), rng.choice(PROPOSITIONS)
            form = rng.randrange(3)
            if form == 0:
                s = f"{name[0].upper() + name[1:]} {cue} that {prop}."
                sp = (pos, pos + len(name))
                cu = (sp[1] + 1, sp[1] + 1 + len(cue))
                co = (cu[1] + 1, pos + len(s) - 1)
            elif form == 1:
                s = f"“{prop[0].upper() + prop[1:]},” {name} {cue}."
                co = (pos + 1, pos + 1 + len(prop))
                sp = (co[1] + 3, co[1] + 3 + len(name))
                cu = (sp[1] + 1, sp[1] + 1 + len(cue))
            else:
                s = f"The weather in the capital was {rng.choice(['cold', 'mild', 'wet'])} on day {k}."
                sp = cu = co = None
            if sp:
                atts.append({"speaker_span": list(sp), "cue_span": list(cu), "content_span": list(co), "speaker_frags": [list(sp)], "cue_frags": [list(cu)], "content_frags": [list(co)], "has_source": True})
            parts.append(s)
            pos += len(s) + 2
        records.append({"id": f"synthetic-{k}", "lang": "en", "primary": True, "text": "\n\n".join(parts), "attributions": atts})
    return records


def test_training_script_is_deterministic_end_to_end(tmp_path, monkeypatch):
    data = tmp_path / "synthetic.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in _synthetic_records(12, seed=5)), encoding="utf-8")
    dev = tmp_path / "synthetic_dev.jsonl"
    dev.write_text("".join(json.dumps(r) + "\n" for r in _synthetic_records(3, seed=6)), encoding="utf-8")
    outs = []
    for run in ("a", "b"):
        out = tmp_path / run
        assert training.main(["--train", str(data), "--dev", str(dev), "--out", str(out), "--seed", "3", "--iterations", "15", "--oof-folds", "3"]) == 0
        outs.append(out)
    for name in (training.CUE_FILE, training.ROLE_FILE, training.LEXICON_FILE):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name
    manifest = json.loads((outs[0] / training.MANIFEST_FILE).read_text())
    assert manifest["data"]["records"] == 12 and manifest["seed"] == 3 and "dev" in manifest
    assert manifest["cue_rates_out_of_fold"] == 3
    # one tagger retrained (here the cue tagger with other parameters): the other's file is kept
    role_before = (outs[1] / training.ROLE_FILE).read_bytes()
    before = json.loads((outs[1] / training.MANIFEST_FILE).read_text())
    assert training.main(["--train", str(data), "--out", str(outs[1]), "--seed", "3", "--iterations", "10", "--only", "cue", "--oof-folds", "0"]) == 0
    assert (outs[1] / training.ROLE_FILE).read_bytes() == role_before
    kept = json.loads((outs[1] / training.MANIFEST_FILE).read_text())
    assert kept["trained_parts"]["role"] == before["trained"] and kept["role_params"] == before["role_params"]
    assert kept["params"]["max_iterations"] == 10 and kept["cue_rates_out_of_fold"] is None
    with pytest.raises(ValueError):  # the kept tagger's cue lexicon would change under it
        training.main(["--train", str(data), "--out", str(outs[1]), "--limit", "6", "--only", "cue"])
    monkeypatch.setenv(learned.ENV_VAR, str(outs[0]))
    learned.reset()
    try:
        model = learned.default_model()
        assert model is not None
        text = "Nadia Murad said that the bridge would reopen in May."
        preds = model.predict(text, [])
        assert any(p.cue == _find(text, "said") for p in preds)
    finally:
        learned.reset()


def test_cue_labels_from_marginals_and_the_shipped_threshold(default_model):
    from claims.extraction.training import features as F

    # P(B)+P(I) per token: a cue of two tokens, a weak token below the threshold, a lone I
    labels = F.threshold_cues([(0.1, 0.0), (0.5, 0.1), (0.1, 0.4), (0.2, 0.1), (0.0, 0.6)], 0.4)
    assert labels == ["O", "B", "I", "O", "B"]
    assert default_model is not None and default_model.cue_threshold == default_model.manifest["cue_threshold"]


def test_span_index_finds_exactly_the_overlapping_spans():
    rng = random.Random(11)
    spans = [(a, a + rng.randint(1, 60)) for a in (rng.randint(0, 500) for _ in range(80))]
    index = learned._SpanIndex(spans)
    for _ in range(300):
        a = rng.randint(0, 560)
        b = a + rng.randint(1, 40)
        assert index.overlapping(a, b) == [k for k, (s, e) in enumerate(spans) if s < b and a < e]


@pytest.mark.parametrize(
    ("text", "word", "marker"),
    [
        ("That said, the talks go on.", "said", True),
        ('He paused. That said, "we go on."', "said", True),
        ("Needless to say, prices rose.", "say", True),
        ("The mayor said that the talks go on.", "said", False),
        ("Officials that said nothing were fired.", "said", False),
    ],
)
def test_discourse_markers_are_not_model_cues(text, word, marker):
    from claims.extraction.attribution import en_discourse_marker

    i = text.index(word)
    assert en_discourse_marker(text, (i, i + len(word))) is marker


def test_a_model_speaker_that_is_a_clause_fragment_gives_way_to_the_rules():
    from claims.extraction.pipeline import _rule_doc

    text = "The ministry did not say which villages the army would search. A police spokesman said the curfew would end at dawn.\n"
    doc = _rule_doc(text, "en", "Harbour Gazette", None)
    ex = doc.run()
    rule_claims = [c for c in ex.claims if c.attributed]
    said = text.index("said the curfew")
    # a model reading that takes the clause before the cue as its speaker
    bad = learned.Prediction(cue=(said, said + 4), speaker=_find(text, "did not say which villages"), content=_find(text, "the curfew would end at dawn"))
    out = learned._merge(ex, rule_claims, [bad], doc.reg)
    claim = next(c for c in out.claims if "curfew" in c.text)
    assert claim.hops[0].mention.display == "police spokesman"
    assert claim.hops[0].speaker_span == _find(text, "police spokesman") or "did" not in text[claim.hops[0].speaker_span[0] : claim.hops[0].speaker_span[1]]


def test_out_of_fold_cue_rates_leave_each_article_out():
    text_a = "Mina Park alleged that the dam was unsafe."
    text_b = "Omar Lee said that the dam was safe. The river was calm."
    text_c = "Ana Ruiz said that the vote was delayed."
    attrs = lambda text, cue: [{"cue_span": list(_find(text, cue))}]  # noqa: E731
    records = [
        {"text": text_a, "attributions": attrs(text_a, "alleged")},
        {"text": text_a, "attributions": attrs(text_a, "alleged")},  # a second annotator of the same article
        {"text": text_b, "attributions": attrs(text_b, "said")},
        {"text": text_c, "attributions": attrs(text_c, "said")},
    ]
    folds = training.out_of_fold_rates(records, 3, seed=1)
    assert set(folds) == {text_a, text_b, text_c} and len({k for k, _ in folds.values()}) == 3
    full = training.cue_rates(records, min_count=1)
    assert full["alleged"] == 1.0
    # "alleged" occurs only in text_a: its own features cannot learn it from itself
    assert "alleged" not in folds[text_a][1]


def test_cue_context_flags_on_a_team_sentence():
    from claims.extraction.training import features as F

    text = "Officials in Lagos said that the port would close: “Not yet,” she warned."
    doc = F.tokenize(text)
    flags = F.cue_context(doc)
    at = {w: i for i, w in enumerate(doc.words)}
    assert flags["nthat"][at["said"]] and not flags["nthat3"][at["said"]]
    assert flags["nthat3"][at["lagos"]]  # "that" two tokens on
    assert flags["capb"][at["said"]]  # "Lagos": a capitalised word that does not open the sentence
    assert not flags["capb"][at["in"]]  # only "Officials" before it, which opens the sentence
    assert flags["ncolon"][at["close"]] and flags["nq3"][at["close"]]
    assert flags["prb"][at["warned"]] and flags["pq3"][at["warned"]]
    assert flags["sq"].all()


@pytest.mark.parametrize(
    ("speaker", "kept"),
    [
        ("The harbour board isn't", "The harbour board"),
        ("I should", "I"),
        ("he’s", "he"),
        ("we've", "we"),
        ("Okafor later", "Okafor"),
        ("Mensah powerfully", "Mensah"),
        ("The Ledger on Saturday", "The Ledger"),
        ("the port council in 2015", "the port council"),
        ("it further", "it"),
        # kept whole: a possessive after a name, a noun in -ly, a name
        ("Mrs. Okafor's", "Mrs. Okafor's"),
        ("The Mensah family", "The Mensah family"),
        ("Rep. Lily", "Rep. Lily"),
    ],
)
def test_model_speaker_ends_before_auxiliaries_adverbs_and_times(speaker, kept):
    """PolNeAR's source spans stop before the verb phrase's auxiliaries, adverbs and a time
    between the speaker and the cue; the model's spans sometimes run on (team-written names)."""
    from claims.extraction.learned import _speaker_without_tail

    text = "x " + speaker + " said"
    a, b = _speaker_without_tail(text, (2, 2 + len(speaker)))
    assert text[a:b] == kept


def test_a_relative_pronoun_before_the_cue_is_the_source_span_and_the_antecedent_the_source():
    """"Ama Boateng, a port engineer who told ...": PolNeAR's source span is "who"; the source
    stays the person named (team-written text, a crafted model prediction)."""
    from claims.extraction.pipeline import _rule_doc

    text = "The closure was criticised by Ama Boateng, a port engineer who told reporters the cranes were safe.\n"
    doc = _rule_doc(text, "en", "Harbour Gazette", None)
    ex = doc.run()
    rule_claims = [c for c in ex.claims if c.attributed]
    told = text.index("told")
    p = learned.Prediction(cue=(told, told + 4), speaker=_find(text, "Ama Boateng, a port engineer"), content=_find(text, "the cranes were safe"))
    out = learned._merge(ex, rule_claims, [p], doc.reg)
    claim = next(c for c in out.claims if "cranes" in c.text)
    assert claim.hops[0].speaker_span == _find(text, "who")
    assert "Boateng" in claim.hops[0].mention.display
