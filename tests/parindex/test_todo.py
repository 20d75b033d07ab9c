"""The PAR Index on the home page's "Việc cần làm"."""

import datetime

from django.urls import reverse

from home.todo import todo_for
from parindex.services import assessment_start, assessment_submit, score_save


def _index_urls(user):
    groups = {g.key: g for g in todo_for(user, datetime.date.today())}
    return [i.url for i in groups["index"].items] if "index" in groups else []


def test_the_unit_scores_the_leader_sends_the_reviewer_appraises(cast, criteria_set):
    a = assessment_start(by=cast.staff, criteria_set=criteria_set, unit=cast.department)
    url = reverse("parindex:assessment", args=[a.pk])
    assert _index_urls(cast.staff) == [url]
    assert _index_urls(cast.leader) == [url]
    assert _index_urls(cast.reviewer) == []  # a draft is the unit's own
    assert _index_urls(cast.colleague) == []
    for score in a.scores.all():
        score_save(by=cast.staff, assessment=a, criterion_id=score.criterion_id, points="1")
    assessment_submit(by=cast.leader, assessment=a)
    assert _index_urls(cast.staff) == []
    assert _index_urls(cast.reviewer) == [url]
    assert _index_urls(cast.outsider_reviewer) == []
