"""Is the database reachable, and are its migrations at head?"""

from __future__ import annotations

from pathlib import Path

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

from app.config import ROOT


def alembic_config() -> Config:
    config = Config(str(Path(ROOT) / "alembic.ini"))
    config.set_main_option("script_location", str(Path(ROOT) / "migrations"))
    return config


def migration_state(engine: Engine) -> dict[str, str]:
    heads = set(ScriptDirectory.from_config(alembic_config()).get_heads())
    try:
        with engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    except Exception as exc:
        return {"database": f"unreachable: {type(exc).__name__}", "migrations": "unknown"}
    return {
        "database": "ok",
        "migrations": "at head" if current == heads else "behind",
        "current": ",".join(sorted(current)) or "none",
        "head": ",".join(sorted(heads)),
    }
