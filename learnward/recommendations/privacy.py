"""The ``recommendations`` purpose: "Recommended next" on the learner's dashboard.

It holds no data of its own (no models): each time the dashboard is shown it reads the learner's
completions and enrolments (learning), the training their organisation requires
(organisations), and how many other learners completed one course and then another. That is
profiling on legitimate interests, so the gate applies it: an objection stops it at once,
restriction stops it, and learners under 18 get none (the Children's Code).
"""

from django.utils.translation import gettext_lazy as _

from learnward.privacy.registry import add_purpose
from learnward.privacy.registry.purposes import LawfulBasis, Purpose, register_purpose

PURPOSE = "recommendations"

register_purpose(
    Purpose(
        PURPOSE,
        _("Recommending your next course"),
        LawfulBasis.LEGITIMATE_INTERESTS,
        _(
            "Suggesting courses on your dashboard from the courses you completed, the training "
            "your organisation requires of you, and what other learners who completed the same "
            "courses took next (counted only when enough of them did that no one can be singled "
            "out). Nothing is stored and nobody else sees the suggestions. Not for learners "
            "under 18. Object on your My data page and it stops at once."
        ),
        legitimate_interest=_(
            "Helping you find the training that fits what you have done and what your work "
            "requires. Balanced against your interests: it only ranks our own courses, it uses "
            "no data from outside the platform, it decides nothing about you, other learners' "
            "data enters only as counts of several people (never one person's record), and you "
            "can switch it off by objecting."
        ),
        profiling=True,
    )
)

# What it reads, declared by their owners: it uses them for this purpose too, so the notice, the
# records of processing and the export say so.
for label in ("learning.Enrolment", "learning.Completion", "organisations.Membership"):
    add_purpose(label, PURPOSE)
