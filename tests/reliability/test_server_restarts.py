"""PostgreSQL and Valkey restarted under a running worker: tasks in flight retry and finish, queued tasks survive
(Valkey keeps an append-only file), and beat goes on scheduling once the broker is back."""

from __future__ import annotations

import re
import time

import pytest

from tests.reliability.conftest import import_articles, record_faults
from tests.reliability.private_stack import BROKER_DB, CACHE_DB, PrivateStack, wait_until

pytestmark = pytest.mark.slow

HEARTBEAT_KEY = "accountability-test:1:worker-heartbeat"


def linked(stack: PrivateStack, source_ids: list[int]) -> int:
    return int(
        stack.value("SELECT count(*) FROM claims_source WHERE id = ANY(%s) AND linked_at IS NOT NULL", (source_ids,))
    )


def test_tasks_in_flight_when_postgres_restarts_retry_and_finish(fresh_stack, tmp_path):
    stack = fresh_stack
    source_ids = import_articles(stack, tag="pg-restart", count=12, folder=tmp_path)
    # Small batches, so that linking goes on in several transactions and one is cut off by the restart (with the
    # default size the first task would link all twelve sources in one).
    stack.start_worker(MATCHER_LINKING_BATCH_SIZE="2")
    assert wait_until(lambda: linked(stack, source_ids) >= 2, timeout=90)
    assert wait_until(lambda: stack.transactions_in_flight() > 0, timeout=30, interval=0.02)
    stack.restart_postgres(down_for=2)

    assert wait_until(lambda: linked(stack, source_ids) == len(source_ids), timeout=120), stack.tail("worker.log")
    retries = len(re.findall(r"link_source\[[0-9a-f-]+\] retry", stack.log("worker.log")))
    lost = len(source_ids) - linked(stack, source_ids)
    parked = stack.value("SELECT count(*) FROM claims_parkedtask")
    record_faults("postgres restart", faults=1, tasks=len(source_ids), retries=retries, lost=lost, parked=parked)
    assert retries >= 1, "the task cut off by the restart was retried"
    assert lost == 0
    assert parked == 0
    assert stack.value("SELECT count(*) FROM claims_claimlink WHERE source_id = ANY(%s)", (source_ids,)) == stack.value(
        "SELECT count(DISTINCT (claim_id, source_id)) FROM claims_claimlinkevent WHERE source_id = ANY(%s)",
        (source_ids,),
    )


def test_queued_tasks_survive_a_valkey_restart_and_beat_keeps_scheduling(fresh_stack, tmp_path):
    stack = fresh_stack
    beat = stack.start_beat(WORKER_HEARTBEAT_SECONDS="1")
    assert wait_until(lambda: stack.redis(BROKER_DB).llen("celery") > 0, timeout=60), stack.log("beat.log")

    source_ids = import_articles(stack, tag="valkey-restart", count=12, folder=tmp_path)
    assert stack.redis(BROKER_DB).llen("celery") >= len(source_ids)
    stack.restart_valkey(down_for=1)
    assert stack.redis(BROKER_DB).llen("celery") >= len(source_ids), "the queue came back from the append-only file"

    stack.start_worker()
    assert wait_until(lambda: linked(stack, source_ids) == len(source_ids), timeout=120), stack.tail("worker.log")
    assert wait_until(lambda: stack.redis(BROKER_DB).llen("celery") == 0, timeout=30)
    stack.redis(CACHE_DB).delete(HEARTBEAT_KEY)
    drained_at = time.monotonic()
    assert wait_until(lambda: stack.redis(CACHE_DB).exists(HEARTBEAT_KEY), timeout=30), stack.tail("beat.log")
    lost = len(source_ids) - linked(stack, source_ids)
    record_faults(
        "valkey restart",
        faults=1,
        tasks=len(source_ids),
        lost=lost,
        beat_alive=beat.poll() is None,
        heartbeat_after_seconds=round(time.monotonic() - drained_at, 1),
    )
    assert lost == 0
    assert beat.poll() is None, "beat survived the broker restart"
