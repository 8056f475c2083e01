from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "learnward.core"
    label = "core"
    verbose_name = "Site"

    def ready(self) -> None:
        from learnward.core import checks  # noqa: F401  (registers the start-up checks)
        from learnward.core.periodic import register_daily_job
        from learnward.core.requestlog import stamp_request_ids

        stamp_request_ids()

        # Django's own and the task queue's housekeeping.
        register_daily_job("clearsessions")
        register_daily_job("prune_db_task_results")
