"""Forms the contact-app way: typed models, and invalid input shows the same form (422).

Each form page has one ``show_…(request, …, values, errors, status)`` function, used by its
GET and by a failed POST. A route declares its form with that function::

    NewTeam = Annotated[TeamForm, Depends(form_for(TeamForm, show_new_team), scope="function")]

    @router.post("/admin/teams")
    def create_team(request: Request, session: SessionDep, form: NewTeam): ...

`form_for` reads the posted form into the model; on invalid input — or a ``Refused`` with
status 422 raised while the route runs, for rules only the database can check, such as a
name already in use — it calls ``show_…`` with the problem next to each field
(``errors[field]``) and what the person typed kept (``values``), status 422. Nothing is
built before validation. The OpenAPI description lists the form's fields.
"""

from __future__ import annotations

from typing import Any, TypeVar

from fastapi import Request
from pydantic import BaseModel, ValidationError

from app.core.i18n import N_, _

M = TypeVar("M", bound=BaseModel)

# Translated (with the field's label) into the page's language when a form is read again.
FIELD_MESSAGES = {
    "missing": N_("Enter %(label)s"),
    "string_too_short": N_("Enter %(label)s"),
    "string_too_long": N_("%(Label)s must be %(max_length)s characters or fewer"),
    "int_parsing": N_("%(Label)s must be a whole number"),
    "date_from_datetime_parsing": N_("%(Label)s must be a real date, like 2026-11-23"),
    "date_parsing": N_("%(Label)s must be a real date, like 2026-11-23"),
    "enum": N_("Choose %(label)s from the list"),
    "literal_error": N_("Choose %(label)s from the list"),
}


class Messages(dict):
    """A field's own wording for an error type, by pydantic's error type, kept out of the
    schema: `impact: Annotated[Literal["high", "low"], Messages(missing="Choose …")]`."""


def _label(model: type[BaseModel], field: str) -> str:
    info = model.model_fields.get(field)
    if info is not None and info.title:
        return info.title
    return field.replace("_", " ")


def _filled(sentence: str, label: str, ctx: dict, *, braces: bool = False) -> str:
    """`sentence` with the field's label, in the language in use: the whole English sentence
    when the catalogue has it ("Enter the service name"), else the translated sentence with
    the translated label."""

    def fill(text: str, name: str) -> str:
        values = {**ctx, "label": name.lower(), "Label": name[0].upper() + name[1:]}
        return text.format(**values) if braces else text % values

    english = fill(sentence, label)
    whole = _(english)
    return whole if whole != english else fill(_(sentence), _(label))


def _message(model: type[BaseModel], error: dict[str, Any]) -> tuple[str, str]:
    field = str(error["loc"][0]) if error.get("loc") else "__all__"
    label = _label(model, field)
    info = model.model_fields.get(field)
    own = next((m for m in (info.metadata if info else []) if isinstance(m, Messages)), None)
    ctx = error.get("ctx") or {}
    if own and own.get(error["type"]):  # a field's own wording ({label} style)
        return field, _filled(own[error["type"]], label, ctx, braces=True)
    template = FIELD_MESSAGES.get(error["type"])
    if template is None:
        text = str(error.get("msg", "Check this answer"))
        text = text.removeprefix("Value error, ")
        return field, text[0].upper() + text[1:]
    return field, _filled(template, label, ctx)


def form_values(form: Any) -> dict[str, Any]:
    """Form data as a dict; repeated fields become lists."""
    values: dict[str, Any] = {}
    for key in form.keys():
        items = form.getlist(key)
        values[key] = items if len(items) > 1 or key.endswith("_ids") else items[0]
    return values


def submitted_form(request: Request) -> dict[str, Any]:
    """The posted form as a dict. The CSRF check (a global dependency, on the event loop)
    has already read it into request.state.form, so sync routes never await it."""
    form = getattr(request.state, "form", None)
    return form_values(form) if form is not None else {}


