"""league.sqltext.per_vendor: SQL text built once per database vendor and arguments, then reused."""

from django.db import connection

from league.sqltext import per_vendor


def test_text_is_built_once_per_vendor_and_arguments():
    calls = []

    @per_vendor
    def text(name=""):
        calls.append(name)
        return f"SELECT {connection.ops.quote_name(name or 'x')}"

    assert text() == text() == f"SELECT {connection.ops.quote_name('x')}"
    assert text("a") == text("a") != text()
    assert calls == ["", "a"]
    assert set(text.built) == {(connection.vendor,), (connection.vendor, "a")}
