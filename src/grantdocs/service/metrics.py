"""``/metrics`` in the Prometheus text format: documents rendered, durations, queue depth.

Each app has its own registry, so two apps in one process (tests) do not clash.

* ``grantdocs_documents_rendered_total{kind, format}``: synchronous documents made;
* ``grantdocs_render_seconds{kind, format}``: how long each took (histogram);
* ``grantdocs_http_requests_total{method, status}``;
* ``grantdocs_queue_depth``: tasks waiting in the job queue, read at each scrape;
* ``grantdocs_batches{status}`` and ``grantdocs_batch_documents_written``: from the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0)


class _BatchCollector(Collector):
    def __init__(self, counts: Callable[[], tuple[dict[str, int], int]]) -> None:
        self.counts = counts

    def collect(self) -> Iterator[Any]:
        by_status, written = self.counts()
        batches = GaugeMetricFamily("grantdocs_batches", "Batches by status",
                                    labels=["status"])
        for status, n in sorted(by_status.items()):
            batches.add_metric([status], n)
        yield batches
        yield GaugeMetricFamily("grantdocs_batch_documents_written",
                                "Documents written by batches so far", value=written)


class Metrics:
    def __init__(self, queue_depth: Callable[[], int],
                 batch_counts: Callable[[], tuple[dict[str, int], int]]) -> None:
        self.registry = CollectorRegistry()
        self.rendered = Counter("grantdocs_documents_rendered", "Documents rendered on request",
                                ["kind", "format"], registry=self.registry)
        self.durations = Histogram("grantdocs_render_seconds", "Time to render one document",
                                   ["kind", "format"], buckets=BUCKETS, registry=self.registry)
        self.requests = Counter("grantdocs_http_requests", "HTTP requests answered",
                                ["method", "status"], registry=self.registry)
        depth = Gauge("grantdocs_queue_depth", "Tasks waiting in the job queue",
                      registry=self.registry)
        depth.set_function(lambda: float(queue_depth()))
        self.registry.register(_BatchCollector(batch_counts))
