"""Self-assessment, appraisal, the trail and the ranking through the services, as each person."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from lib.access import Refused
from org.permissions import OPERATOR
from parindex.models import AssessmentState, Event, EventAction
from parindex.results import competition_ranks, year_results
from parindex.sample import FIXTURE
from parindex.services import (
    IndexProblem,
    appraise,
    assessment_answer,
    assessment_finalise,
    assessment_return,
    assessment_start,
    assessment_submit,
    criteria_set_import,
    explanation_save,
    score_save,
)
from parindex.workbook import read_fixture

TOMORROW = timezone.localdate() + datetime.timedelta(days=1)


def _fill(assessment, by, points="1"):
    for score in assessment.scores.all():
        score_save(by=by, assessment=assessment, criterion_id=score.criterion_id, points=points)


def _leaf(assessment, code):
    return assessment.scores.get(criterion__code=code).criterion_id


def test_the_whole_trail_from_self_assessment_to_finalised(cast, criteria_set):
    a = assessment_start(by=cast.staff, criteria_set=criteria_set, unit=cast.department)
    # No approved report: no suggestion, and saying so.
    assert all(s.suggested is None for s in a.scores.all())
    _fill(a, cast.staff)
    with pytest.raises(Refused, match="lãnh đạo"):
        assessment_submit(by=cast.staff, assessment=a)
    a = assessment_submit(by=cast.leader, assessment=a)
    assert a.state == AssessmentState.SUBMITTED
    with pytest.raises(Refused):
        score_save(by=cast.staff, assessment=a, criterion_id=_leaf(a, "1.2"), points="2")
    with pytest.raises(Refused):
        appraise(by=cast.outsider_reviewer, assessment=a, criterion_id=_leaf(a, "1.2"), points=1)
    with pytest.raises(IndexProblem, match="Chưa đánh dấu"):
        assessment_return(by=cast.reviewer, assessment=a, deadline=TOMORROW)
    appraise(
        by=cast.reviewer,
        assessment=a,
        criterion_id=_leaf(a, "1.2"),
        points="0,5",
        comment="Thiếu biên bản kiểm tra.",
        ask="Bổ sung biên bản kiểm tra.",
    )
    with pytest.raises(IndexProblem, match="hôm nay"):
        assessment_return(
            by=cast.reviewer, assessment=a, deadline=timezone.localdate() - datetime.timedelta(1)
        )
    a = assessment_return(by=cast.reviewer, assessment=a, deadline=TOMORROW)
    assert a.state == AssessmentState.RETURNED
    # Only the criteria asked about may change while returned.
    with pytest.raises(IndexProblem, match="yêu cầu giải trình"):
        score_save(by=cast.staff, assessment=a, criterion_id=_leaf(a, "1.3"), points="2")
    with pytest.raises(IndexProblem, match="Chưa giải trình tiêu chí 1.2"):
        assessment_answer(by=cast.staff, assessment=a)
    explanation_save(
        by=cast.staff, assessment=a, criterion_id=_leaf(a, "1.2"), text="Đã bổ sung biên bản."
    )
    score_save(by=cast.staff, assessment=a, criterion_id=_leaf(a, "1.2"), points="2")
    a = assessment_answer(by=cast.staff, assessment=a)
    assert a.state == AssessmentState.ANSWERED
    appraise(by=cast.reviewer, assessment=a, criterion_id=_leaf(a, "1.2"), points="2")
    a = assessment_finalise(by=cast.reviewer, assessment=a)
    assert a.state == AssessmentState.FINALISED
    leaves = a.scores.count()
    assert sum(s.appraised_score for s in a.scores.all()) == Decimal(leaves - 1) + 2
    with pytest.raises(Refused, match="Đã chốt điểm"):
        appraise(by=cast.reviewer, assessment=a, criterion_id=_leaf(a, "1.2"), points="1")
    actions = list(Event.objects.filter(assessment=a).values_list("action", flat=True))
    assert actions[0] == EventAction.STARTED
    assert actions[-1] == EventAction.FINALISED
    for action in (EventAction.SUBMITTED, EventAction.RETURNED, EventAction.ANSWERED):
        assert action in actions
    changed = Event.objects.get(
        assessment=a, criterion__code="1.2", action=EventAction.SELF_SCORED, new_score=2
    )
    assert (changed.old_score, changed.actor) == (Decimal(1), cast.staff)


def test_scores_are_checked_and_a_changed_suggestion_needs_a_reason(cast, criteria_set):
    a = assessment_start(by=cast.staff, criteria_set=criteria_set, unit=cast.department)
    leaf = _leaf(a, "1.2")  # max 3
    for bad, message in [
        ("4", "từ 0 đến 3"),
        ("-1", "từ 0 đến 3"),
        ("ba", "không phải là số"),
        ("1,234", "hai chữ số"),
    ]:
        with pytest.raises(IndexProblem, match=message):
            score_save(by=cast.staff, assessment=a, criterion_id=leaf, points=bad)
    a.scores.filter(criterion_id=leaf).update(suggested=Decimal("3.00"))
    with pytest.raises(IndexProblem, match="lý do"):
        score_save(by=cast.staff, assessment=a, criterion_id=leaf, points="2")
    score = score_save(by=cast.staff, assessment=a, criterion_id=leaf, points="2", reason="Chậm")
    assert (score.self_score, score.change_reason) == (Decimal(2), "Chậm")
    score = score_save(by=cast.staff, assessment=a, criterion_id=leaf, points=None, accept=True)
    assert (score.self_score, score.change_reason) == (Decimal(3), "")
    with pytest.raises(Refused):
        score_save(by=cast.colleague, assessment=a, criterion_id=leaf, points="1")
    with pytest.raises(Refused):
        assessment_start(by=cast.outsider_staff, criteria_set=criteria_set, unit=cast.department)


def test_a_used_set_is_frozen_and_an_import_makes_the_next_version(cast, criteria_set):
    again = criteria_set_import(
        by=OPERATOR, province=cast.province, spec=read_fixture(FIXTURE), year=2025
    )
    assert (again.pk, again.version) == (criteria_set.pk, 1)
    assessment_start(by=cast.staff, criteria_set=criteria_set, unit=cast.department)
    third = criteria_set_import(
        by=cast.reviewer, province=cast.province, spec=read_fixture(FIXTURE), year=2025
    )
    assert third.version == 2
    assert criteria_set.criteria.count() == third.criteria.count()
    with pytest.raises(Refused):
        criteria_set_import(
            by=cast.outsider_reviewer, province=cast.province, spec=read_fixture(FIXTURE), year=2025
        )


def test_ranking_shares_ranks_on_equal_totals(cast, criteria_set):
    totals = {cast.department: "1", cast.colleague_department: "1", cast.home_affairs: "2"}
    people = {cast.department: cast.leader}
    for unit, points in totals.items():
        a = assessment_start(by=OPERATOR, criteria_set=criteria_set, unit=unit)
        _fill(a, people.get(unit, OPERATOR), points)
        assessment_submit(by=OPERATOR, assessment=a)
        assessment_finalise(by=cast.reviewer, assessment=a)
    results = year_results(criteria_set)
    ranks = {row.unit: row.rank for row in results.rows}
    assert ranks == {cast.home_affairs: 1, cast.department: 2, cast.colleague_department: 2}


def _oracle(totals):
    return [1 + sum(1 for other in totals if other > t) for t in totals]


@given(st.lists(st.decimals(min_value=0, max_value=100, places=2), max_size=30))
def test_competition_ranks_agree_with_counting_the_better_ones(totals):
    assert competition_ranks(totals) == _oracle(totals)


def test_control_characters_never_reach_the_database(cast, criteria_set):
    a = assessment_start(by=cast.staff, criteria_set=criteria_set, unit=cast.department)
    leaf = _leaf(a, "1.2")
    score = score_save(
        by=cast.staff, assessment=a, criterion_id=leaf, points="1", note="Dòng\x0bhai\x00\x1b"
    )
    score.refresh_from_db()
    assert score.note == "Dòng\nhai"
    with pytest.raises(IndexProblem, match="dài quá"):
        score_save(by=cast.staff, assessment=a, criterion_id=leaf, points="1", note="x" * 30_000)


def test_the_change_from_last_year_compares_finalised_totals(cast, criteria_set):
    last_set = criteria_set_import(
        by=OPERATOR, province=cast.province, spec=read_fixture(FIXTURE), year=2024
    )
    for the_set, points in ((last_set, "1"), (criteria_set, "2")):
        a = assessment_start(by=cast.staff, criteria_set=the_set, unit=cast.department)
        _fill(a, cast.staff, points)
        assessment_submit(by=cast.leader, assessment=a)
        assessment_finalise(by=cast.reviewer, assessment=a)
    leaves = criteria_set.criteria.filter(is_scored=True).count()
    row = year_results(criteria_set).row_of(cast.department)
    assert (row.last_year, row.appraised_total) == (Decimal(leaves), Decimal(2 * leaves))
    assert row.change == Decimal(leaves)
    assert year_results(last_set).row_of(cast.department).change is None
