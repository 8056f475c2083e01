"""The daily-job runner: apps register their own jobs; the operator's list, when set, wins."""

from learnward.core import periodic


def test_every_app_registers_its_daily_jobs_once():
    jobs = periodic.registered_daily_jobs()
    for job in (
        "clearsessions",
        "prune_db_task_results",
        "cleanup_exports",
        "process_erasures",
        "vacuum_erased",
        "retention",
        "privacy_notice",
        "expire_guardian_requests",
        "send_expiry_reminders",
    ):
        assert jobs.count(job) == 1, job
    periodic.register_daily_job("retention")
    assert periodic.registered_daily_jobs() == jobs


def test_without_an_operator_list_the_registered_jobs_run(settings):
    settings.PERIODIC_COMMANDS = []
    assert periodic.periodic_commands() == periodic.registered_daily_jobs()


def test_the_operators_list_replaces_the_registered_jobs(settings):
    settings.PERIODIC_COMMANDS = ["retention"]
    assert periodic.periodic_commands() == ["retention"]