def read_form(model: type[M], values: dict[str, Any]) -> tuple[M | None, dict[str, str]]:
    """`values` as `model`, or None and the problems by field, in plain words (the first
    problem of each field). form_for reads every form this way."""
    try:
        data = model.model_validate(values)
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for error in exc.errors():
            field, text = _message(model, error)
            errors.setdefault(field, text)
        return None, errors
    errors = _too_big(model, data)
    return (None, errors) if errors else (data, {})


def _too_big(model: type[BaseModel], data: BaseModel) -> dict[str, str]:
    """Whole numbers no database column could hold (PostgreSQL integers are 32-bit) are
    refused like any other bad answer, not left to fail in the database (a 500)."""
    from app.security.input import fits_integer_column

    errors: dict[str, str] = {}
    for name in type(data).model_fields:
        value = getattr(data, name, None)
        items = value if isinstance(value, list | tuple | set) else [value]
        if any(
            isinstance(v, int) and not isinstance(v, bool) and not fits_integer_column(v)
            for v in items
        ):
            label = _label(model, name)
            errors[name] = f"{label[0].upper()}{label[1:]} is too big a number"
    return errors


# --- forms the contact-app way ---------------------------------------------------------------


class ShowPage(Exception):
    """A page already rendered (a form shown again with its problems): answered as it is."""

    def __init__(self, response) -> None:
        super().__init__("show page")
        self.response = response


def _documented_fields(model: type[BaseModel]) -> type[BaseModel]:
    """The form's fields, each an optional string (or list), for the OpenAPI description:
    the real model validates afterwards, so a bad value is a 422 with the form shown again."""
    from pydantic import create_model

    fields: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        many = name.endswith("_ids") or "list" in str(info.annotation).lower()
        fields[name] = (list[str] | None if many else str | None, None)
    return create_model(f"{model.__name__}Fields", **fields)


def form_for(model: type[M], show):
    """A dependency: the posted form as `model`, or the form page shown again.

    `show(…, values=…, errors=…, status=…)` is the one function that renders the form page
    (the GET uses it too); its other parameters are FastAPI dependencies (Request, SessionDep,
    TeamAccessDep, …), resolved once for the route and the form alike. Nothing is built
    before validation: on invalid input — or a `Refused` with a field raised while the route
    runs — `show` renders the form with the message by the field and what was typed kept.
    Declared with the route — `form: Annotated[Model, Depends(form_for(Model, show_x),
    scope="function")]` (function scope, like the SessionDep it shares) — so the OpenAPI
    description lists the form's fields.
    """
    import inspect
    from typing import Annotated

    from fastapi import Form

    from app.core.i18n import use_language
    from app.core.refused import Refused
    from app.web import language_of

    shown = [
        p.replace(kind=inspect.Parameter.KEYWORD_ONLY)
        for name, p in inspect.signature(show, eval_str=True).parameters.items()
        if name not in ("values", "errors", "status")
    ]
    request_name = next(p.name for p in shown if p.annotation in (Request, "Request"))
    documented = _documented_fields(model)

    def show_again(arguments: dict, values: dict, errors: dict[str, str]):
        session = next((v for v in arguments.values() if hasattr(v, "rollback")), None)
        if session is not None:
            session.rollback()  # nothing half-done is read by the page
        return ShowPage(show(**arguments, values=values, errors=errors, status=422))

    def dependency(**arguments):
        arguments.pop("form_fields", None)
        request = arguments[request_name]
        use_language(language_of(request))  # the messages below are written in their language
        values = submitted_form(request)
        data, errors = read_form(model, values)
        if data is None:
            raise show_again(arguments, values, errors)
        try:
            yield data
        except Refused as refused:
            if refused.status != 422:
                raise
            use_language(language_of(request))  # again: this may run in another context
            if refused.values:
                message = _(refused.msgid) % refused.values
            else:
                message = _(refused.message)
            problem = {refused.field or "__all__": message}
            raise show_again(arguments, values, problem) from None

    dependency.__signature__ = inspect.Signature(
        [
            *shown,
            inspect.Parameter(
                "form_fields",
                inspect.Parameter.KEYWORD_ONLY,
                annotation=Annotated[documented, Form()],
            ),
        ]
    )
    dependency.__name__ = f"form_{model.__name__}"
    dependency.form_model = model  # read by the full-app OpenAPI description (tests)
    return dependency
