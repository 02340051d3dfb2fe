"""Rounds, ratings, plans and actions driven in random order; invariants after every step.

A hypothesis RuleBasedStateMachine works two teams (A and B) through the app over HTTP (each
team's facilitator signed in) and through the services (joining, purging). After every step:

- one rating per participant and statement; every rating and agreed rating is for a statement
  of its round's framework (a second framework is in the database to tempt it);
- a plan that became agreed had 3–5 priorities, each with a staff-side and a service-user
  co-lead, at that moment;
- from agreement on, what the plan page ("needs a … co-lead" marks, from `colead_needs`) and
  /compare's count (`coled_today`) say of every live priority agrees with the co-lead rule
  checked from scratch (one staff-side co-lead and one who uses the service, both on the team
  with an active account and that perspective now), whatever a co-lead's life brought
  (a new perspective, leaving, rejoining, an account switched off or on); plan edits that
  would break the rule (clearing or changing a co-lead, adding without both, a sixth
  priority, restoring one that no longer holds) are refused and change nothing;
- a closed, unpurged round's summaries match its ratings; purging changes no stored figure,
  and a purged round cannot be reopened;
- no access across teams: a facilitator of one team gets 404 for the other's round, plan,
  priority and action pages and cannot change them.

Every example starts from an empty database (a fresh SQLite file, or PostgreSQL truncated).
"""

from __future__ import annotations

import itertools
import shutil
from datetime import timedelta

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import func, text
from sqlmodel import Session, select

from app.accounts.service import users as users_service
from app.core.refused import Refused
from app.db import make_engine
from app.models import (
    Action,
    AgreedRating,
    Plan,
    Priority,
    PriorityHelper,
    PriorityStatement,
    Rating,
    Round,
    Statement,
    TeamMember,
    User,
    metadata,
)
from app.models.base import SERVICE_USER_SIDE, STAFF_SIDE
from app.ops.service.retention import purge_individual_ratings
from app.plans.queries.coleads import (
    NEEDS_SERVICE_USER,
    NEEDS_STAFF,
    colead_needs,
    coled_today,
)
from app.rounds import service as rounds_service
from app.rounds.queries import live_counts, stored_counts
from app.security.csrf import token_for
from app.security.sessions import cookie_name, start_session
from app.workshop.service import join_round, save_rating
from tests.conftest import BASE, POSTGRES, Client, soup
from tests.factories import (
    make_member,
    make_person,
    make_round,
    make_team,
    make_user,
    small_framework,
)

SETTINGS = settings(
    max_examples=15,
    stateful_step_count=25,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[],  # every health check passes: none is switched off
)
LEVELS = st.sampled_from(["1", "2", "3", "4", "dont_know"])
TEAMS = st.sampled_from(["A", "B"])
PICK = st.integers(min_value=0, max_value=10_000)  # an index into whatever exists


def _pick(items: list, n: int):
    return items[n % len(items)] if items else None


