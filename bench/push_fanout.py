"""Fan-out of one push to 10,000 subscriptions against the fake push service.

Measures pushes per second end to end (real RFC 8291 encryption per message with
``webpush``, the VAPID header, an HTTP/1.1 POST through the sender's httpx
transport) and peak resident memory. The fake push service runs in its own
process on the same two cores, so its CPU competes with the senders'. In bench
mode it checks every request's headers and VAPID claims (``aud``, ``exp``,
``sub``, the ``k=`` key), verifies each distinct VAPID token's ES256 signature
once (the sender reuses one token per push service, so that is once per run),
and decrypts and checks every ``--decrypt-every``-th message (default 100); the
tests verify and decrypt every message.

Runs the fan-out with one sender process and split over ``--processes`` sender
processes (``selfservice worker`` runs as several processes), then, for
comparison, one process over httpx's default transport (httpcore) and one over
HTTP/2 (one multiplexed connection; the fake service takes HTTP/2 with prior
knowledge). It also times the per-message CPU that is not HTTP: encryption as
``webpush`` does it (ephemeral ECDH + HKDF + AES-GCM) and the VAPID ES256
signature the library would make for every message, which the sender replaces
with one cached token per push service.

Then a full reminder round for ``--count`` managers through the real outbox and
worker path (``bench/reminder_round.py``): the reminder task writes a notice and
a delivery per manager, and 1 and ``--round-workers`` worker processes deliver them.

    .venv/bin/python bench/push_fanout.py [--count 10000] [--concurrency 4] [--processes 2] [--round-workers 2]
    .venv/bin/python bench/push_fanout.py --count 2000 --no-compare --no-round --out /tmp/quick.json  # quick

Prints the figures and writes them to bench/results/push_fanout.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import multiprocessing.synchronize
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from notifications.outcomes import Delivered  # noqa: E402
from notifications.payload import PushPayload  # noqa: E402
from notifications.vapid import VapidKeys, VapidSigner  # noqa: E402
from notifications.webpush_sender import PushOptions, PushSubscription, Urgency, WebPushSender  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "push_fanout.json"
SUBJECT = "mailto:bench@example.se"
PAYLOAD = PushPayload(
    title="3 poster väntar på attest",
    body="Utlägg, tidrapport och traktamente från ditt team. Lönekörning på fredag.",
    url="/attest?period=2026-05",
    tag="attest-digest",
    ids={"notification": "n-1"},
)
OPTIONS = PushOptions(ttl=3600, urgency=Urgency.NORMAL)
WARMUP = 100


def start_service(decrypt_every: int) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.support.fake_push_service", "--bench", "--decrypt-every", str(decrypt_every)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    if not line.startswith("PORT "):
        process.kill()
        msg = f"fake push service did not start: {line!r}"
        raise RuntimeError(msg)
    return process, f"http://127.0.0.1:{line.split()[1]}"


def proc_figures(pid: int) -> dict[str, float]:
    """Peak RSS (MiB) and CPU seconds so far of another process, from /proc."""
    figures: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            figures["peak_rss_mib"] = round(int(line.split()[1]) / 1024, 1)
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    figures["cpu_seconds"] = round((int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"), 2)
    return figures


def per_message_cpu(keys: VapidKeys, subscription: PushSubscription, samples: int = 2000) -> dict[str, float]:
    """Microseconds of CPU per message for the parts of a send that are not HTTP."""
    sender = WebPushSender(keys, SUBJECT, allow_http=True)
    sender.prepare(subscription, PAYLOAD, OPTIONS)  # builds the cached WebPush instance
    started = time.process_time()
    for _ in range(samples):
        sender.prepare(subscription, PAYLOAD, OPTIONS)
    prepare_us = (time.process_time() - started) / samples * 1e6

    signer = VapidSigner(keys, SUBJECT)
    started = time.process_time()
    for _ in range(samples):
        signer._token("https://fcm.googleapis.com", int(time.time()) + 3600)
    sign_us = (time.process_time() - started) / samples * 1e6
    return {
        "encrypt_and_build_headers_us": round(prepare_us, 1),
        "es256_vapid_signature_us_avoided_by_token_cache": round(sign_us, 1),
    }


def _run(coroutine: Any) -> Any:
    """The event loop the worker uses: uvloop when installed (BENCH_LOOP=asyncio to compare)."""
    if os.environ.get("BENCH_LOOP") != "asyncio":
        try:
            import uvloop
        except ImportError:
            pass
        else:
            return uvloop.run(coroutine)
    return asyncio.run(coroutine)


def _http2_client(concurrency: int) -> httpx.AsyncClient:
    """HTTP/2 with prior knowledge (the fake service is plain http), one connection per push service."""
    return httpx.AsyncClient(
        http1=False,
        http2=True,
        timeout=30,
        limits=httpx.Limits(max_connections=max(1, concurrency // 64), max_keepalive_connections=4),
    )


PROTOCOLS = {
    "push": "HTTP/1.1 (PushTransport)",
    "httpcore": "HTTP/1.1 (httpx.AsyncHTTPTransport)",
    "http2": "HTTP/2 (httpx.AsyncClient, h2)",
}


async def _send_shard(
    keys_pem: bytes,
    shard: list[PushSubscription],
    concurrency: int,
    barrier: multiprocessing.synchronize.Barrier | None,
    kind: str = "push",
) -> dict[str, Any]:
    keys = VapidKeys.from_pem(keys_pem)
    client = _http2_client(concurrency) if kind == "http2" else None
    transport = (
        httpx.AsyncHTTPTransport(
            limits=httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        )
        if kind == "httpcore"
        else None
    )
    async with WebPushSender(
        keys,
        SUBJECT,
        allow_http=True,
        max_connections=concurrency,
        timeout_seconds=30,
        client=client,
        transport=transport,
    ) as sender:
        warmup = await sender.send_many([(s, PAYLOAD, OPTIONS) for s in shard[:WARMUP]], concurrency=concurrency)
        assert all(isinstance(o, Delivered) for o in warmup), warmup[:3]
        if barrier is not None:
            await asyncio.to_thread(barrier.wait)
        started_at, cpu_started = time.time(), time.process_time()
        outcomes = await sender.send_many([(s, PAYLOAD, OPTIONS) for s in shard], concurrency=concurrency)
        ended_at, cpu = time.time(), time.process_time() - cpu_started
    if client is not None:
        await client.aclose()
    return {
        "count": len(shard),
        "delivered": sum(isinstance(o, Delivered) for o in outcomes),
        "started_at": started_at,
        "ended_at": ended_at,
        "cpu_seconds": cpu,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _shard_process(
    keys_pem: bytes,
    shard: list[PushSubscription],
    concurrency: int,
    barrier: multiprocessing.synchronize.Barrier,
    results: multiprocessing.Queue[dict[str, Any]],
    kind: str,
) -> None:
    results.put(_run(_send_shard(keys_pem, shard, concurrency, barrier, kind)))


def run_fan_out(
    keys: VapidKeys,
    subscriptions: list[PushSubscription],
    concurrency: int,
    processes: int,
    kind: str = "push",
    service_pid: int | None = None,
) -> dict[str, Any]:
    """One fan-out; the fake service's CPU is read from /proc around it (warm-up requests included)."""
    load_before = os.getloadavg()[0]
    service_before = proc_figures(service_pid)["cpu_seconds"] if service_pid else None
    if processes == 1:
        shards = [_run(_send_shard(keys.private_pem(), subscriptions, concurrency, None, kind))]
    else:
        context = multiprocessing.get_context("fork")
        barrier = context.Barrier(processes)
        queue: multiprocessing.Queue[dict[str, Any]] = context.Queue()
        workers = [
            context.Process(
                target=_shard_process,
                args=(keys.private_pem(), subscriptions[i::processes], concurrency, barrier, queue, kind),
            )
            for i in range(processes)
        ]
        for worker in workers:
            worker.start()
        shards = [queue.get(timeout=600) for _ in workers]
        for worker in workers:
            worker.join(timeout=30)
    count = sum(s["count"] for s in shards)
    wall = max(s["ended_at"] for s in shards) - min(s["started_at"] for s in shards)
    cpu = sum(s["cpu_seconds"] for s in shards)
    service: dict[str, Any] = {}
    if service_pid and service_before is not None:
        requests = count + processes * WARMUP
        service_us = (proc_figures(service_pid)["cpu_seconds"] - service_before) / requests * 1e6
        service = {
            "push_service_cpu_us_per_push": round(service_us, 1),
            # What two otherwise idle cores could do: sender and service CPU per push, both cores busy.
            "cpu_bound_estimate_pushes_per_second_2_idle_cores": round(2e6 / (cpu / count * 1e6 + service_us)),
        }
    return {
        "protocol": PROTOCOLS[kind],
        "sender_processes": processes,
        "concurrency_per_process": concurrency,
        "pushes": count,
        "delivered": sum(s["delivered"] for s in shards),
        "seconds": round(wall, 3),
        "pushes_per_second": round(count / wall, 1),
        "sender_cpu_us_per_push": round(cpu / count * 1e6, 1),
        "sender_peak_rss_mib_per_process": round(max(s["peak_rss_mib"] for s in shards), 1),
        **service,
        "load_average_1min_before": round(load_before, 2),
    }


