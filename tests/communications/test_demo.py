from learnward.communications.models import Mailing
from learnward.core.demo import load_demo
from learnward.privacy.consent.models import ConsentRecord
from learnward.support.models import Enquiry


def test_demo_data_is_loaded_once(db):
    load_demo()
    load_demo()
    learner_records = ConsentRecord.objects.filter(
        subject__email="learner@learnward.test", purpose="marketing"
    )
    assert sorted(learner_records.values_list("topic", flat=True)) == ["courses", "events"]
    assert Mailing.objects.get().status == "draft"
    assert Enquiry.objects.count() == 2
    assert Enquiry.objects.filter(user__isnull=True).count() == 1
