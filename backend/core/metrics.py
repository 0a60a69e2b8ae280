"""Prometheus metrics: what the processes count, and the text a scrape of ``/metrics`` gets.

The counters and histograms are module-level (prometheus-client's way): recorded where the
work happens (requests in ``logging.RequestContextMiddleware``, receipts in
``expenses.interpretation``, deliveries in ``notices.delivery``, task failures in
``worker.runner``). The job queues are not counted in memory: they are read from the
database when scraped (``worker.backlog``), so every process reports the same truth.

Several API processes (``selfservice run --workers N``) share counts through
prometheus-client's multiprocess mode: ``PROMETHEUS_MULTIPROC_DIR`` set by the CLI before
the processes start, each process writing its values to files there, and a scrape of any
process summing them (``metrics_dir``, ``exposition``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from backend.core.metrics_dir import MULTIPROCESS_ENV

if TYPE_CHECKING:
    from prometheus_client.metrics import Histogram as HistogramChild

    from backend.worker.backlog import Backlog, JobSystem

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
UNMATCHED = "unmatched"
"""The route label of a request no route matched: one value, however many paths are tried."""
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

REQUEST_SECONDS = Histogram(
    "http_request_duration_seconds",
    "Time from a request's arrival to its answer's end, by method, route template and status class.",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
RECEIPT_SECONDS = Histogram(
    "receipt_interpretation_seconds",
    "Time to read one receipt in the OCR process pool (each attempt that reached the reader).",
    buckets=(0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0),
)
RECEIPT_FAILURES = Counter(
    "receipt_interpretation_failures",
    "Receipt readings that failed, by reason: the image's error code, ocr_unavailable or crashed.",
    ["reason"],
)
DELIVERIES = Counter(
    "notification_deliveries",
    "Delivery attempts of notices by channel (push, email) and outcome (delivered, retry, gone, failed, skipped).",
    ["channel", "outcome"],
)
JOB_FAILURES = Counter("job_failures", "Background task runs that raised, by task.", ["task"])


class RequestMetrics:
    """Observes one request in the latency histogram; the labelled series are kept so the hot path is a dict get."""

    def __init__(self) -> None:
        self._series: dict[tuple[str, str, int], HistogramChild] = {}

    def observe(self, method: str, route: str | None, status: int, seconds: float) -> None:
        key = (method, route or UNMATCHED, status // 100)
        series = self._series.get(key)
        if series is None:
            label = method if method in METHODS else "other"  # a client may send any token as a method
            series = self._series[key] = REQUEST_SECONDS.labels(label, key[1], f"{key[2]}xx")
        series.observe(seconds)


class _Backlog(Collector):
    """The job queues as read from the database for this scrape."""

    def __init__(self, backlog: Sequence[Backlog] | None, jobs: JobSystem | None = None) -> None:
        self.backlog = backlog
        self.jobs = jobs

    def collect(self) -> Iterable[Metric]:
        ok = GaugeMetricFamily(
            "job_queue_read_ok", "1 when this scrape could read the job queues from the database in time, else 0."
        )
        ok.add_metric([], 0 if self.backlog is None else 1)
        yield ok
        if self.backlog is None:
            return
        depth = GaugeMetricFamily(
            "job_queue_depth", "Rows waiting in a job queue (pending deliveries, receipts to read).", labels=["queue"]
        )
        age = GaugeMetricFamily(
            "job_queue_oldest_due_age_seconds",
            "How long the oldest due row of a queue has waited since it became due (0 when none is due).",
            labels=["queue"],
        )
        for queue in self.backlog:
            depth.add_metric([queue.queue], queue.depth)
            age.add_metric([queue.queue], queue.oldest_due_seconds)
        yield depth
        yield age
        if self.jobs is not None:
            yield from self._job_system(self.jobs)

    def _job_system(self, jobs: JobSystem) -> Iterable[Metric]:
        count = GaugeMetricFamily(
            "job_system_jobs",
            "The job system's jobs by queue and state (todo: waiting, doing: running).",
            labels=["queue", "state"],
        )
        late = GaugeMetricFamily(
            "job_system_oldest_due_age_seconds", "How long the oldest due job of a queue has waited.", labels=["queue"]
        )
        for queue in jobs.queues:
            count.add_metric([queue.queue, "todo"], queue.waiting)
            count.add_metric([queue.queue, "doing"], queue.running)
            late.add_metric([queue.queue], queue.oldest_due_seconds)
        workers = GaugeMetricFamily("job_system_workers", "Workers whose heartbeat is recent.")
        workers.add_metric([], jobs.workers)
        yield count
        yield late
        yield workers


class _Registered(Collector):
    """This process's own metrics (single-process mode: tests, a server started without the CLI)."""

    def collect(self) -> Iterable[Metric]:
        return REGISTRY.collect()


def exposition(
    backlog: Sequence[Backlog] | None, multiprocess_dir: str | None = None, jobs: JobSystem | None = None
) -> bytes:
    """The scrape's text: every process's metrics (multiprocess mode) or this one's, and the queues."""
    directory = multiprocess_dir if multiprocess_dir is not None else os.environ.get(MULTIPROCESS_ENV)
    registry = CollectorRegistry(auto_describe=False)
    if directory:
        MultiProcessCollector(registry, path=directory)  # type: ignore[no-untyped-call]
    else:
        registry.register(_Registered())
    registry.register(_Backlog(backlog, jobs))
    return generate_latest(registry)
