"""Fit the ask pipeline's thresholds, fusion weights and confidence curve on the DEV questions.

    .venv/bin/python bench/fit_ask.py [--passes 2] [--dry-run]

Writes ``claims/query/params.json`` (read by ``claims.query.params``; commit it). Fitted on:

- bench/heldout, dev split only: the curated path (annotations seeded) and the raw-ingested
  path (article texts through extraction); every article is loaded, as in bench/heldout.py,
  but only dev questions are asked. The test split is never read here;
- seeds/questions.yaml, seeded with and without the groups' curated labels.

Retrieval (parse, BM25, vectors) does not depend on these numbers, so each question is
retrieved once; every trial re-runs only coverage, support and grouping on the cached
candidates, and each candidate's answer is built and judged once (origin and chain as
bench/heldout.py and bench/seed_questions.py judge them).

Objective (higher is better): questions right, minus ``FALSE_PENALTY`` per answer to an
unanswerable question and ``WRONG_PENALTY`` per wrong answer to an answerable one (a confident
wrong origin costs more than "not found"). Coordinate search over a grid per parameter, a few
passes, from the hand-set defaults of ``AskParams``. A parameter moves only for a gain of more
than ``MIN_GAIN``, and then to the middle of the longest run of grid values reaching the best
objective (not its edge, which sits on one question's exact score). The confidence curve is then fitted by isotonic
regression of "top answer right" on the support score, pooled over the fitting questions.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
HELDOUT = ROOT / "bench" / "heldout"

FALSE_PENALTY = 2.0
WRONG_PENALTY = 0.25
#: A parameter moves only for more than this gain in the objective.
MIN_GAIN = 0.5

GRID: dict[str, list[float]] = {
    "min_support": [0.5, 0.52, 0.54, 0.56, 0.58, 0.6, 0.62, 0.64, 0.66],
    "cos_floor": [0.35, 0.4, 0.45, 0.5, 0.55],
    "cos_span": [0.3, 0.35, 0.4, 0.45, 0.5],
    "lexical_weight": [0.3, 0.4, 0.5, 0.6, 0.7],
    "cross_lingual_cos": [0.5, 0.52, 0.55, 0.58, 0.6, 0.62, 0.65],
    "speaker_bonus": [0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3],
    "concept_credit": [0.2, 0.35, 0.5, 0.7, 1.0],
    "entity_credit": [0.3, 0.45, 0.6, 0.8, 1.0],
    "context_credit": [0.3, 0.45, 0.6, 0.8, 1.0],
    "unchecked_weight": [0.25, 0.5, 0.75, 1.0],
    "min_cross_lingual_coverage": [0.6, 0.7, 0.8, 0.9],
    "missing_concept_penalty": [0.0, 0.05, 0.1, 0.15, 0.2, 0.3],
    "headline_penalty": [0.0, 0.05, 0.1, 0.2],
}


@dataclass
class Item:
    """One question on one database, retrieved once."""

    dataset: str
    q: dict
    got: object  # claims.query.pipeline.Retrieved
    judged: dict = field(default_factory=dict)  # claim id -> (found, correct)


@dataclass
class Dataset:
    name: str
    engine: object
    session: object
    judge: object  # (session, q, claim, score) -> correct
    labels: bool
    questions: list[dict] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)


def _labels(on: bool) -> None:
    from claims.indexing import GROUP_LABELS_ENV

    os.environ[GROUP_LABELS_ENV] = "on" if on else "off"


def _heldout_judge(corpus, by_key: bool):
    from claims.qa_eval import judge_answer
    from claims.query.answer import build_answer

    def judge(session, item: Item, claim, score) -> bool:
        top = build_answer(session, item.got.parsed, claim, score, item.got.speaker) if claim is not None else None
        return judge_answer(session, corpus, item.q, top, by_key=by_key).correct

    return judge


def _seed_judge(session, item: Item, claim, score) -> bool:
    from claims.models import Claim, Source
    from claims.query.answer import build_answer

    q = item.q
    if claim is None or not q["found"]:
        return (claim is None) == (not q["found"])
    top = build_answer(session, item.got.parsed, claim, score, item.got.speaker)
    shown = session.get(Claim, top.claim.id)
    group = shown.group.key if shown.group else None
    origin = session.get(Source, top.origin.id).key
    return (
        (not q.get("group") or group == q["group"])
        and (not q.get("claim") or shown.key == q["claim"])
        and (not q.get("origin") or origin == q["origin"])
        and group not in (q.get("not_group") or [])
    )


def build(tmp: Path, *, reuse: bool = False) -> list[Dataset]:
    import yaml

    from claims import migrate
    from claims.db import make_engine, session_factory
    from claims.qa_eval import load_corpus, load_curated, load_ingested
    from claims.seeding import seed
    from claims.settings import SEEDS_DIR

    corpus = load_corpus(HELDOUT)
    dev = corpus.split_questions("dev")
    assert dev and all(corpus.splits["questions"][q["id"]] == "dev" for q in dev)
    seed_qs = yaml.safe_load((SEEDS_DIR / "questions.yaml").read_text(encoding="utf-8"))["questions"]
    out = []
    for name, labels, loader, questions, judge in [
        ("heldout-dev/curated", True, lambda e: load_curated(e, HELDOUT), dev, _heldout_judge(corpus, True)),
        ("heldout-dev/ingested", True, lambda e: load_ingested(e, corpus), dev, _heldout_judge(corpus, False)),
        ("seeds/labels", True, None, seed_qs, _seed_judge),
        ("seeds/no-labels", False, None, seed_qs, _seed_judge),
    ]:
        _labels(labels)
        db = tmp / f"{name.replace('/', '_')}.db"
        existed = reuse and db.exists()
        engine = make_engine(f"sqlite:///{db}")
        migrate.upgrade(engine)
        if existed:
            pass
        elif loader is None:
            with session_factory(engine)() as s:
                s.info["actor"] = "fit"
                seed(s, SEEDS_DIR)
                s.commit()
        else:
            loader(engine)
        out.append(Dataset(name, engine, session_factory(engine)(), judge, labels, questions))
    return out


def _cache_rows() -> None:
    """Each trial re-runs ``supported`` on the same candidates: keep the rows it loads and the
    context it reads (per claim id) instead of re-reading them per trial."""
    from claims.query import support

    rows: dict = {}
    contexts: dict = {}
    load, context = support._prefetch, support.context_terms

    def prefetch(session, claim_ids, **options):
        missing = [c for c in claim_ids if c not in rows]
        for claim in load(session, missing, **options):
            rows[claim.id] = claim
        return [rows[c] for c in claim_ids if c in rows]

    def context_terms(claim):
        if claim.id not in contexts:
            contexts[claim.id] = context(claim)
        return contexts[claim.id]

    support._prefetch, support.context_terms = prefetch, context_terms


def retrieve_all(datasets: list[Dataset]) -> None:
    from claims.query.pipeline import retrieve

    _cache_rows()

    for ds in datasets:
        _labels(ds.labels)
        for q in ds.questions:
            ds.items.append(Item(ds.name, q, retrieve(ds.session, q["q"])))


def evaluate(datasets: list[Dataset], params, *, collect: list | None = None) -> tuple[float, dict]:
    """Objective and per-dataset tallies for ``params`` (answers judged once per claim)."""
    from claims.query.pipeline import top_groups
    from claims.query.retrieve import cover

    total = 0.0
    tallies = {}
    for ds in datasets:
        _labels(ds.labels)
        right = false = wrong = 0
        for item in ds.items:
            if item.got.result is not None:
                cover(item.got.result, params)
            groups = top_groups(ds.session, item.got, params, limit=1)
            score, claim = groups[0] if groups else (None, None)
            key = claim.id if claim is not None else None
            if key not in item.judged:
                item.judged[key] = ds.judge(ds.session, item, claim, score)
            ok = item.judged[key]
            right += ok
            if claim is not None and not ok:
                if item.q.get("found"):
                    wrong += 1
                else:
                    false += 1
            if collect is not None and claim is not None:
                collect.append((score, ok))
        tallies[ds.name] = {"right": right, "of": len(ds.items), "false": false, "wrong": wrong}
        total += right - FALSE_PENALTY * false - WRONG_PENALTY * wrong
    return total, tallies


def isotonic(points: list[tuple[float, bool]], *, bins: int = 8) -> tuple[tuple[float, float], ...]:
    """Monotone (score -> share right) knots: equal-count bins of the scores, pooled where the
    share would fall (pool-adjacent-violators), one knot per pool at its mean score."""
    points = sorted(points)
    if not points:
        return ()
    size = max(1, len(points) // bins)
    pools = [[points[i : i + size]] for i in range(0, len(points), size)]
    blocks = [(sum(s for s, _ in p[0]), sum(ok for _, ok in p[0]), len(p[0])) for p in pools]
    merged: list[list[float]] = []
    for s, ok, n in blocks:
        merged.append([s, ok, n])
        while len(merged) > 1 and merged[-2][1] / merged[-2][2] > merged[-1][1] / merged[-1][2]:
            s2, ok2, n2 = merged.pop()
            merged[-1] = [merged[-1][0] + s2, merged[-1][1] + ok2, merged[-1][2] + n2]
    knots: list[tuple[float, float]] = []
    for s, ok, n in merged:
        x, y = round(s / n, 3), round(ok / n, 3)
        if knots and x <= knots[-1][0]:
            knots[-1] = (knots[-1][0], max(knots[-1][1], y))  # equal scores: one knot
        else:
            knots.append((x, y))
    return tuple(knots)


def _middle(run: list[float]) -> float:
    middle = run[(len(run) - 1) // 2] if len(run) % 2 else (run[len(run) // 2 - 1] + run[len(run) // 2]) / 2
    return round(middle, 3)


def _runs(results: list[tuple[float, float]], level: float) -> list[list[float]]:
    """Runs of consecutive grid values whose objective is ``level``."""
    runs: list[list[float]] = []
    for i, (obj, value) in enumerate(results):
        if obj == level:
            if runs and results[i - 1][0] == level:
                runs[-1].append(value)
            else:
                runs.append([value])
    return runs


def choose(results: list[tuple[float, float]], current: float, current_obj: float) -> tuple[float, float]:
    """The value to keep for one parameter, given the objective at each grid value: move only
    for a gain of more than ``MIN_GAIN`` (less is noise on ~300 questions), to the middle of the
    longest run of values reaching the best objective (not its edge, which sits on one
    question's exact score); else stay, centred in the run of equal values around the current
    one when the current value is on the grid."""
    best = max(obj for obj, _ in results)
    if best > current_obj + MIN_GAIN:
        return best, _middle(max(_runs(results, best), key=len))
    for run in _runs(results, current_obj):
        if current in run:
            return current_obj, _middle(run)
    return current_obj, current


def fit(datasets: list[Dataset], start, passes: int):
    best, tallies = evaluate(datasets, start)
    params = start
    print(f"start: {best:.2f} {tallies}", flush=True)
    for p in range(passes):
        changed = False
        for name, grid in GRID.items():
            current = getattr(params, name)
            results = [(evaluate(datasets, params.with_(**{name: value}))[0], value) for value in sorted({*grid, current})]
            obj, value = choose(results, current, best)
            if value != current:
                params, best, changed = params.with_(**{name: value}), obj, True
                print(f"  pass {p + 1}: {name} {current} -> {value}: {best:.2f}", flush=True)
        if not changed:
            break
    return params, best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--passes", type=int, default=2)
    parser.add_argument("--dry-run", action="store_true", help="print, do not write params.json")
    parser.add_argument("--keep", type=Path, help="build the databases in this folder and reuse them on the next run")
    args = parser.parse_args()
    from claims.query import params as params_mod

    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
        datasets = build(args.keep or Path(tmp), reuse=bool(args.keep))
        retrieve_all(datasets)
        print(f"retrieved {sum(len(d.items) for d in datasets)} questions in {time.perf_counter() - started:.0f} s", flush=True)
        start = params_mod.AskParams()  # the hand-set values: every run fits from the same start
        fitted, best = fit(datasets, start, args.passes)
        points: list = []
        _, tallies = evaluate(datasets, fitted, collect=points)
        fitted = fitted.with_(
            calibration=isotonic(points),
            fitted={
                "by": "bench/fit_ask.py",
                "date": dt.date.today().isoformat(),
                "on": [d.name for d in datasets],
                "objective": f"right - {FALSE_PENALTY} x false answers - {WRONG_PENALTY} x wrong answers",
                "score": round(best, 2),
                "tallies": tallies,
            },
        )
        for ds in datasets:
            ds.session.close()
            ds.engine.dispose()
    print(f"fitted: {best:.2f} {tallies}")
    print(f"calibration: {fitted.calibration}")
    if not args.dry_run:
        params_mod.save(fitted)
        print(f"wrote {params_mod.PARAMS_FILE}")


if __name__ == "__main__":
    main()
