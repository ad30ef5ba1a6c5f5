"""Fuzzing every form and import: discovery of the project's Form classes, and hostile values per field.

Each app keeps tests/<app>/fuzzcases.py with FUZZ = {"app.module.FormClass": FormCase(...)}: which
persona posts the form to which URL (and any fixed fields). tests/security/test_fuzz_forms.py posts
hypothesis-generated values for every field of every case and requires: no server error, a clear message
when the input is refused, nothing stored when it is refused; and fails for a Form class without a case.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import strategies as st

REPO_ROOT = Path(__file__).resolve().parent.parent
SKIP_MODULE_PARTS = {"migrations", "management", "tests"}


def project_apps() -> list[str]:
    """The INSTALLED_APPS whose code lives in this repository (not the venv): every app added later too."""
    from django.apps import apps

    names = []
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(REPO_ROOT) and ".venv" not in path.relative_to(REPO_ROOT).parts:
            names.append(config.name)
    return names


def project_form_classes() -> dict[str, type[forms.BaseForm]]:
    """Every Form/ModelForm class defined in the project's apps, by dotted path."""
    found: dict[str, type] = {}
    for app in project_apps():
        package = importlib.import_module(app)
        modules = [package]
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
            if SKIP_MODULE_PARTS & set(info.name.split(".")):
                continue
            modules.append(importlib.import_module(info.name))
        for module in modules:
            for _name, obj in inspect.getmembers(module, inspect.isclass):
                if not issubclass(obj, forms.BaseForm) or obj.__module__ != module.__name__:
                    continue
                if obj.__name__.endswith("Mixin") or not obj.base_fields:
                    continue  # mixins add fields to real forms; they are fuzzed through those
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return found


@dataclass
class FormCase:
    persona: str | None  # None: anonymous (the login form)
    url: Callable  # world -> path the form is posted to
    form: type[forms.BaseForm] | None = None  # the class whose fields are fuzzed (default: the FUZZ key)
    fixed: Callable = lambda world: {}  # world -> fields that are not fuzzed (e.g. the current version)
    multipart: bool = False
    prefix: str = ""  # the form's prefix on a page with several forms (names posted as "<prefix>-<field>")
    method: str = "post"  # "get": a filter form; any answer but a server error is fine, nothing is stored
    follow: bool = False  # the view redirects either way and says why in a message: judged on the next page
    choices: Callable = (
        lambda world: {}
    )  # world -> {field: [valid values]} for fields chosen from the database
    success_status: frozenset[int] = field(default_factory=lambda: frozenset({302}))
    refused_status: frozenset[int] = field(default_factory=lambda: frozenset({200, 400, 409}))


def fuzz_cases() -> dict[str, FormCase]:
    merged: dict[str, FormCase] = {}
    for path in sorted(Path(__file__).parent.glob("*/fuzzcases.py")):
        module = importlib.import_module(f"tests.{path.parent.name}.fuzzcases")
        merged.update(module.FUZZ)
    return merged


# --- hostile values ---------------------------------------------------------------------------------

SCRIPTS = [
    "中河街道团工委", "ئۇيغۇرچە", "བོད་ཡིག", "Монгол", "العربية", "עברית", "हिन्दी", "한국어", "日本語テキスト",
    "👩‍👩‍👧‍👦🇨🇳", "e\u0301\u0301\u0301", "\u202eRTL override", "\ufeffBOM", "Ｆｕｌｌｗｉｄｔｈ", "𠀀𪚥",
]  # fmt: skip
CONTROL = ["\x00", "\x01\x02\x1b[31m", "\r\n\r\n", "\t", "\u2028", "\x7f", "\ud7ff"]
INJECTION = [
    "<script>alert(1)</script>", "'; DROP TABLE league_organization; --", "{{ 7*7 }}", "{% debug %}",
    "=CMD|' /C calc'!A0", "../../../../etc/passwd", "%s%s%s%n", "${jndi:ldap://x}",
]  # fmt: skip
NUMBERS = [
    "", " ", "0", "-1", "1e309", "NaN", "Infinity", "9" * 400, "１２３", "١٢٣", "½", "0x10", "1,000", "3.",
    "-0", "2147483648", "99999999999999999999", "1_000",
]  # fmt: skip
DATES = [
    "2026-02-30", "2026-13-01", "0000-00-00", "31/12/2026", "2026年1月1日", "9999-12-31", "1900-01-01",
    "2026-1-1T25:61", "yesterday", "", "２０２６－０１－０１", "-2026-01-01",
]  # fmt: skip

