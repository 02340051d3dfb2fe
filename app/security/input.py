"""Input no database column could ever hold, refused before any route runs.

Found by the schemathesis run (tests/test_schemathesis.py): on PostgreSQL an id past the
32-bit integer columns, or a NUL character in any text, made the database driver fail and the
page answer 500. Here they get a plain 4xx instead: an id that cannot exist is not found (404);
a NUL character is a bad request (400). Form fields typed as numbers are range-checked in
`app.forms` (they come back as a 422 with the message by the field).
"""

from __future__ import annotations

from fastapi import HTTPException, Request

INT_MIN = -(2**31)
INT_MAX = 2**31 - 1
NUL = "\x00"
BAD_CHARACTER = "That request had a character in it that cannot be stored."


def fits_integer_column(value: int) -> bool:
    return INT_MIN <= value <= INT_MAX


def _out_of_range(text: str) -> bool:
    try:
        return not fits_integer_column(int(text))
    except ValueError:
        return False  # not a number at all: the route's own validation answers 422


async def check_input(request: Request) -> None:
    """A global dependency (after check_csrf, which has read any form)."""
    for name, value in request.path_params.items():
        if not isinstance(value, str):
            continue
        if NUL in value or (name.endswith("_id") and _out_of_range(value)):
            raise HTTPException(404)
    for name, value in request.query_params.multi_items():
        if NUL in name or NUL in value:
            raise HTTPException(400, BAD_CHARACTER)
        if name.endswith("_id") and _out_of_range(value):
            raise HTTPException(404)
    form = getattr(request.state, "form", None)
    if form is not None:
        for name, value in form.multi_items():
            if NUL in name or (isinstance(value, str) and NUL in value):
                raise HTTPException(400, BAD_CHARACTER)
