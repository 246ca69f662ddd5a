"""A worker killed with SIGKILL in the middle of its tasks loses none of them and duplicates none of their effects.

Two kinds of crash: the pool process running the task dies (the worker re-queues the task at once: late
acknowledgement with reject-on-worker-lost), and the whole worker dies (nobody acknowledged the task, so the broker
hands it out again after the visibility timeout).
"""

from __future__ import annotations

import os
import signal

import psutil
import pytest

from tests.reliability.conftest import import_articles, record_faults
from tests.reliability.private_stack import PrivateStack, wait_until

pytestmark = pytest.mark.slow

SOURCES = 50
SHORT_VISIBILITY = {
    "CELERY_VISIBILITY_TIMEOUT": "5",
    "CELERY_TASK_TIME_LIMIT": "60",
    "CELERY_TASK_SOFT_TIME_LIMIT": "50",
}


def linked(stack: PrivateStack, source_ids: list[int]) -> int:
    return int(
        stack.value("SELECT count(*) FROM claims_source WHERE id = ANY(%s) AND linked_at IS NOT NULL", (source_ids,))
    )


def kill_mid_task(stack: PrivateStack, worker: psutil.Process, *, whole_worker: bool) -> bool:
    """SIGKILL while a task holds an open transaction; True when the kill landed mid-task."""
    if not wait_until(lambda: stack.transactions_in_flight() > 0, timeout=60, interval=0.02):
        return False
    if whole_worker:
        os.killpg(worker.pid, signal.SIGKILL)
    else:
        for child in worker.children(recursive=True):
            child.send_signal(signal.SIGKILL)
    return True


def test_tasks_survive_three_sigkills_exactly_once_in_effect(fresh_stack, tmp_path):
    stack = fresh_stack
    source_ids = import_articles(stack, tag="crash", count=SOURCES, folder=tmp_path)
    kills_mid_task = 0
    worker = stack.start_worker(**SHORT_VISIBILITY)
    for kill_number, whole_worker in enumerate([False, True, False], start=1):
        assert wait_until(lambda n=kill_number: linked(stack, source_ids) >= n * 10, timeout=120)
        kills_mid_task += kill_mid_task(stack, psutil.Process(worker.pid), whole_worker=whole_worker)
        if whole_worker:
            worker.wait(timeout=10)
            worker = stack.start_worker(**SHORT_VISIBILITY)
    assert wait_until(lambda: linked(stack, source_ids) == SOURCES, timeout=150), stack.tail("worker.log")
    stack.stop(worker)

    links_per_source = dict(
        stack.sql(
            "SELECT s.id, count(l.id) FROM claims_source s LEFT JOIN claims_claimlink l ON l.source_id = s.id "
            "WHERE s.id = ANY(%s) GROUP BY s.id",
            (source_ids,),
        )
    )
    link_inserts = stack.value(
        "SELECT count(*) FROM claims_claimlinkevent WHERE source_id = ANY(%s) AND pgh_label = 'insert'", (source_ids,)
    )
    repeated_inserts = stack.value(
        "SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM claims_claimlinkevent "
        "WHERE source_id = ANY(%s) AND pgh_label = 'insert' GROUP BY claim_id, source_id) AS pairs",
        (source_ids,),
    )
    lost = SOURCES - linked(stack, source_ids)
    record_faults(
        "worker SIGKILL",
        faults=3,
        kills_mid_task=kills_mid_task,
        tasks=SOURCES,
        lost=lost,
        duplicates=int(repeated_inserts),
    )
    assert kills_mid_task == 3
    assert lost == 0
    [links_per_report] = set(links_per_source.values())  # every report links to the same claims, once each
    assert links_per_report >= 3
    assert link_inserts == links_per_report * SOURCES
    assert repeated_inserts == 0
    assert stack.value("SELECT count(*) FROM claims_parkedtask") == 0
