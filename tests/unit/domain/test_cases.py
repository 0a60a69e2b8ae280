"""Error report cases (felanmälan), with plain values: the state machine, due dates, what a report must say."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from backend.domain.cases import (
    MAX_TEXT,
    CaseClosed,
    CaseError,
    CaseStatus,
    NotAnItemCase,
    Subject,
    SubjectKind,
    TransitionNotAllowed,
    after_message,
    check_due_date,
    check_return,
    check_subject,
    check_transition,
    clean_text,
    due_date,
    overdue,
)

NEW, IN_PROGRESS, ANSWERED, CLOSED = CaseStatus


def test_a_report_is_due_three_working_days_later() -> None:
    assert due_date(date(2026, 11, 23)) == date(2026, 11, 26)  # Monday -> Thursday


def test_a_report_on_friday_skips_the_weekend() -> None:
    assert due_date(date(2026, 11, 27)) == date(2026, 12, 2)


def test_swedish_holidays_do_not_count_as_working_days() -> None:
    # 23 Dec 2026 (Wed): 24 (Julafton), 25 (Juldagen), 26-27 (weekend) are not working days.
    assert due_date(date(2026, 12, 23)) == date(2026, 12, 30)
    # Midsommar 2026: Friday 19 June is midsommarafton.
    assert due_date(date(2026, 6, 17)) == date(2026, 6, 23)


def test_payroll_answers_and_the_reporter_reply_puts_it_back_in_progress() -> None:
    assert after_message(NEW, from_payroll=True) == ANSWERED
    assert after_message(IN_PROGRESS, from_payroll=True) == ANSWERED
    assert after_message(ANSWERED, from_payroll=False) == IN_PROGRESS


def test_a_reporter_adding_to_an_unanswered_case_does_not_change_its_status() -> None:
    assert after_message(NEW, from_payroll=False) == NEW
    assert after_message(IN_PROGRESS, from_payroll=False) == IN_PROGRESS


@pytest.mark.parametrize("from_payroll", [True, False])
def test_nobody_writes_in_a_closed_case(from_payroll: bool) -> None:
    with pytest.raises(CaseClosed) as raised:
        after_message(CLOSED, from_payroll=from_payroll)
    assert raised.value.field == "status"
    assert raised.value.category == "conflict"
    assert "stängt" in raised.value.message.sv


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (NEW, IN_PROGRESS),
        (NEW, ANSWERED),
        (NEW, CLOSED),
        (IN_PROGRESS, ANSWERED),
        (IN_PROGRESS, CLOSED),
        (ANSWERED, IN_PROGRESS),
        (ANSWERED, CLOSED),
        (CLOSED, IN_PROGRESS),
    ],
)
def test_allowed_status_changes(current: CaseStatus, target: CaseStatus) -> None:
    assert check_transition(current, target) == target


@pytest.mark.parametrize(
    ("current", "target"),
    [(NEW, NEW), (IN_PROGRESS, NEW), (ANSWERED, NEW), (CLOSED, CLOSED), (CLOSED, ANSWERED), (CLOSED, NEW)],
)
def test_refused_status_changes_name_the_status_in_both_languages(current: CaseStatus, target: CaseStatus) -> None:
    with pytest.raises(TransitionNotAllowed) as raised:
        check_transition(current, target)
    assert raised.value.field == "status"
    assert raised.value.message.en != raised.value.message.sv


def test_the_text_is_trimmed_and_kept() -> None:
    assert clean_text("  Fel belopp\n på raden  ") == "Fel belopp\n på raden"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "case.text_required"),
        ("   \n ", "case.text_required"),
        (None, "case.text_required"),
        ("x" * (MAX_TEXT + 1), "case.text_too_long"),
        ("Fel\x00belopp", "case.control_characters"),
        ("Fel \x1b[31m", "case.control_characters"),
        ("abc\u202edef", "case.control_characters"),
    ],
)
def test_bad_texts_are_refused_naming_the_field(text: str | None, code: str) -> None:
    with pytest.raises(CaseError) as raised:
        clean_text(text, "text")
    assert raised.value.code == code
    assert raised.value.field == "text"


def test_a_payslip_line_needs_the_period_and_the_line() -> None:
    with pytest.raises(CaseError) as no_period:
        check_subject(Subject(SubjectKind.PAYSLIP_LINE, line_key="salary"))
    with pytest.raises(CaseError) as bad_period:
        check_subject(Subject(SubjectKind.PAYSLIP_LINE, payslip_period="2026-13", line_key="salary"))
    with pytest.raises(CaseError) as no_line:
        check_subject(Subject(SubjectKind.PAYSLIP_LINE, payslip_period="2026-11"))
    assert (no_period.value.field, bad_period.value.field, no_line.value.field) == (
        "payslip_period",
        "payslip_period",
        "line_key",
    )


def test_only_the_references_of_the_kind_are_kept() -> None:
    item = uuid4()
    checked = check_subject(
        Subject(SubjectKind.PAYSLIP_LINE, payslip_period="2026-11", line_key=" salary ", item_id=item, export_row=3)
    )
    assert checked == Subject(SubjectKind.PAYSLIP_LINE, payslip_period="2026-11", line_key="salary")
    assert check_subject(Subject(SubjectKind.ITEM, item_id=item, line_key="x")) == Subject(
        SubjectKind.ITEM, item_id=item
    )
    assert check_subject(Subject(SubjectKind.OTHER, item_id=item)) == Subject(SubjectKind.OTHER)


def test_an_export_row_needs_the_batch_and_a_row_from_one() -> None:
    batch = uuid4()
    with pytest.raises(CaseError) as no_batch:
        check_subject(Subject(SubjectKind.EXPORT_ROW, export_row=1))
    with pytest.raises(CaseError) as row_zero:
        check_subject(Subject(SubjectKind.EXPORT_ROW, export_batch_id=batch, export_row=0))
    assert no_batch.value.field == "export_batch_id"
    assert row_zero.value.field == "export_row"
    assert check_subject(Subject(SubjectKind.EXPORT_ROW, export_batch_id=batch, export_row=7)).export_row == 7


def test_an_item_can_be_named_by_the_claim_week_or_request_it_is_for() -> None:
    claim = uuid4()
    assert check_subject(Subject(SubjectKind.ITEM, item_subject_id=claim)) == Subject(
        SubjectKind.ITEM, item_subject_id=claim
    )


def test_an_item_case_needs_the_item() -> None:
    with pytest.raises(CaseError) as raised:
        check_subject(Subject(SubjectKind.ITEM))
    assert raised.value.field == "item_id"


def test_the_due_date_can_move_but_not_into_the_past_or_beyond_a_year() -> None:
    today = date(2026, 11, 23)
    assert check_due_date(date(2026, 12, 1), today) == date(2026, 12, 1)
    assert check_due_date(today, today) == today
    with pytest.raises(CaseError) as past:
        check_due_date(date(2026, 11, 22), today)
    with pytest.raises(CaseError) as far:
        check_due_date(date(2027, 12, 1), today)
    assert (past.value.field, far.value.field) == ("due_date", "due_date")


def test_only_cases_waiting_for_payroll_are_overdue() -> None:
    due = date(2026, 11, 20)
    today = date(2026, 11, 23)
    assert overdue(NEW, due, today)
    assert overdue(IN_PROGRESS, due, today)
    assert not overdue(ANSWERED, due, today)
    assert not overdue(CLOSED, due, today)
    assert not overdue(NEW, today, today)


def test_only_an_open_item_case_can_send_the_item_back() -> None:
    assert check_return(SubjectKind.ITEM, IN_PROGRESS) == ANSWERED
    with pytest.raises(NotAnItemCase):
        check_return(SubjectKind.PAYSLIP_LINE, NEW)
    with pytest.raises(CaseClosed):
        check_return(SubjectKind.ITEM, CLOSED)
