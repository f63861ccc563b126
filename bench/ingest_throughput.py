"""Ingest throughput: 600-word articles per second on one core, including the database write
(SQLite file, one transaction per article: document, sources, claims, hops, search index,
audit trail, grouping).

    .venv/bin/python bench/ingest_throughput.py [--articles 300] [--lang en|ar|mixed] [--no-grouping]
        [--extraction-only] [--rules-only] [--per-request] [--backend sqlite|postgresql] [--database-url URL]

--extraction-only measures ``claims.extraction.extract`` alone (no database); --rules-only
runs the rule pipeline without the learned English model (``extract_rules``).

Articles are generated from templates with varied names, numbers and attribution forms (said,
according to, told, unnamed officials, quotes, hedges), so resolution and grouping see a
growing set of sources and documents, as in production. Prints the measured figures; the
per-CPU-second figures (process time) are the per-core throughput and do not depend on what
else runs on the machine.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("CLAIMS_EMBEDDINGS", "off")

FIRST = ["Hossein", "Ali", "Maria", "John", "Fatima", "Omar", "Layla", "Peter", "Sara", "Ahmed", "Nadia", "Victor", "Elena", "Karim", "Rana", "Paul"]
LAST = ["Salami", "Haddad", "Lopez", "Smith", "Rahman", "Nasser", "Ivanova", "Petrov", "Khalil", "Abbas", "Murad", "Quinn", "Farouk", "Suleiman", "Brandt", "Okafor"]
ROLES = ["the defence minister", "a senior official", "the ambassador", "the spokesman", "the army commander"]
OUTLETS = ["Reuters", "the Tasnim news agency", "Al Arabiya", "the Jerusalem Post", "Alhurra", "the BBC"]
TOPICS = [
    "the militias would leave the capital before the end of the year",
    "the government had approved a new budget for the security forces",
    "foreign troops could stay in the country until the next election",
    "talks on the border crossing had collapsed after three days",
    "the ministry was preparing a plan to rebuild the damaged airport",
    "the coalition may reduce its training mission by half",
    "the parliament would vote on the agreement next week",
    "the new committee will review every contract signed since 2019",
]
AR_FIRST = ["حسين", "علي", "عمر", "ليلى", "أحمد", "نادية", "كريم", "رنا", "سارة", "محمد"]
AR_LAST = ["سلامي", "حداد", "ناصر", "خليل", "عباس", "مراد", "سليمان", "فاروق"]
AR_TOPICS = [
    "الحكومة وافقت على ميزانية جديدة لقوات الأمن",
    "القوات الأجنبية قد تبقى في البلاد حتى الانتخابات المقبلة",
    "المحادثات بشأن المعبر الحدودي انهارت بعد ثلاثة أيام",
    "البرلمان سيصوت على الاتفاق الأسبوع المقبل",
    "اللجنة الجديدة ستراجع كل العقود الموقعة منذ عام 2019",
]


def english_article(rng: random.Random, n: int) -> str:
    lines = [f"Officials weigh security plan number {n} as talks continue"]
    words = 0
    while words < 600:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        topic = rng.choice(TOPICS)
        form = rng.randrange(7)
        if form == 0:
            s = f"{name}, {rng.choice(ROLES)}, said that {topic}."
        elif form == 1:
            s = f"According to {rng.choice(OUTLETS)}, {topic}, a move that surprised many observers in the region."
        elif form == 2:
            s = f"“We believe {topic},” {name} told reporters on {rng.choice(['Monday', 'Tuesday', 'Sunday'])}."
        elif form == 3:
            s = f"Officials said {topic}, according to {rng.choice(OUTLETS)}."
        elif form == 4:
            s = f"The plan, which was first discussed in {rng.randint(2015, 2024)}, is expected to cost {rng.randint(2, 900)} million dollars and involve {rng.randint(3, 40)} agencies."
        elif form == 5:
            s = f"{name} hinted that {topic}, but did not give details."
        else:
            s = f"It is possible that {topic}, although no date has been set by the authorities."
        lines.append(s)
        words += len(s.split())
    return "\n".join(lines) + "\n"


def arabic_article(rng: random.Random, n: int) -> str:
    lines = [f"مسؤولون يناقشون الخطة الأمنية رقم {n}"]
    words = 0
    while words < 600:
        name = f"{rng.choice(AR_FIRST)} {rng.choice(AR_LAST)}"
        topic = rng.choice(AR_TOPICS)
        form = rng.randrange(5)
        if form == 0:
            s = f"وقال وزير الدفاع {name} إن {topic}."
        elif form == 1:
            s = f"وبحسب وكالة \"تسنيم\"، فإن {topic}."
        elif form == 2:
            s = f"وكشف مصدر مطلع، أن \"{topic}\"."
        elif form == 3:
            s = f"وألمح {name} إلى أن {topic}، بحسب وكالة الأنباء الرسمية."
        else:
            s = f"وربما {topic} في الأشهر المقبلة، وفق ما يرى مراقبون في المنطقة، الذين يتابعون الملف منذ سنوات طويلة."
        lines.append(s)
        words += len(s.split())
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--lang", choices=["en", "ar", "mixed"], default="mixed")
    parser.add_argument("--no-grouping", action="store_true")
    parser.add_argument("--extraction-only", action="store_true", help="measure extraction without the database write")
    parser.add_argument("--rules-only", action="store_true", help="the rule pipeline without the learned English model")
    parser.add_argument(
        "--per-request", action="store_true",
        help="a new IngestService per article, as POST /documents and feeds make one (the process's shared "
             "resolver and grouper caches, not the bench's own)",
    )
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite",
                        help="postgresql: a fresh database created on --database-url's server, dropped afterwards")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_POSTGRES_URL"),
                        help="the PostgreSQL server (default: bench/scale.py's PG_DEFAULT)")
    args = parser.parse_args()

    from claims.db import session_factory
    from claims.extraction import extract
    from claims.extraction.grouping import Grouper
    from claims.extraction.pipeline import extract_rules

    if args.rules_only:
        extract = extract_rules  # noqa: F811
    from claims.extraction.resolution import SourceResolver
    from claims.ingest import IngestService

    rng = random.Random(7)
    texts = []
    for i in range(args.articles):
        lang = args.lang if args.lang != "mixed" else ("ar" if i % 2 else "en")
        texts.append((english_article if lang == "en" else arabic_article)(rng, i))
    words = sum(len(t.split()) for t in texts) / len(texts)

    extract(texts[0])  # load the lexicons once
    t0 = time.perf_counter()
    c0 = time.process_time()
    claims_out = sum(len(extract(t).claims) for t in texts)
    t_extract = time.perf_counter() - t0
    c_extract = time.process_time() - c0
    if args.extraction_only:
        print(f"articles: {len(texts)} ({args.lang}), mean {words:.0f} words, {claims_out / len(texts):.1f} claims each")
        print(f"extraction only ({'rules' if args.rules_only else 'default'}): {len(texts) / t_extract:8.1f} articles/s wall, {len(texts) / c_extract:8.1f} articles/s per CPU-second")
        return

    from bench.scale import PG_DEFAULT, Database

    with tempfile.TemporaryDirectory() as tmp:
        db = Database(args.backend, Path(tmp), args.database_url or PG_DEFAULT, f"ingest_{int(time.time())}")
        engine = db.engine
        factory = session_factory(engine)
        grouper = Grouper()
        with factory() as s:
            resolver = SourceResolver(s)
        stored = 0
        t0 = time.perf_counter()
        cpu0 = time.process_time()
        cpu_each: list[float] = []
        for text in texts:
            before = time.process_time()
            with factory() as s:
                s.info["actor"] = "bench"
                if args.per_request:
                    service = IngestService(s, grouping=not args.no_grouping)
                else:
                    service = IngestService(s, grouping=not args.no_grouping, resolver=resolver, grouper=grouper)
                result = service.ingest(text)
                s.commit()
                stored += len(result.claims)
            cpu_each.append(time.process_time() - before)
        wall = time.perf_counter() - t0
        cpu = time.process_time() - cpu0
        db.drop()

    print(f"articles: {len(texts)} ({args.lang}), mean {words:.0f} words, {claims_out / len(texts):.1f} claims each")
    print(f"extraction only:            {len(texts) / t_extract:8.1f} articles/s wall, {len(texts) / c_extract:8.1f} articles/s per CPU-second")
    print(
        f"ingest incl. {'SQLite' if args.backend == 'sqlite' else 'PostgreSQL'} write:  {len(texts) / wall:8.1f} articles/s wall, {len(texts) / cpu:8.1f} articles/s per CPU-second"
        f" (grouping {'off' if args.no_grouping else 'on'}{', a service per article' if args.per_request else ''};"
        f" {stored} claims stored)"
    )
    quarter = max(len(cpu_each) // 4, 1)
    first, last = cpu_each[:quarter], cpu_each[-quarter:]
    print(
        f"  CPU per article, first {quarter} / last {quarter}: {1000 * sum(first) / len(first):.1f} /"
        f" {1000 * sum(last) / len(last):.1f} ms (growth with the store)"
    )


if __name__ == "__main__":
    main()
