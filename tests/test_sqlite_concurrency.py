"""The embedded default bears a handful of people and its task worker at once.

scripts/demo runs on a SQLite file of this test's own (the rest of the suite runs on PostgreSQL):
its development server and its task worker share the file. Six people work at the same moment,
as in the walk-through that met "database is locked": a reviewer approves a report and at once
compiles the province's report (the worker renders and mails the approval meanwhile), another
reviewer comments and returns a report, staff autosave sections and create a report, the
administrator opens and closes a period. Every answer must be the one a user expects, never a
500, and nothing typed may be lost.
"""

import re
import sqlite3
import threading

from tests.demo_process import DemoClient, first_match

ROUNDS = 8


def _autosave_sections(client: DemoClient, report: int, tag: str, answers: list, typed: dict):
    detail = client.get(f"/bao-cao/{report}/").text
    codes = list(dict.fromkeys(re.findall(rf"/bao-cao/{report}/muc/([\w-]+)/", detail)))[:2]
    for code in codes:
        page = client.get(f"/bao-cao/{report}/muc/{code}/").text
        version = first_match(r'name="part_version" value="(\d+)"', page)
        for i in range(ROUNDS):
            text = f"<p>{tag} {code} lần {i}</p>"
            answer = client.post(
                f"/bao-cao/{report}/muc/{code}/",
                {"content": text, "part_version": version},
                headers={"X-Autosave": "1"},
            )
            answers.append((f"autosave {tag} {code}", answer.status, 200, answer.text[:200]))
            if answer.status == 200:
                version = str(answer.json()["version"])
                typed[(report, code)] = text


def test_web_and_worker_share_the_demo_database_without_locking(demo_process):
    demo = demo_process
    approve = demo.report_id("can-tho", "2026-Q3", "Sở Khoa học", "submitted")
    returned = demo.report_id("gia-lai", "2026-Q3", "Sở Khoa học", "submitted")
    cantho_draft = demo.report_id("can-tho", "2026-Y", "Sở Khoa học", "draft")
    gialai_draft = demo.report_id("gia-lai", "2026-Y", "Sở Khoa học", "draft")
    answers: list[tuple[str, int, int, str]] = []  # what, got, expected, body
    typed: dict[tuple[int, str], str] = {}
    start = threading.Barrier(6)

    def reviewer_approves_then_compiles():
        client = DemoClient(demo.url).log_in("cantho.thamdinh")
        start.wait()
        data = {"decision": "approve", "comment": "Đạt.", "confirm": "on"}
        answer = client.post(f"/bao-cao/{approve}/tham-dinh/", data)
        answers.append(("approve", answer.status, 302, answer.text[:200]))
        for _ in range(3):
            compile_data = {"province": "can-tho", "period": "2026-Y", "include_submitted": "1"}
            answer = client.post("/bang-theo-doi/tong-hop-bao-cao-tinh/", compile_data)
            answers.append(("compile", answer.status, 302, answer.text[:200]))

    def reviewer_comments_then_returns():
        client = DemoClient(demo.url).log_in("gialai.thamdinh")
        start.wait()
        for i in range(ROUNDS):
            data = {"target": "report", "target_code": "", "text": f"Nhận xét {i}"}
            answer = client.post(f"/bao-cao/{returned}/nhan-xet/", data)
            answers.append(("comment", answer.status, 302, answer.text[:200]))
        data = {"decision": "return", "comment": "Bổ sung số liệu."}
        answer = client.post(f"/bao-cao/{returned}/tham-dinh/", data)
        answers.append(("return", answer.status, 302, answer.text[:200]))

    def staff_autosaves(username, report):
        def work():
            client = DemoClient(demo.url).log_in(username)
            start.wait()
            _autosave_sections(client, report, username, answers, typed)

        return work

    def staff_creates_a_report():
        client = DemoClient(demo.url).log_in("hochiminh.chuyenvien")
        start.wait()
        unit = client.get("/don-vi/ho-chi-minh-skhcn/").text
        action = first_match(r'action="(/don-vi/ho-chi-minh-skhcn/lap-bao-cao/[^"]+)"', unit)
        answer = client.post(action, {})
        answers.append(("create", answer.status, 302, answer.text[:200]))
        report = int(first_match(r"/bao-cao/(\d+)/", answer.headers.get("Location", "")))
        _autosave_sections(client, report, "hochiminh", answers, typed)

    def administrator_toggles_a_period():
        client = DemoClient(demo.url).log_in("quantri")
        start.wait()
        periods = client.get("/ky-bao-cao/").text
        # The oldest period: the others are being worked on.
        action = re.findall(r'action="(/ky-bao-cao/\d+/mo-dong/)"', periods)[-1]
        for _ in range(4):
            answer = client.post(action, {})
            answers.append(("period", answer.status, 302, answer.text[:200]))

    people = [
        reviewer_approves_then_compiles,
        reviewer_comments_then_returns,
        staff_autosaves("cantho.chuyenvien", cantho_draft),
        staff_autosaves("gialai.chuyenvien", gialai_draft),
        staff_creates_a_report,
        administrator_toggles_a_period,
    ]
    failures: list[str] = []

    def run(person):
        try:
            person()
        except Exception as exc:  # a thread's assertion must reach the test
            failures.append(f"{person.__name__}: {exc!r}")
            start.abort()

    threads = [threading.Thread(target=run, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert failures == []
    wrong = [
        f"{what}: {got} (expected {want}) {text}"
        for what, got, want, text in answers
        if got != want
    ]
    assert wrong == [], "\n".join(wrong)
    assert len(answers) >= 1 + 3 + ROUNDS + 1 + 1 + 4 + 3 * 2 * ROUNDS

    # The worker has done the approval's and the return's work: nothing failed, nothing waits.
    demo.manage("db_worker", "--queue-name", "*", "--batch", "--no-startup-delay", "-v0")
    with sqlite3.connect(f"file:{demo.database}?mode=ro", uri=True) as db:
        states = dict(
            db.execute(
                "SELECT status, count(*) FROM django_tasks_database_dbtaskresult GROUP BY status"
            ).fetchall()
        )
        assert set(states) == {"SUCCESSFUL"}, states
        # Every section holds the last text its writer saw saved.
        for (report, code), text in typed.items():
            (content,) = db.execute(
                "SELECT s.content FROM reports_narrativesection s "
                "JOIN indicators_outlinesection o ON o.id = s.outline_id "
                "WHERE s.report_id = ? AND o.code = ?",
                (report, code),
            ).fetchone()
            assert content == text
    output = "\n".join(demo.lines)
    assert "database is locked" not in output
    assert "Traceback" not in output