async def _create_subscriptions(origin: str, count: int, keys: VapidKeys) -> list[PushSubscription]:
    async with httpx.AsyncClient(timeout=120) as control:
        created = await control.post(
            f"{origin}/_control/subscriptions",
            json={"count": count, "application_server_key": keys.application_server_key},
        )
        created.raise_for_status()
    return [PushSubscription(s["endpoint"], p256dh=s["keys"]["p256dh"], auth=s["keys"]["auth"]) for s in created.json()]


async def _stats(origin: str) -> dict[str, Any]:
    async with httpx.AsyncClient(timeout=30) as control:
        stats: dict[str, Any] = (await control.get(f"{origin}/_control/stats")).json()
    return stats


def markdown(result: dict[str, Any]) -> str:
    lines = [
        f"# Push fan-out to {result['subscriptions']} subscriptions (fake push service, real encryption)",
        "",
        f"Machine: {result['machine']['cpus']} CPUs, load average {result['machine']['load_average_1min_at_end']} "
        "at the end (other work shares the machine).",
        "",
        "| protocol | sender processes | in flight per process | pushes/s | sender CPU µs/push "
        "| push service CPU µs/push | peak RSS MiB/process | load before |",
        "|---|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {r['protocol']} | {r['sender_processes']} | {r['concurrency_per_process']} | {r['pushes_per_second']} "
        f"| {r['sender_cpu_us_per_push']} | {r.get('push_service_cpu_us_per_push', '')} "
        f"| {r['sender_peak_rss_mib_per_process']} | {r['load_average_1min_before']} |"
        for r in result["runs"]
    ]
    lines += [
        "",
        "## A full reminder round through the outbox and the worker",
        "",
        "| managers | worker processes | write round s | deliver s | deliveries/s | full round s "
        "| worker CPU µs/delivery | peak RSS MiB/worker |",
        "|---|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {r['managers']} | {r['worker_processes']} | {r['reminder_round_seconds']} | {r['delivery_seconds']} "
        f"| {r['deliveries_per_second']} | {r['full_round_seconds']} | {r['worker_cpu_us_per_delivery']} "
        f"| {r['worker_peak_rss_mib']} |"
        for r in result["reminder_rounds"]
    ]
    cpu = result["per_message_cpu"]
    lines += [
        "",
        f"Encryption and headers: {cpu['encrypt_and_build_headers_us']} µs per message; the VAPID signature "
        f"({cpu['es256_vapid_signature_us_avoided_by_token_cache']} µs) is made once per push service and reused. "
        f"The fake push service used {result['push_service']['cpu_us_per_request']} µs CPU per request over the "
        "whole run (creating the subscriptions, HTTP/2 and the reminder rounds included).",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=4, help="HTTP/1.1 requests in flight per sender process")
    parser.add_argument("--processes", type=int, default=2, help="sender processes for the second run")
    parser.add_argument("--http2-concurrency", type=int, default=64, help="streams in flight for the HTTP/2 run")
    parser.add_argument("--round-workers", type=int, default=2, help="worker processes for the reminder round")
    parser.add_argument("--decrypt-every", type=int, default=100)
    parser.add_argument("--no-compare", action="store_true", help="skip the httpcore and HTTP/2 comparison runs")
    parser.add_argument("--no-round", action="store_true", help="skip the reminder round (quick runs)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where to write the JSON (and .md beside it)")
    args = parser.parse_args()

    from backend.config import DatabaseSettings
    from backend.notices import channels
    from bench import reminder_round

    workdir = Path(tempfile.mkdtemp(prefix="push-fanout-"))
    # The key the app would generate on first start (the reminder round's workers load it from there).
    keys = channels.vapid_keys(reminder_round.bench_settings(workdir, DatabaseSettings(url="sqlite://")))
    process, origin = start_service(args.decrypt_every)
    try:
        subscriptions = asyncio.run(_create_subscriptions(origin, args.count, keys))
        cpu = per_message_cpu(keys, subscriptions[0])
        pid = process.pid
        runs = [run_fan_out(keys, subscriptions, args.concurrency, 1, service_pid=pid)]
        if args.processes > 1:
            runs.append(run_fan_out(keys, subscriptions, args.concurrency, args.processes, service_pid=pid))
        if not args.no_compare:
            runs.append(run_fan_out(keys, subscriptions, args.concurrency, 1, kind="httpcore", service_pid=pid))
            runs.append(run_fan_out(keys, subscriptions, args.http2_concurrency, 1, kind="http2", service_pid=pid))
        rounds = []
        if not args.no_round:
            round_subscriptions = asyncio.run(_create_subscriptions(origin, args.count, keys))
            rounds = [
                reminder_round.run(
                    [
                        {"endpoint": s.endpoint, "keys": {"p256dh": s.p256dh, "auth": s.auth}}
                        for s in round_subscriptions
                    ],
                    workers,
                    workdir / f"round-{workers}",
                    keys_from=workdir,
                )
                for workers in sorted({1, args.round_workers})
            ]
        stats = asyncio.run(_stats(origin))
        service = proc_figures(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=10)

    result = {
        "subscriptions": args.count,
        "runs": runs,
        "reminder_rounds": rounds,
        "per_message_cpu": cpu,
        "push_service": {
            "separate_process": True,
            "requests": stats["requests"],
            "delivered": stats["delivered"],
            "decrypted_and_checked": stats["decrypted"],
            "decrypts_every": args.decrypt_every,
            "vapid_signatures_verified": stats["signatures_verified"],
            "rejected": stats["rejected"],
            "rejections": stats["rejections"],
            "cpu_us_per_request": round(service["cpu_seconds"] / max(stats["requests"], 1) * 1e6, 1),
            "peak_rss_mib": service.get("peak_rss_mib"),
        },
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "httpx": httpx.__version__,
            "load_average_1min_at_end": round(os.getloadavg()[0], 2),
        },
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    args.out.with_suffix(".md").write_text(markdown(result))
    print(json.dumps(result, indent=2))
    for round_ in rounds:
        print(
            f"reminder round for {round_['managers']} managers with {round_['worker_processes']} worker(s): "
            f"{round_['reminder_round_seconds']} s to write, {round_['delivery_seconds']} s to deliver "
            f"({round_['deliveries_per_second']}/s), {round_['full_round_seconds']} s in all; "
            f"peak RSS {round_['worker_peak_rss_mib']} MiB per worker"
        )
    for run in runs:
        print(
            f"{run['protocol']}, {run['sender_processes']} sender process(es): "
            f"{run['delivered']} of {run['pushes']} delivered "
            f"in {run['seconds']} s = {run['pushes_per_second']} pushes/s; "
            f"{run['sender_cpu_us_per_push']} us sender CPU per push; "
            f"peak RSS {run['sender_peak_rss_mib_per_process']} MiB per sender process"
        )
    undelivered = any(r["delivery_states"] != {"sent": r["managers"]} for r in rounds)
    if any(run["delivered"] != run["pushes"] for run in runs) or stats["rejected"] or undelivered:
        sys.exit(1)


if __name__ == "__main__":
    main()
