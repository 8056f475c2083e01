from functools import cache


def notice_change(request):
    """``notice_change``: the changed privacy notice a signed-in learner has not seen, if any.
    Evaluated only when a template uses it (one query)."""
    user = getattr(request, "user", None)

    @cache
    def lookup():
        if user is None or not user.is_authenticated:
            return None
        from learnward.privacy.records.notice import notice_change_for

        return notice_change_for(user)

    return {"notice_change": lookup}
