"""Compare task-queue libraries for claims' jobs, in one run, on the services of this machine.

For each candidate: enqueue N no-op tasks (enqueue rate), drain them with one worker of 2
threads (drain rate), and SIGKILL a worker in the middle of a task to see whether the library
itself delivers that task again (at-least-once) or loses it (at-most-once).

    python bench/queue_libraries.py [--tasks 500] [--only huey-sqlite,procrastinate,...]

Procrastinate and Dramatiq are not dependencies of claims: run this from a virtualenv that has
`procrastinate dramatiq[rabbitmq,redis] huey redis psycopg[binary]`. Only 127.0.0.1 is used;
every candidate gets its own queue name / database / key prefix.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

PG = os.environ.get("BENCH_PG", "postgresql://postgres@127.0.0.1:5432/test")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/0")
AMQP = os.environ.get("BENCH_AMQP", "amqp://guest:guest@127.0.0.1:5672/%2F")
RUN = uuid.uuid4().hex[:8]
TMP = Path(tempfile.mkdtemp(prefix="qbench-"))


# ----------------------------------------------------------------------------- candidates
# Each candidate module text defines: setup(), enqueue(i), enqueue_slow(marker), drain(n, counter) and
# work() (a worker process: runs until killed). It is executed in this process for the throughput
# part and in a subprocess for the kill part, so every library runs with its own worker code.

HUEY = r'''
import time, os, sys
from huey import SqliteHuey, PostgresHuey, RedisHuey
KIND, LOC, NAME = {kind!r}, {loc!r}, {name!r}
if KIND == "sqlite": huey = SqliteHuey(name=NAME, filename=LOC, results=False)
elif KIND == "postgres": huey = PostgresHuey(name=NAME, dsn=LOC, results=False, table_prefix="qbench")
else: huey = RedisHuey(name=NAME, url=LOC, results=False)
COUNT = [0]
@huey.task(name="noop")
def noop(i):
    COUNT[0] += 1
@huey.task(name="slow")
def slow(marker):
    with open(marker, "a") as fh: fh.write("start\n")
    time.sleep(3)
def setup(): huey.flush()
def enqueue(i): noop(i)
def enqueue_slow(marker): slow(marker)
def drain(n):
    c = huey.create_consumer(workers=2, worker_type="thread", initial_delay=0.01, max_delay=0.1, periodic=False)
    c.start()
    while COUNT[0] < n: time.sleep(0.005)
    c.stop(graceful=False)
def work():
    huey.create_consumer(workers=1, worker_type="thread", initial_delay=0.05, max_delay=0.2, periodic=False).run()
'''

PROCRASTINATE = r'''
import time, os, sys, asyncio
import procrastinate
from procrastinate import App, PsycopgConnector
LOC, NAME = {loc!r}, {name!r}
app = App(connector=PsycopgConnector(conninfo=LOC))
COUNT = [0]
@app.task(queue=NAME, name="noop")
def noop(i):
    COUNT[0] += 1
@app.task(queue=NAME, name="slow", retry=procrastinate.RetryStrategy(max_attempts=3, wait=0))
def slow(marker):
    with open(marker, "a") as fh: fh.write("start\n")
    time.sleep(3)
def setup():
    with app.open():
        try: app.schema_manager.apply_schema()
        except Exception: pass
_opened = [False]
def _open():
    if not _opened[0]:
        app.open(); _opened[0] = True
def enqueue(i): _open(); noop.defer(i=i)
def enqueue_slow(marker): _open(); slow.defer(marker=marker)
def drain(n):
    async def go():
        async with app.open_async():
            await app.run_worker_async(queues=[NAME], concurrency=2, wait=False)
    asyncio.run(go())
def work():
    # a restarted worker looks for stalled jobs (no heartbeat) and retries them, as the docs advise
    async def go():
        async with app.open_async():
            await asyncio.sleep(2.5)  # let a dead worker's heartbeat age past the 2 s limit
            for job in await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=2):
                await app.job_manager.retry_job(job)
            await app.run_worker_async(queues=[NAME], concurrency=1, wait=True, update_heartbeat_interval=0.5,
                                       stalled_worker_timeout=2)
    asyncio.run(go())
'''

DRAMATIQ = r'''
import time, os, sys
import dramatiq
from dramatiq.worker import Worker
KIND, LOC, NAME = {kind!r}, {loc!r}, {name!r}
if KIND == "rabbitmq":
    from dramatiq.brokers.rabbitmq import RabbitmqBroker
    broker = RabbitmqBroker(url=LOC)
else:
    from dramatiq.brokers.redis import RedisBroker
    broker = RedisBroker(url=LOC, namespace="qbench-" + NAME, heartbeat_timeout=3000)
dramatiq.set_broker(broker)
COUNT = [0]
@dramatiq.actor(queue_name=NAME, max_retries=0)
def noop(i):
    COUNT[0] += 1
@dramatiq.actor(queue_name=NAME, max_retries=0)
def slow(marker):
    with open(marker, "a") as fh: fh.write("start\n")
    time.sleep(3)
def setup(): broker.declare_queue(NAME); broker.flush(NAME)
def enqueue(i): noop.send(i)
def enqueue_slow(marker): slow.send(marker)
def drain(n):
    w = Worker(broker, worker_threads=2, worker_timeout=50)
    w.start()
    while COUNT[0] < n: time.sleep(0.005)
    w.stop()
def work():
    w = Worker(broker, worker_threads=1, worker_timeout=100)
    w.start()
    while True: time.sleep(1)
'''


def candidates() -> dict[str, str]:
    name = f"qb{RUN}"
    return {
        "huey-sqlite": HUEY.format(kind="sqlite", loc=str(TMP / "huey.db"), name=name),
        "huey-postgres": HUEY.format(kind="postgres", loc=PG, name=name),
        "huey-redis": HUEY.format(kind="redis", loc=REDIS, name=name),
        "procrastinate-postgres": PROCRASTINATE.format(loc=PG, name=name),
        "dramatiq-rabbitmq": DRAMATIQ.format(kind="rabbitmq", loc=AMQP, name=name),
        "dramatiq-redis": DRAMATIQ.format(kind="redis", loc=REDIS, name=name),
    }


def _module(source: str, label: str) -> dict:
    path = TMP / f"{label.replace('-', '_')}.py"
    path.write_text(source)
    ns: dict = {"__name__": path.stem}
    sys.path.insert(0, str(TMP))
    mod = __import__(path.stem)
    ns.update(vars(mod))
    return ns


def throughput(label: str, source: str, n: int) -> dict:
    mod = _module(source, label)
    mod["setup"]()
    t = time.perf_counter()
    for i in range(n):
        mod["enqueue"](i)
    enq = time.perf_counter() - t
    t = time.perf_counter()
    mod["drain"](n)  # in the main thread: Huey's consumer installs signal handlers
    drain = time.perf_counter() - t
    if mod["COUNT"][0] < n:
        return {"enqueue_per_s": round(n / enq), "drained": mod["COUNT"][0], "drain_per_s": None}
    return {"enqueue_per_s": round(n / enq), "drain_per_s": round(n / drain)}


def kill_test(label: str, source: str) -> str:
    """Start a worker, SIGKILL it while the slow task runs, start another: did the task run again?"""
    path = TMP / f"kill_{label.replace('-', '_')}.py"
    source = source.replace(f"qb{RUN}", f"qk{RUN}")  # a queue of its own
    path.write_text(source + "\nif __name__ == '__main__':\n    import sys\n    if sys.argv[1] == 'work': work()\n"
                    "    else: setup(); enqueue_slow(sys.argv[2])\n")
    marker = TMP / f"marker-{label}"
    env = {**os.environ, "PYTHONPATH": str(TMP)}
    subprocess.run([sys.executable, str(path), "enqueue", str(marker)], env=env, check=True, timeout=60)
    first = subprocess.Popen([sys.executable, str(path), "work"], env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline and not (marker.exists() and marker.read_text().count("start") >= 1):
        time.sleep(0.1)
    first.send_signal(signal.SIGKILL)
    first.wait()
    second = subprocess.Popen([sys.executable, str(path), "work"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    deadline = time.time() + 25
    while time.time() < deadline and marker.read_text().count("start") < 2:
        time.sleep(0.2)
    runs = marker.read_text().count("start")
    second.send_signal(signal.SIGKILL)
    second.wait()
    return "redelivered" if runs >= 2 else "lost"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=500)
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    wanted = [w for w in args.only.split(",") if w]
    results = {}
    for label, source in candidates().items():
        if wanted and label not in wanted:
            continue
        try:
            row = throughput(label, source, args.tasks)
        except Exception as exc:  # a library or service missing is reported, not fatal
            row = {"error": f"{type(exc).__name__}: {exc}"[:200]}
        try:
            row["sigkill_mid_task"] = kill_test(label, source)
        except Exception as exc:
            row["sigkill_mid_task"] = f"error: {type(exc).__name__}: {exc}"[:200]
        results[label] = row
        print(f"{label:24} {json.dumps(row)}", flush=True)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
