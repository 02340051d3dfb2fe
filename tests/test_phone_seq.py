"""No answer is ever lost, and none is overwritten by an older one: each answer carries the
phone's sequence number and the save keeps the newer (plain HTTP, the real database)."""

from __future__ import annotations

from sqlmodel import Session, select

from app.models import Participant
from app.workshop import service
from app.workshop.forms import Answer
from tests.factories import CODE, join, participant_csrf, ratings, statement_ids, workshop_round


def _save(client, statement_id: int, level, seq=None, **extra):
    data = {f"level-{statement_id}": str(level), **extra}
    if seq is not None:
        data["seq"] = str(seq)
    headers = {"X-CSRF-Token": participant_csrf(client), "HX-Request": "true"}
    return client.post(f"/r/{CODE}/ratings/{statement_id}", data=data, headers=headers)


def _row(engine, statement_id: int):
    (row,) = [r for r in ratings(engine) if r.statement_id == statement_id]
    return row


def test_an_old_retry_does_not_overwrite_a_newer_answer(client, session, engine):
    found = workshop_round(session)
    first = statement_ids(engine, found.framework_id)[0]
    join(client)
    assert _save(client, first, 2, seq=5).status_code == 200
    assert _save(client, first, 4, seq=7).status_code == 200
    late = _save(client, first, 1, seq=6)  # the retry of an older answer arrives last
    assert late.status_code == 200
    assert "Saved" in late.text  # acknowledged: the phone may forget it
    row = _row(engine, first)
    assert (row.level, row.seq) == (4, 7)
    same = _save(client, first, 3, seq=7)  # a second tab reusing a number changes nothing
    assert same.status_code == 200
    assert _row(engine, first).level == 4
    assert _save(client, first, 3, seq=8).status_code == 200
    assert (_row(engine, first).level, _row(engine, first).seq) == (3, 8)
    assert len(ratings(engine)) == 1


def test_a_save_without_a_number_always_applies_and_keeps_the_number(client, session, engine):
    found = workshop_round(session)
    first = statement_ids(engine, found.framework_id)[0]
    join(client)
    _save(client, first, 2, seq=9)
    assert _save(client, first, "dk").status_code == 200  # a page without JavaScript
    row = _row(engine, first)
    assert (row.level, row.seq) == (None, 9)
    _save(client, first, 4, seq=3)  # older than 9: kept out
    assert _row(engine, first).level is None


def test_the_careful_path_keeps_the_newer_answer_too(client, session, engine):
    found = workshop_round(session)
    first = statement_ids(engine, found.framework_id)[0]
    join(client)
    _save(client, first, 4, seq=20)
    with Session(engine) as s:
        (participant,) = s.exec(select(Participant)).all()
        older = Answer(first, 1, False, None, seq=19)
        service.save_answers(s, participant=participant, round=found, answers=[older])
        s.commit()
    assert _row(engine, first).level == 4


def test_a_sequence_number_that_is_not_a_number_is_ignored(client, session, engine):
    found = workshop_round(session)
    first = statement_ids(engine, found.framework_id)[0]
    join(client)
    _save(client, first, 2, seq=4)
    for bad in ("x", "-3", str(2**40)):
        assert _save(client, first, 3, seq=bad).status_code == 200
    row = _row(engine, first)
    assert (row.level, row.seq) == (3, 4)
