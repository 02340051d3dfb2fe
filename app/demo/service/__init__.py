"""The invented demo organisation. Every name and number here is made up.

`load_demo` runs each domain's demo step in order; later features add a step to STEPS.
"""

from __future__ import annotations

from sqlmodel import Session, select

from app.core import dates
from app.demo.service import assets as demo_assets
from app.demo.service import compare as demo_compare
from app.demo.service import history as demo_history
from app.demo.service import org
from app.demo.service import plans as demo_plans
from app.demo.service import rounds as demo_rounds
from app.models import Service

# (name, function(session, context) -> None). Each step reads what earlier steps made from
# `context` (a dict) and adds to it.
STEPS = [
    ("organisation", org.load),
    ("assets", demo_assets.load),
    ("rounds", demo_rounds.load),
    ("history", demo_history.load),
    ("plans", demo_plans.load),
    ("compare", demo_compare.load),
]


def load_demo(session: Session, *, only_if_empty: bool = False, clock=None) -> str | None:
    """Load the demo organisation, dated from `clock` (the app's or the CLI's clock)."""
    if only_if_empty and session.exec(select(Service)).first() is not None:
        return None
    context: dict = {"clock": clock or dates.system_clock}
    for _name, step in STEPS:
        step(session, context)
        session.commit()
    return report(context)


def report(context: dict) -> str:
    lines = [
        "Demo organisation loaded (invented people and teams).",
        "DEMO sign-ins, for trying the app on this machine only:",
    ]
    for username, password, what in context.get("accounts", []):
        lines.append(f"  {what:<40} username: {username:<14} password: {password}")
    return "\n".join(lines)
