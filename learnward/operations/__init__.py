"""Running a site: backup and restore (``learnward backup``, ``learnward restore``)."""
