"""Operational plumbing that is not a product feature: request ids in logs and tasks, task failure counters, the
staff metrics page (its template lives in ``config/templates``)."""

from django.apps import AppConfig


class ObservabilityConfig(AppConfig):
    name = "config"
    label = "observability"
    verbose_name = "Observability"

    def ready(self) -> None:
        from celery.signals import before_task_publish, task_failure, task_postrun, task_prerun

        from config import metrics, request_id

        before_task_publish.connect(request_id.add_request_id_to_task_headers, weak=False)
        task_prerun.connect(request_id.bind_request_id_for_task, weak=False)
        task_postrun.connect(request_id.unbind_request_id_after_task, weak=False)
        task_failure.connect(metrics.count_task_failure, weak=False)