text_values = st.one_of(
    st.text(max_size=60),
    st.sampled_from(SCRIPTS + CONTROL + INJECTION),
    st.builds(lambda s, n: s * n, st.sampled_from(SCRIPTS + ["x", "长"]), st.integers(100, 40_000)),
    st.lists(st.sampled_from(SCRIPTS + CONTROL + INJECTION), min_size=1, max_size=6).map("".join),
)

EXCEL_LIKE = [
    b"",
    b"PK\x03\x04" + b"\x00" * 100,  # a zip header and nothing else
    b"<html><body><table><tr><td>1</td></tr></table></body></html>",
    b"code,name\nA,B\n",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512,  # an old .xls (OLE) header
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n",
    b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
    b"MZ\x90\x00" + b"\x00" * 200,
]
FILE_NAMES = [
    "orgs.xlsx", "../../etc/passwd.xlsx", "a\x00b.xlsx", "中文名称.xlsx", "x" * 300 + ".xlsx", "noext",
    "evil.xlsx.exe", ".xlsx", "con.xlsx",
]  # fmt: skip


def _zip_of(members: list[tuple[str, bytes]]) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in members:
            zf.writestr(name, data)
    return buffer.getvalue()


file_contents = st.one_of(
    st.sampled_from(EXCEL_LIKE),
    st.binary(max_size=2048),
    st.builds(
        lambda members: _zip_of(members),
        st.lists(
            st.tuples(
                st.sampled_from(
                    ["[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml", "docProps/app.xml"]
                ),
                st.binary(max_size=200),
            ),
            max_size=4,
            unique_by=lambda m: m[0],
        ),
    ),  # fmt: skip
)


@st.composite
def uploads(draw):
    name = draw(st.sampled_from(FILE_NAMES)).replace("\x00", "")  # NUL cannot travel in a multipart name
    return SimpleUploadedFile(name, draw(file_contents))


def strategy_for(field_: forms.Field):
    """Mostly hostile values, sometimes valid ones, so both paths are exercised."""
    if isinstance(field_, forms.FileField):
        return uploads()
    if isinstance(field_, (forms.IntegerField, forms.DecimalField, forms.FloatField)):
        return st.one_of(st.sampled_from(NUMBERS), st.integers().map(str), text_values)
    if isinstance(field_, (forms.DateField, forms.DateTimeField, forms.TimeField)):
        return st.one_of(st.sampled_from(DATES), st.dates().map(str), text_values)
    if isinstance(field_, forms.ModelChoiceField) and field_.queryset is None:
        # the queryset is set per request (e.g. the people of the organization): see FormCase.choices
        valid = []
    elif isinstance(field_, (forms.ChoiceField, forms.ModelChoiceField)):
        valid = [str(v) for v, _ in field_.choices if v != ""][:50]
    else:
        valid = []
    if isinstance(field_, (forms.MultipleChoiceField, forms.ModelMultipleChoiceField)):
        return st.lists(st.one_of(st.sampled_from(valid or ["x"]), text_values), max_size=4)
    if isinstance(field_, (forms.ChoiceField, forms.ModelChoiceField)):
        return st.one_of(st.sampled_from(valid), text_values) if valid else text_values
    if isinstance(field_, forms.BooleanField):
        return st.sampled_from(["on", "", "true", "false", "\x00", "中"])
    return text_values


def form_data(form_class: type[forms.BaseForm], prefix: str = "", choices: dict | None = None):
    """A strategy of {field name: value} covering every field of the form (some left out).

    `choices` gives valid values of fields whose choices come from the database (a queryset the bare
    class does not know), so valid submissions are tried too."""
    choices = choices or {}
    strategies = {}
    multiple = (forms.MultipleChoiceField, forms.ModelMultipleChoiceField)
    for name, field_ in form_class.base_fields.items():
        strategy = strategy_for(field_)
        if choices.get(name):
            valid = st.sampled_from([str(v) for v in choices[name]])
            if isinstance(field_, multiple):
                strategy = st.one_of(st.lists(valid, max_size=4), strategy)
            else:
                strategy = st.one_of(valid, strategy)
        strategies[f"{prefix}-{name}" if prefix else name] = strategy
    return st.fixed_dictionaries({}, optional=strategies)
