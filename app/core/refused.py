"""The one refusal: a service (or a loader) says no, in plain words, with an HTTP status.

    raise Refused("Choose a date from tomorrow to two years ahead.", status=422, field="due")

Statuses: 422 invalid input (with the field it is about, when there is one), 409 a
conflict, 410 finished (a closed round), 403 not allowed, 404 not found. One handler
(app.errors) answers it as a page, an inline htmx block or API JSON; a form route's
dependency (app.forms.form_for) shows the form again with the message by the field.

`title` heads the refusal page when the status's general heading would not be true (a 409
that is a closed plan, not someone else's edit): "This plan is closed".
"""

from __future__ import annotations

STATUSES = (403, 404, 409, 410, 422)


class Refused(Exception):
    def __init__(
        self,
        message: str,
        *,
        status: int,
        field: str | None = None,
        title: str | None = None,
        values: dict | None = None,
    ) -> None:
        if status not in STATUSES:
            raise ValueError(f"a refusal's status is one of {STATUSES}, not {status}")
        # With `values`, `message` and `title` are sentences with %(name)s placeholders:
        # app.errors translates them into the reader's language, then fills them in.
        self.msgid = message
        self.title_msgid = title
        self.values = values
        if values:
            message = message % values
            title = title % values if title else title
        super().__init__(message)
        self.message = message
        self.status = status
        self.field = field
        self.title = title