class Workshop(RuleBasedStateMachine):
    """Set by the test: `app`, `template` (an SQLite file) and `tmp_path`."""

    app = None
    template = None
    tmp_path = None
    counter = itertools.count()

    def __init__(self) -> None:
        super().__init__()
        if POSTGRES:
            self.engine = self.app.state.engine
            names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
            with self.engine.begin() as conn:
                conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            path = self.tmp_path / f"machine-{next(self.counter)}.db"
            shutil.copy(self.template, path)
            self.engine = make_engine(f"sqlite:///{path}", pool_size=2)
            self.app.state.engine = self.engine
        self.session = Session(self.engine, expire_on_commit=False)
        self.agreed_checked: set[int] = set()
        self.purged: set[int] = set()

    def teardown(self) -> None:
        self.session.close()
        for client in getattr(self, "clients", {}).values():
            client.cookies.clear()
        if not POSTGRES:
            self.engine.dispose()

    # --- the world ------------------------------------------------------------------------

    @initialize()
    def world(self) -> None:
        """Per team: a closed round with ratings, an open round, a plan from the closed round
        with two (A, a draft) or three (B, agreed) co-led priorities: every rule has something
        to do."""
        s = self.session
        main, other = small_framework(s), small_framework(s, "v2")
        self.framework_ids = {False: main.id, True: other.id}
        self.teams, self.people, self.clients, self.spare = {}, {}, {}, {}
        self.admin = make_user(s, "admin", role="admin")
        for key in ("A", "B"):
            team = make_team(s, f"Team {key}")
            user, facilitator = make_person(s, team, f"fac{key.lower()}", role="facilitator")
            _, peer = make_person(s, team, f"peer{key.lower()}", perspective="peer_worker")
            _, user_side = make_person(s, team, f"sam{key.lower()}", perspective="service_user")
            _, carer = make_person(s, team, f"cara{key.lower()}", perspective="carer")
            self.teams[key] = team.id
            self.people[key] = [facilitator.id, peer.id, user_side.id, carer.id]
            # two more who may take over as co-leads: Morgan is on the list with no account
            morgan = make_member(s, team, f"Morgan {key}", perspective="service_user")
            _, sid = make_person(s, team, f"sid{key.lower()}", perspective="staff")
            self.spare[key] = [morgan.id, sid.id]
            self.clients[key] = self._client_for(key, user)
            framework = main if key == "A" else other
            closed = make_round(s, team, framework, title="Baseline", status="open")
            statements = self._all(select(Statement).where(Statement.framework_id == framework.id))
            for n, perspective in enumerate(("staff", "service_user", "carer")):
                participant, _token = join_round(s, closed, perspective, None)
                for i, statement in enumerate(statements):
                    level = 1 + (n + i) % 4 if (n + i) % 5 else None
                    save_rating(
                        s,
                        participant=participant,
                        round=closed,
                        statement_id=statement.id,
                        level=level,
                    )
            rounds_service.close_round(s, closed, now=self.app.state.clock())
            make_round(s, team, framework, title="Autumn", status="open")
            self._post(
                key, f"/teams/{team.id}/plans", {"title": "Plan", "source_round_id": closed.id}
            )
            plan = self._plans(key)[-1]
            for _ in range(2 if key == "A" else 3):
                form = {
                    "title": "A priority",
                    "impact": "high",
                    "effort": "low",
                    "staff_colead_id": facilitator.id,
                    "service_user_colead_id": user_side.id,
                    "statement_ids": [statements[0].id],
                }
                assert self._post(key, f"/plans/{plan.id}/priorities", form).status_code == 303
            if key == "B":  # B's plan is agreed: the co-lead rule holds from here on
                assert self._post(key, f"/plans/{plan.id}/agree").status_code == 303
        s.commit()

    def _client_for(self, key: str, user) -> Client:
        settings_ = self.app.state.settings
        token = start_session(self.session, user, now=self.app.state.clock(), settings=settings_)
        self.session.commit()
        client = CLIENTS[key]
        client.cookies.clear()
        client.cookies.set(cookie_name(settings_), token)
        return client

    # --- reading the database -------------------------------------------------------------

    def _all(self, query) -> list:
        rows = list(self.session.exec(query).all())
        self.session.commit()  # end the read (SQLite: a transaction holds the write lock)
        return rows

    def _rounds(self, team: str | None = None, status: str | None = None) -> list[Round]:
        query = select(Round).order_by(Round.id)
        if team:
            query = query.where(Round.team_id == self.teams[team])
        if status:
            query = query.where(Round.status == status)
        return self._all(query)

    def _plans(self, team: str) -> list[Plan]:
        return self._all(select(Plan).where(Plan.team_id == self.teams[team]).order_by(Plan.id))

    def _drafts_first(self, team: str) -> list[Plan]:
        plans = self._plans(team)
        return [p for p in plans if p.status == "draft"] or plans

    def _priorities(self, team: str) -> list[Priority]:
        query = select(Priority).join(Plan, Plan.id == Priority.plan_id)
        return self._all(query.where(Plan.team_id == self.teams[team]).order_by(Priority.id))

    def _actions(self, team: str) -> list[Action]:
        query = (
            select(Action)
            .join(Priority, Priority.id == Action.priority_id)
            .join(Plan, Plan.id == Priority.plan_id)
            .where(Plan.team_id == self.teams[team])
        )
        return self._all(query.order_by(Action.id))

    def _statements(self) -> list[Statement]:
        return self._all(select(Statement).order_by(Statement.id))

    def _post(self, team: str, url: str, data: dict | None = None):
        # the machine's own reads are finished (on SQLite an open one would block the app)
        assert not self.session.in_transaction(), url
        response = self.clients[team].form(url, data or {})
        assert response.status_code < 500, (url, response.status_code)
        return response

    # --- rounds ---------------------------------------------------------------------------

    @rule(team=TEAMS, other_framework=st.booleans(), start=st.booleans())
    def create_round(self, team, other_framework, start):
        if len(self._rounds(team)) >= 4:
            return
        data = {
            "framework_id": self.framework_ids[other_framework],
            "title": "Round",
            "held_on": "2026-11-23",
        }
        url = f"/teams/{self.teams[team]}/rounds/new"
        assert self._post(team, url, data | {"mode": "self_paced"}).status_code == 303
        if start:
            self._post(team, f"/rounds/{self._rounds(team)[-1].id}/open")

    @precondition(lambda self: self._rounds())
    @rule(pick=PICK, verb=st.sampled_from(["open", "close", "reopen"]))
    def change_round(self, pick, verb):
        round_ = _pick(self._rounds(), pick)
        team = "A" if round_.team_id == self.teams["A"] else "B"
        response = self._post(team, f"/rounds/{round_.id}/{verb}")
        after = self.session.get(Round, round_.id)
        self.session.refresh(after)
        self.session.commit()
        if verb == "reopen" and round_.id in self.purged:
            assert after.status == "closed", "a purged round was reopened"
        if response.status_code != 303:
            assert after.status == round_.status, f"a refused {verb} changed the round"

    @precondition(lambda self: self._rounds(status="open"))
    @rule(
        pick=PICK, perspective=st.sampled_from(["staff", "service_user", "carer"]), data=st.data()
    )
    def join_and_rate(self, pick, perspective, data):
        round_ = _pick(self._rounds(status="open"), pick)
        participant, token = join_round(self.session, round_, perspective, None)
        client = self.clients["A"]
        statements = self._statements()
        for _ in range(data.draw(st.integers(1, 4))):
            statement = data.draw(st.sampled_from(statements))
            level = data.draw(st.sampled_from(["1", "2", "3", "4", "dk", "7"]))
            client.cookies.set(f"trip_p_{round_.join_code}", token)
            response = client.post(
                f"/r/{round_.join_code}/ratings/{statement.id}",
                data={
                    "level": level,
                    "csrf_token": token_for(self.app.state.settings.secret_key, token),
                },
                follow_redirects=False,
            )
            client.cookies.delete(f"trip_p_{round_.join_code}")
            assert response.status_code < 500
            in_round = statement.framework_id == round_.framework_id
            if response.status_code == 303:
                assert in_round and level != "7", "a rating the round cannot hold was saved"

    @precondition(lambda self: self._rounds(status="closed"))
    @rule(pick=PICK, perspective=st.sampled_from(["staff", "carer"]))
    def rate_a_closed_round(self, pick, perspective):
        round_ = _pick(self._rounds(status="closed"), pick)
        with pytest.raises(Refused):
            join_round(self.session, round_, perspective, None)
        self.session.rollback()

    @precondition(lambda self: self._rounds())
    @rule(pick=PICK, statement=PICK, level=LEVELS, stale=st.booleans(), inside=st.integers(0, 3))
    def agree(self, pick, statement, level, stale, inside):
        """An agreed rating, mostly for an open round's own statements, sometimes not."""
        rounds = self._rounds(status="open") if inside else self._rounds()
        round_ = _pick(rounds or self._rounds(), pick)
        statements = self._statements()
        if inside:
            statements = [s for s in statements if s.framework_id == round_.framework_id]
        statement = _pick(statements, statement)
        team = "A" if round_.team_id == self.teams["A"] else "B"
        current = self._all(
            select(AgreedRating.version).where(
                AgreedRating.round_id == round_.id, AgreedRating.statement_id == statement.id
            )
        )
        version = (current[0] if current else 0) + (7 if stale else 0)
        url = f"/rounds/{round_.id}/statements/{statement.id}/agree"
        response = self._post(team, url, {"level": level, "version": version})
        if statement.framework_id != round_.framework_id:
            assert response.status_code == 404, "agreed a statement of another framework"
        if stale:
            assert response.status_code != 303, "a stale agreed rating was saved"

    # --- plans, priorities, actions -------------------------------------------------------

    @rule(team=TEAMS, from_round=st.booleans())
    def create_plan(self, team, from_round):
        if any(p.status == "draft" for p in self._plans(team)):
            return  # a new plan closes the one before: finish the draft first
        closed = self._rounds(team, "closed")
        data = {"title": "Our plan"}
        if from_round and closed:
            data["source_round_id"] = closed[-1].id
        response = self._post(team, f"/teams/{self.teams[team]}/plans", data)
        assert response.status_code == 303

    @precondition(lambda self: self._plans("A") or self._plans("B"))
    @rule(team=TEAMS, pick=PICK, how_many=st.integers(1, 2), data=st.data())
    def add_priorities(self, team, pick, how_many, data):
        """Mostly well-formed priorities (two co-leads of the right sides), sometimes not."""
        plan = _pick(self._drafts_first(team), pick)
        if plan is None:
            return
        facilitator, peer, user_side, carer = self.people[team]
        allowed = []
        if plan.source_round_id:
            round_ = self.session.get(Round, plan.source_round_id)
            allowed = self._all(
                select(Statement.id).where(Statement.framework_id == round_.framework_id)
            )
        for _ in range(how_many):
            form = {"title": "A priority", "impact": "high", "effort": "low"}
            staff = data.draw(st.sampled_from([facilitator, peer, facilitator, peer, carer, None]))
            user = data.draw(st.sampled_from([user_side] * 4 + [carer, None]))
            for field, value in (("staff_colead_id", staff), ("service_user_colead_id", user)):
                if value is not None:
                    form[field] = value
            if allowed:
                form["statement_ids"] = [data.draw(st.sampled_from(allowed))]
            elif data.draw(st.booleans()):
                form["statement_ids"] = [data.draw(st.sampled_from(self._statements())).id]
            self._post(team, f"/plans/{plan.id}/priorities", form)

    @rule(team=TEAMS, pick=PICK)
    def remove_priority(self, team, pick):
        priority = _pick(self._priorities(team), pick)
        if priority is not None:
            self._post(team, f"/priorities/{priority.id}/remove")

    @rule(team=TEAMS, pick=PICK)
    def agree_plan(self, team, pick):
        plan = _pick(self._drafts_first(team), pick)
        if plan is not None:
            self._post(team, f"/plans/{plan.id}/agree")

    @rule(team=TEAMS, pick=PICK)
    def close_plan(self, team, pick):
        plan = _pick(self._plans(team), pick)
        if plan is not None and plan.status == "agreed":
            self._post(team, f"/plans/{plan.id}/close")

    @rule(team=TEAMS, pick=PICK, owner=PICK)
    def add_action(self, team, pick, owner):
        priority = _pick(self._priorities(team), pick)
        if priority is not None:
            data = {"what": "Do a thing", "owner_member_id": _pick(self.people[team], owner)}
            self._post(team, f"/priorities/{priority.id}/actions", data)

    @rule(
        team=TEAMS,
        pick=PICK,
        status=st.sampled_from(["not_started", "in_progress", "done", "stuck"]),
        stale=st.booleans(),
    )
    def update_action(self, team, pick, status, stale):
        action = _pick(self._actions(team), pick)
        if action is None:
            return
        data = {"what": action.what, "status": status, "version": action.version + stale * 3}
        response = self._post(team, f"/actions/{action.id}/update", data)
        if stale:
            assert response.status_code == 409, "a stale action update was not refused"

    # --- a co-lead's life: changes made elsewhere, and plan edits that would break the rule -

    def _life(self, team: str, pick: int) -> int:
        """Someone on a team's list but its signed-in facilitator: for even picks, one who
        co-leads a live priority now (so the rule has something to lose)."""
        everyone = self.people[team][1:] + self.spare[team]
        coleads = [
            m
            for p in self._priorities(team)
            if p.removed_at is None
            for m in (p.staff_colead_id, p.service_user_colead_id)
            if m in everyone
        ]
        return _pick(coleads if coleads and pick % 2 == 0 else everyone, pick // 2)

    def _member(self, member_id: int) -> TeamMember:
        member = self.session.get(TeamMember, member_id)
        self.session.refresh(member)
        self.session.commit()
        return member

    @rule(
        team=TEAMS,
        pick=PICK,
        perspective=st.sampled_from(["peer_worker", "staff", "service_user", "carer", "community"]),
    )
    def change_perspective(self, team, pick, perspective):
        """Often a person who uses the service becomes a peer support worker."""
        member = self._member(self._life(team, pick))
        data = {"display_name": member.display_name, "perspective": perspective, "role": "member"}
        response = self._post(team, f"/teams/{self.teams[team]}/members/{member.id}", data)
        if response.status_code == 303:
            assert self._member(member.id).perspective == perspective

    @rule(team=TEAMS, pick=PICK, back=st.booleans())
    def leave_or_rejoin(self, team, pick, back):
        member = self._member(self._life(team, pick))
        url = f"/teams/{self.teams[team]}/members/{member.id}/{'rejoin' if back else 'leave'}"
        self._post(team, url)

    @rule(team=TEAMS, pick=PICK, on=st.booleans())
    def switch_account(self, team, pick, on):
        member = self._member(self._life(team, pick))
        if member.user_id is None:
            return
        account = self.session.get(User, member.user_id)
        if on:
            users_service.reactivate(self.session, user=account, actor=self.admin)
        else:
            users_service.deactivate(self.session, user=account, actor=self.admin)
        self.session.commit()

    def _rule_holds(self, plan: Plan, priority: Priority) -> list[str]:
        """What the priority needs, worked out here from the rows as they are now."""

        def counts(member_id, side) -> bool:
            member = self.session.get(TeamMember, member_id) if member_id else None
            if member is None:
                return False
            self.session.refresh(member)
            account = self.session.get(User, member.user_id) if member.user_id else None
            if account is not None:
                self.session.refresh(account)
            return (
                member.team_id == plan.team_id
                and member.left_at is None
                and member.perspective in side
                and (account is None or account.active)
            )

        staff = counts(priority.staff_colead_id, STAFF_SIDE)
        user = counts(priority.service_user_colead_id, SERVICE_USER_SIDE)
        self.session.commit()
        return [need for need, ok in ((NEEDS_STAFF, staff), (NEEDS_SERVICE_USER, user)) if not ok]

    def _fresh(self, model, record_id):
        record = self.session.get(model, record_id)
        self.session.refresh(record)
        self.session.commit()
        return record

    def _live(self, plan_id: int) -> list[Priority]:
        return self._all(
            select(Priority).where(Priority.plan_id == plan_id, Priority.removed_at.is_(None))
        )

    @rule(
        team=TEAMS,
        pick=PICK,
        field=st.sampled_from(["staff_colead_id", "service_user_colead_id"]),
        who=st.integers(0, 6),
    )
    def edit_colead(self, team, pick, field, who):
        """Change or clear (who == 6) one co-lead, everything else as saved."""
        live = [p for p in self._priorities(team) if p.removed_at is None]
        priority = _pick(live, pick)
        if priority is None:
            return
        plan = self._fresh(Plan, priority.plan_id)
        before = self._rule_holds(plan, priority)
        saved = (priority.staff_colead_id, priority.service_user_colead_id, priority.version)
        statements = self._all(
            select(PriorityStatement.statement_id).where(
                PriorityStatement.priority_id == priority.id
            )
        )
        helpers = self._all(
            select(PriorityHelper.member_id).where(PriorityHelper.priority_id == priority.id)
        )
        candidates = self.people[team] + self.spare[team]
        form = {
            name: getattr(priority, name)
            for name in ("title", "why", "impact", "effort", "version")
        }
        form |= {
            "staff_colead_id": priority.staff_colead_id,
            "service_user_colead_id": priority.service_user_colead_id,
            "statement_ids": statements,
            "helper_ids": helpers,
        }
        form[field] = candidates[who] if who < len(candidates) else None
        form = {k: v for k, v in form.items() if v is not None}
        response = self._post(team, f"/priorities/{priority.id}", form)
        after = self._fresh(Priority, priority.id)
        if plan.status == "agreed" and not before and self._rule_holds(plan, after):
            assert response.status_code != 303, f"an edit broke priority {priority.id}'s co-leads"
        if response.status_code != 303:
            now = (after.staff_colead_id, after.service_user_colead_id, after.version)
            assert now == saved, "a refused edit changed the priority"

    @rule(team=TEAMS, pick=PICK)
    def restore_priority(self, team, pick):
        removed = [p for p in self._priorities(team) if p.removed_at is not None]
        priority = _pick(removed, pick)
        if priority is None:
            return
        plan = self._fresh(Plan, priority.plan_id)
        needs = self._rule_holds(plan, priority)
        full = len(self._live(plan.id)) >= 5
        self._post(team, f"/priorities/{priority.id}/restore")
        after = self._fresh(Priority, priority.id)
        if plan.status == "agreed" and (needs or full):
            assert after.removed_at is not None, "restored a priority that breaks the rule"

    @rule(team=TEAMS, pick=PICK, staff=st.booleans(), user=st.booleans())
    def add_to_an_agreed_plan(self, team, pick, staff, user):
        """A priority added after agreement, sometimes without one of its co-leads."""
        agreed = [p for p in self._plans(team) if p.status == "agreed"]
        plan = _pick(agreed, pick)
        if plan is None:
            return
        facilitator, _peer, user_side, _carer = self.people[team]
        form = {"title": "Later", "impact": "low", "effort": "low"}
        if staff:
            form["staff_colead_id"] = facilitator
        if user:
            form["service_user_colead_id"] = user_side
        if plan.source_round_id:
            round_ = self._fresh(Round, plan.source_round_id)
            form["statement_ids"] = self._all(
                select(Statement.id).where(Statement.framework_id == round_.framework_id)
            )[:1]
        count = len(self._live(plan.id))
        response = self._post(team, f"/plans/{plan.id}/priorities", form)
        if not (staff and user) or count >= 5:
            assert response.status_code != 303, "an agreed plan took a priority breaking the rule"
            assert len(self._live(plan.id)) == count

    # --- across teams, and purging ---------------------------------------------------------

    @rule(looker=TEAMS, pick=PICK, kind=st.sampled_from(["round", "plan", "priority", "action"]))
    def look_across(self, looker, pick, kind):
        owner = "B" if looker == "A" else "A"
        found = {
            "round": lambda: self._rounds(owner),
            "plan": lambda: self._plans(owner),
            "priority": lambda: self._priorities(owner),
            "action": lambda: self._actions(owner),
        }[kind]()
        record = _pick(found, pick)
        if record is None:
            return
        page = {"round": "rounds", "plan": "plans", "priority": "priorities", "action": "actions"}
        url = f"/{page[kind]}/{record.id}"
        assert self.clients[looker].get(url).status_code == 404, f"{looker} saw {url}"
        change = {
            "round": f"{url}/close",
            "plan": f"{url}/agree",
            "priority": f"{url}/remove",
            "action": f"{url}/update",
        }[kind]
        before = self._snapshot()
        assert self._post(looker, change, {"what": "x", "status": "done"}).status_code == 404
        assert self._snapshot() == before, f"{looker} changed {owner}'s {kind}"

    def _snapshot(self):
        tables = ("round", "plan", "priority", "action", "agreed_rating")
        with self.engine.connect() as conn:
            return {t: conn.execute(text(f'SELECT * FROM "{t}" ORDER BY id')).all() for t in tables}

    @precondition(lambda self: self._rounds(status="closed"))
    @rule()
    def purge(self):
        closed = self._rounds(status="closed")
        before = {r.id: stored_counts(self.session, r.id) for r in closed}
        self.session.commit()
        report = purge_individual_ratings(
            self.session, older_than_days=0, now=self.app.state.clock() + timedelta(days=1)
        )
        self.session.commit()
        self.purged |= {r.round_id for r in report.rounds}
        after = {r.id: stored_counts(self.session, r.id) for r in closed}
        self.session.commit()
        assert before == after, "purging changed a figure"
        left = self._all(
            select(func.count()).select_from(Rating).where(Rating.round_id.in_(self.purged))
        )
        assert left == [0], "ratings of a purged round are still there"

    # --- invariants -------------------------------------------------------------------------

    @invariant()
    def one_rating_per_participant_and_statement(self):
        if not hasattr(self, "teams"):
            return
        twice = self._all(
            select(Rating.participant_id, Rating.statement_id)
            .group_by(Rating.participant_id, Rating.statement_id)
            .having(func.count() > 1)
        )
        assert twice == []

    @invariant()
    def ratings_only_for_the_rounds_framework(self):
        if not hasattr(self, "teams"):
            return
        for model in (Rating, AgreedRating):
            wrong = self._all(
                select(model.id)
                .join(Round, Round.id == model.round_id)
                .join(Statement, Statement.id == model.statement_id)
                .where(Statement.framework_id != Round.framework_id)
            )
            assert wrong == [], f"{model.__name__} for a statement outside the round"

    @invariant()
    def plans_agreed_only_with_three_to_five_coled_priorities(self):
        if not hasattr(self, "teams"):
            return
        agreed = self._all(select(Plan).where(Plan.status == "agreed"))
        for plan in agreed:
            if plan.id in self.agreed_checked:
                continue
            self.agreed_checked.add(plan.id)
            priorities = self._all(select(Priority).where(Priority.plan_id == plan.id))
            assert 3 <= len(priorities) <= 5, f"plan {plan.id} agreed with {len(priorities)}"
            for priority in priorities:
                staff = self.session.get(TeamMember, priority.staff_colead_id or 0)
                user = self.session.get(TeamMember, priority.service_user_colead_id or 0)
                self.session.commit()
                assert staff is not None and staff.perspective in STAFF_SIDE
                assert user is not None and user.perspective in SERVICE_USER_SIDE

    @invariant()
    def colead_rule_as_it_holds_today(self):
        """From agreement on: the plan page's marks and /compare's count are the rule now."""
        if not hasattr(self, "teams"):
            return
        for plan in self._all(select(Plan).where(Plan.status.in_(("agreed", "closed")))):
            live = self._live(plan.id)
            expected = {p.id: self._rule_holds(plan, p) for p in live}
            assert colead_needs(self.session, expected) == expected
            counted = coled_today(self.session, [plan.id])
            self.session.commit()
            held = sum(not needs for needs in expected.values())
            assert counted == ({plan.id: (held, len(live))} if live else {})
            if plan.status != "agreed":
                continue
            assert len(live) <= 5, f"agreed plan {plan.id} has {len(live)} priorities"
            team = "A" if plan.team_id == self.teams["A"] else "B"
            page = soup(self.clients[team].get(f"/plans/{plan.id}"), status=200)
            for priority in live:
                card = page.select_one(f"#priority-{priority.id}")
                marks = [m.get_text(" ", strip=True) for m in card.select(".app-colead-need")]
                wanted = [f"This priority {need}" for need in expected[priority.id]]
                assert marks == wanted, (priority.id, marks, wanted)

    @invariant()
    def closed_rounds_keep_their_figures(self):
        if not hasattr(self, "teams"):
            return
        for round_ in self._rounds(status="closed"):
            if round_.purged_at is None:
                assert stored_counts(self.session, round_.id) == live_counts(
                    self.session, round_.id
                ), f"round {round_.id}: the summaries differ from its ratings"
            self.session.commit()


CLIENTS: dict[str, Client] = {}


def test_rounds_ratings_plans_and_actions_in_any_order(app, _template_db, tmp_path):
    with (
        Client(app, base_url=BASE, headers={"Sec-Fetch-Site": "same-origin"}) as a,
        Client(app, base_url=BASE, headers={"Sec-Fetch-Site": "same-origin"}) as b,
    ):
        CLIENTS.update(A=a, B=b)
        Workshop.app, Workshop.template, Workshop.tmp_path = app, _template_db, tmp_path
        original = app.state.engine
        try:
            run_state_machine_as_test(Workshop, settings=SETTINGS)
        finally:
            app.state.engine = original
            CLIENTS.clear()
