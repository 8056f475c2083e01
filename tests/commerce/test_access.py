"""Time-limited access: it ends on time, the learner is told before it does, and buying again
extends it; enrolment codes from an employer's seats."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from learnward.commerce.models import AccessGrant, EnrolmentCode, Order
from learnward.commerce.pricing import CheckoutError
from learnward.commerce.services import (
    Billing,
    access_expire_due,
    access_remind_due,
    code_redeem,
    order_mark_paid,
    order_place,
)
from learnward.learning.models import Enrolment
from tests.commerce.factories import make_product, paid_order

pytestmark = pytest.mark.django_db(transaction=True)


def test_twelve_months_access_ends_on_time_after_a_reminder(make_user, smtp_server):
    learner = make_user(email="ada@example.test")
    product = make_product(access_months=12)
    start = timezone.now().replace(year=2026, month=1, day=15, hour=10)
    with time_machine.travel(start, tick=False):
        paid_order(user=learner, product=product)
    grant = AccessGrant.objects.get()
    assert grant.expires_at == start.replace(year=2027)

    with time_machine.travel(start.replace(year=2027) - timedelta(days=15), tick=False):
        assert access_remind_due() == 0  # 15 days before: not yet
    with time_machine.travel(start.replace(year=2027) - timedelta(days=14), tick=False):
        assert access_remind_due() == 1
        assert access_remind_due() == 0  # once per grant
        assert access_expire_due() == 0
    reminders = [m for m in smtp_server.to("ada@example.test") if "ends soon" in m.subject]
    assert len(reminders) == 1
    assert "ends on 15 January 2027" in reminders[0].text

    with time_machine.travel(start.replace(year=2027) - timedelta(seconds=1), tick=False):
        assert access_expire_due() == 0
        assert Enrolment.objects.get(user=learner).active
    with time_machine.travel(start.replace(year=2027), tick=False):
        assert access_expire_due() == 1
    grant.refresh_from_db()
    assert grant.ended_at is not None
    assert not Enrolment.objects.get(user=learner).active


def test_buying_again_extends_access_from_its_current_end(make_user):
    learner = make_user()
    product = make_product(access_months=6)
    start = timezone.now().replace(year=2026, month=3, day=1, hour=9)
    with time_machine.travel(start, tick=False):
        paid_order(user=learner, product=product)
    with time_machine.travel(start + timedelta(days=30), tick=False):
        paid_order(user=learner, product=product)
    grant = AccessGrant.objects.get()
    assert grant.expires_at == start.replace(year=2027, month=3)


def test_the_daily_command_does_all_three_jobs(make_user):
    from io import StringIO

    out = StringIO()
    call_command("commerce_daily", stdout=out)
    assert "Cancelled 0 unpaid order(s)." in out.getvalue()
    assert "Ended 0 access grant(s)" in out.getvalue()


def test_an_unpaid_card_order_is_cancelled_after_a_day(make_user, settings):
    from learnward.commerce.services import orders_expire_unpaid

    learner = make_user()
    order = order_place(
        user=learner,
        product=make_product(),
        billing=Billing(name="A", address="B", country="GB"),
        method=Order.Method.BANK_TRANSFER,
    )
    Order.objects.filter(pk=order.pk).update(status=Order.Status.PENDING)
    with time_machine.travel(timezone.now() + timedelta(hours=23), tick=False):
        assert orders_expire_unpaid() == 0
    with time_machine.travel(timezone.now() + timedelta(hours=25), tick=False):
        assert orders_expire_unpaid() == 1


def _seats(buyer, quantity=2, months=None):
    product = make_product(access_months=months)
    order = order_place(
        user=buyer,
        product=product,
        billing=Billing(name="Grace", company="Acme", address="Leeds", country="GB"),
        method=Order.Method.INVOICE,
        seats=True,
        quantity=quantity,
    )
    order_mark_paid(order=order, actor=None)
    return product, list(EnrolmentCode.objects.filter(pool__order=order))


def test_a_seat_code_gives_one_person_access_once(make_user):
    buyer, worker, other = make_user(), make_user(), make_user()
    product, codes = _seats(buyer, months=12)
    code = codes[0].code
    grant = code_redeem(user=worker, code=code.lower().replace("-", ""))
    assert grant.course == product.courses.get() and grant.expires_at is not None
    assert Enrolment.objects.get(user=worker).active
    with pytest.raises(CheckoutError, match="already used this code"):
        code_redeem(user=worker, code=code)
    with pytest.raises(CheckoutError, match="has already been used"):
        code_redeem(user=other, code=code)
    with pytest.raises(CheckoutError, match="not valid"):
        code_redeem(user=other, code="AAAA-BBBB-CCCC")
    assert not Enrolment.objects.filter(user=other).exists()
