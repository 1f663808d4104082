"""Reply templates: filling in, blanks, defaults, braces, loading and fuzzy filtering."""

from __future__ import annotations

from pathlib import Path

from smstui.domain.templates import (
    Template,
    contact_values,
    expand,
    fuzzy_filter,
    load_templates,
    unresolved_in,
    variables_of,
)

VALUES = contact_values(name="Anna  Nowak", number="+48 500 100 200", our_number="+48 22 000")


def test_builtin_variables_are_filled_in() -> None:
    expansion = expand("Hi {first_name} ({name}, {number}), call {our_number}", VALUES)
    assert expansion.text == "Hi Anna (Anna Nowak, +48 500 100 200), call +48 22 000"
    assert expansion.unresolved == ()


def test_defaults_fill_what_has_no_value() -> None:
    expansion = expand("Pick up on {pickup_day|Monday}, {first_name|there}", {})
    assert expansion.text == "Pick up on Monday, there"
    assert expansion.unresolved == ()


def test_unknown_variables_stay_as_blanks_and_are_named() -> None:
    expansion = expand("Order {order_no} for {name}: {order_no}, {day}", {"name": ""})
    assert expansion.text == "Order {order_no} for {name}: {order_no}, {day}"
    assert expansion.unresolved == ("order_no", "name", "day")


def test_literal_braces() -> None:
    expansion = expand("{{json}} {{ {first_name} }} {not a var} a}b", VALUES)
    assert expansion.text == "{json} { Anna } {not a var} a}b"
    assert expansion.unresolved == ()


def test_variables_of_lists_each_once_in_order() -> None:
    assert variables_of("{a} {b|x} {a} {{c}}") == ("a", "b")


def test_unresolved_in_counts_only_template_variables() -> None:
    names = {"order_no", "first_name"}
    assert unresolved_in("Order {order_no} {x} {first_name}", names) == ["order_no", "first_name"]
    assert unresolved_in("Order 12 {x}", names) == []
    assert unresolved_in("no braces", names) == []


def test_contact_without_a_name() -> None:
    values = contact_values(name="", number="+48 1", our_number="")
    assert expand("Hi {first_name|there}", values).text == "Hi there"
    assert expand("Hi {first_name}", values).unresolved == ("first_name",)


def test_loading_a_directory(tmp_path: Path) -> None:
    (tmp_path / "pickup.txt").write_text("Ready on {pickup_day|Monday}\n", encoding="utf-8")
    (tmp_path / "thanks.txt").write_text("Thank you, {first_name}!\r\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "notes.md").write_text("not a template", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\x00bad")
    templates, problems = load_templates(tmp_path)
    assert [(t.name, t.body) for t in templates] == [
        ("pickup", "Ready on {pickup_day|Monday}"),
        ("thanks", "Thank you, {first_name}!"),
    ]
    assert problems == ["bad.txt: UnicodeDecodeError"]
    assert load_templates(tmp_path / "missing") == ([], [])


def test_fuzzy_filter_over_name_and_body() -> None:
    templates = [
        Template("opening-hours", "We are open Mon-Fri 9-17"),
        Template("pickup", "Your order is ready for pickup on {pickup_day|Monday}"),
        Template("thanks", "Dziękujemy za zamówienie"),
    ]
    assert fuzzy_filter("", templates) == templates
    assert [t.name for t in fuzzy_filter("pick", templates)] == ["pickup"]
    assert [t.name for t in fuzzy_filter("opnh", templates)] == ["opening-hours"]
    assert [t.name for t in fuzzy_filter("zamowienie", templates)] == ["thanks"]
    assert [t.name for t in fuzzy_filter("order ready", templates)] == ["pickup"]
    assert fuzzy_filter("zzzz", templates) == []
