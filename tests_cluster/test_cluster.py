"""Learnward scaled out, on loopback (tests_cluster/cluster.py draws the topology).

Run with `make cluster-test` (`.ci/run` does). It needs haproxy and redis-server from Debian and
the PostgreSQL server at LEARNWARD_TEST_POSTGRES_URL. moto's S3 server stands in for the object
store; everything else is the real engine.
"""

from __future__ import annotations

import html
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

import pytest
import requests

from tests.fakes.smtp import LoopbackSMTP
from tests_cluster.cluster import Cluster, wait_for

PASSWORD = "a-long-walk-through-two-nodes"
COURSE = "gdpr-essentials-for-training-providers"


@pytest.fixture(scope="module")
def smtp():
    server = LoopbackSMTP()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, smtp):
    cluster = Cluster(root=tmp_path_factory.mktemp("cluster"), smtp_port=smtp.port)
    try:
        cluster.start()
        yield cluster
    except BaseException:
        for name in cluster.processes:
            print(f"--- {name} ---\n{cluster.log(name)[-3000:]}")
        raise
    finally:
        cluster.stop()


class Browser:
    """A requests session that speaks to the balancer over TLS, as a browser would."""

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster
        self.session = requests.Session()
        # Django checks the Referer of HTTPS form posts against its own origin.
        self.session.headers["Referer"] = cluster.base_url + "/"
        self.nodes: list[str] = []

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        url = path if path.startswith("http") else self.cluster.base_url + path
        # verify per request: requests lets REQUESTS_CA_BUNDLE override a session's own setting.
        response = self.session.request(
            method, url, timeout=30, verify=str(self.cluster.trusted_ca), **kwargs
        )
        for hop in [*response.history, response]:
            if "X-Node" in hop.headers:
                self.nodes.append(hop.headers["X-Node"])
        return response

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data: dict | None = None, **kwargs) -> requests.Response:
        token = self.session.cookies.get("csrftoken")
        if token is None:
            self.get("/accounts/login/")
            token = self.session.cookies["csrftoken"]
        return self.request(
            "POST", path, data={**(data or {}), "csrfmiddlewaretoken": token}, **kwargs
        )


def _link(message, fragment: str) -> str:
    return urlparse(next(url for url in message.links() if fragment in url)).path


def test_a_rate_limit_of_n_lets_n_through_in_total_across_both_nodes(cluster):
    [(code,)] = cluster.query("SELECT code FROM certificates_certificate ORDER BY id LIMIT 1")
    browser = Browser(cluster)
    statuses = [browser.get(f"/api/v1/certificates/{code}").status_code for _ in range(30)]
    assert statuses.count(429) == 10, statuses  # LEARNWARD_VERIFY_RATE_LIMIT=20/day
    assert set(statuses[:20]) == {200}
    assert set(browser.nodes) == {"node1", "node2"}  # both nodes counted into one limit
    import redis

    store = redis.Redis(port=cluster.ports["redis"])
    for key in store.scan_iter("*ratelimit*"):  # leave the next tests their own budget
        store.delete(key)


