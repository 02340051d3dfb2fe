"""Demo assets: a handful of invented talents, skills, interests, contacts and resources per
team, some held by people on the team's list and some by a nickname."""

from __future__ import annotations

from sqlmodel import Session

from app.assets import service as assets_service

# (kind, description, holder: a first name from the demo list or None, alias, perspective,
# happy to share)
ASSETS = [
    (
        "talent",
        "Plays guitar and would run a music group on Friday afternoons.",
        "Gareth",
        None,
        "peer_worker",
        True,
    ),
    (
        "skill",
        "Trained in first aid for mental health; happy to teach others.",
        "Priya",
        None,
        "staff",
        True,
    ),
    (
        "interest",
        "Grows vegetables and could start a gardening group.",
        None,
        "Green Fingers",
        "service_user",
        True,
    ),
    (
        "contact",
        "Knows the people who run the community allotments on Mill Lane.",
        "Lin",
        None,
        "carer",
        True,
    ),
    (
        "resource",
        "The church hall can be booked free on weekday mornings.",
        "Chris",
        None,
        "community",
        True,
    ),
    (
        "skill",
        "Speaks Polish and could help with leaflets and first meetings.",
        None,
        "Kasia",
        "service_user",
        False,
    ),
    (
        "interest",
        "Loves football and would join a walking football team.",
        "Sam",
        None,
        "service_user",
        True,
    ),
    (
        "talent",
        "Draws cartoons: could make the team's posters friendlier.",
        None,
        "Sketchy",
        "service_user",
        True,
    ),
]


def load(session: Session, context: dict) -> None:
    members = context.get("members", {})
    for index, team in enumerate(context.get("teams", [])):
        people = members.get(team.id, {})
        # each team gets a different handful of five
        chosen = [ASSETS[(index + step) % len(ASSETS)] for step in range(5)]
        for kind, description, first, alias, perspective, share in chosen:
            holder = people.get(first) if first else None
            assets_service.add_asset(
                session,
                team_id=team.id,
                kind=kind,
                description=description,
                perspective=holder.perspective if holder else perspective,
                holder_member_id=holder.id if holder else None,
                alias=None if holder else (alias or first),
                happy_to_share=share,
            )
    session.flush()