def test_a_learner_journey_works_whichever_node_serves_each_request(cluster, smtp):
    email = "cluster.learner@example.test"
    browser = Browser(cluster)

    # Sign up; the worker sends the verification email; verify; sign in.
    browser.get("/accounts/signup/")
    response = browser.post(
        "/accounts/signup/",
        {
            "email": email,
            "display_name": "Cleo Cluster",
            "date_of_birth": "1990-06-15",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 200 and "Check your email" in response.text
    [verify] = wait_for(lambda: smtp.to(email), timeout=60, what="the verification email")
    assert browser.get(_link(verify, "/accounts/verify/")).status_code == 200
    response = browser.post("/accounts/login/", {"username": email, "password": PASSWORD})
    assert response.status_code == 200 and "/accounts/login/" not in response.url

    # Enrol, read every lesson, pass the assessment.
    response = browser.post(f"/courses/{COURSE}/enrol/")
    assert "You are enrolled on" in response.text
    lessons = cluster.query(
        "SELECT l.id FROM catalog_lesson l JOIN catalog_module m ON l.module_id = m.id "
        "JOIN catalog_course c ON m.course_id = c.id WHERE c.slug = %s "
        "ORDER BY m.position, l.position",
        (COURSE,),
    )
    for (lesson,) in lessons:
        response = browser.post(f"/courses/{COURSE}/lessons/{lesson}/complete/")
        assert response.status_code == 200
    response = browser.post(f"/courses/{COURSE}/assessment/start/")
    attempt_path = urlparse(response.url).path
    assert re.fullmatch(r"/attempts/\d+/", attempt_path), response.url
    questions = set(re.findall(r'name="(q-\d+)"', response.text))
    correct = cluster.query(
        "SELECT q.id, ch.id FROM assessments_choice ch "
        "JOIN assessments_question q ON ch.question_id = q.id "
        # Questions belong to the course's question bank; this course's assessment draws them all.
        "JOIN catalog_course c ON q.course_id = c.id WHERE c.slug = %s AND ch.is_correct",
        (COURSE,),
    )
    answers: dict[str, list[str]] = {}
    for question, choice in correct:
        answers.setdefault(f"q-{question}", []).append(str(choice))
    assert set(answers) == questions
    response = browser.post(attempt_path, answers)
    assert "You passed" in response.text, response.text[-2000:]

    # The certificate: its PDF, its page and the API, through the balancer.
    page = browser.get("/certificates/").text
    code = html.unescape(re.search(r'href="/certificates/([^/"]+)/pdf/"', page).group(1))
    pdf = browser.get(f"/certificates/{code}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    verified = browser.get(f"/verify/{code}/")
    assert verified.status_code == 200 and "Cleo Cluster" in verified.text
    api = browser.get(f"/api/v1/certificates/{code}").json()
    assert api["status"] == "valid" and api["holder_name"] == "Cleo Cluster"

    # Export: asked for through one node, built by a worker into the bucket, downloaded
    # through each node directly (each has its own data directory: only the bucket is shared).
    response = browser.post("/privacy/my-data/download/")
    assert "We are preparing your data" in response.text
    ready = wait_for(
        lambda: [m for m in smtp.to(email) if m.subject == "Your data is ready to download"],
        timeout=90,
        what="the export to be built",
    )
    download = _link(ready[0], "/privacy/my-data/download/")
    assert any(key.startswith("exports/") for key in cluster.bucket_keys())
    session_cookie = browser.session.cookies["sessionid"]
    for node in ("node1", "node2"):
        direct = requests.get(
            f"http://127.0.0.1:{cluster.ports[node]}{download}",
            headers={"X-Forwarded-Proto": "https", "Cookie": f"sessionid={session_cookie}"},
            timeout=30,
            allow_redirects=False,
        )
        assert direct.status_code == 200, (node, direct.status_code)
        assert direct.content[:2] == b"PK"  # a zip archive

    assert set(browser.nodes) == {"node1", "node2"}, browser.nodes


def test_200_emails_are_sent_exactly_once_by_the_two_workers(cluster, smtp):
    smtp.clear()
    cluster.shell(
        "from learnward.accounts.models import User\n"
        "from learnward.accounts.tasks import send_verification_email\n"
        "for n in range(200):\n"
        "    user = User.objects.create_user(f'bulk{n}@example.test', None, "
        "display_name=f'Bulk {n}')\n"
        "    send_verification_email.enqueue(user.pk)\n"
    )
    wait_for(lambda: len(smtp.messages) >= 200, timeout=180, what="200 emails")
    time.sleep(2)  # anything sent twice would arrive by now
    recipients = [address for message in smtp.messages for address in message.envelope_to]
    assert len(recipients) == 200
    assert sorted(recipients) == sorted(f"bulk{n}@example.test" for n in range(200))
    by_worker = cluster.query(
        "SELECT worker_ids->>0, count(*) FROM django_tasks_database_dbtaskresult "
        "WHERE task_path LIKE %s AND status = 'SUCCESSFUL' GROUP BY 1",
        ("%send_verification_email",),
    )
    assert sum(count for _, count in by_worker) >= 200
    assert len(by_worker) >= 2, by_worker  # both workers took a share


def test_a_node_killed_mid_load_costs_only_its_requests_in_flight(cluster):
    stop = threading.Event()
    outcomes: list[tuple[str, int | str]] = []
    lock = threading.Lock()

    def load() -> None:
        session = requests.Session()
        while not stop.is_set():
            try:
                response = session.get(
                    cluster.base_url + "/courses/", timeout=10, verify=str(cluster.trusted_ca)
                )
                result = (response.headers.get("X-Node", "?"), response.status_code)
            except requests.RequestException as exc:
                result = ("?", type(exc).__name__)
            with lock:
                outcomes.append(result)

    clients = 6
    with ThreadPoolExecutor(clients) as pool:
        for _ in range(clients):
            pool.submit(load)
        time.sleep(2)
        cluster.kill("node1")  # SIGKILL to gunicorn's master and workers
        wait_for(lambda: cluster.server_states()["node1"] == "DOWN", timeout=10, what="node1 DOWN")
        with lock:
            at_down = len(outcomes)
        time.sleep(2)
        stop.set()

    before = outcomes[:at_down]
    assert {"node1", "node2"} <= {node for node, _ in before}  # node1 was serving when killed
    failures = [o for o in outcomes if o[1] != 200]
    print(f"{len(outcomes)} requests, {len(failures)} failed: {failures}")
    # At most one request per client was on its way to node1 when it died.
    assert len(failures) <= clients, failures
    after = outcomes[at_down:]
    assert after and all(o == ("node2", 200) for o in after), after[:10]

    # node1 comes back: HAProxy puts it back in rotation.
    cluster.start_node("node1")
    wait_for(lambda: cluster.server_states()["node1"] == "UP", timeout=20, what="node1 UP")
    browser = Browser(cluster)
    for _ in range(6):
        assert browser.get("/courses/").status_code == 200
    assert set(browser.nodes) == {"node1", "node2"}
