"""Cleaning rules: absent values, years, names, movement names."""

from __future__ import annotations

import math

import pytest

from graphkit.normalize import (
    as_int,
    clean,
    clean_props,
    display_name,
    movement_id,
    movement_name,
    name_keys,
    parse_year,
    parse_year_range,
)


@pytest.mark.parametrize("value", ["", "   ", math.nan, None])
def test_empty_values_become_absent(value: object) -> None:
    assert clean(value) is None


def test_clean_props_drops_absent_keeps_zero() -> None:
    assert clean_props({"a": "", "b": math.nan, "c": 0, "d": " x  y "}) == {"c": 0, "d": "x y"}


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("1840-11-14", 1840),
        ("c. 1895", 1895),
        (1888.0, 1888),
        ("1880s", 1880),
        ("19th century", 1800),
        ("unknown", None),
        ("", None),
        (99999, None),
    ],
)
def test_parse_year(text: object, year: int | None) -> None:
    assert parse_year(text) == year


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1871–1872", (1871, 1872)),
        ("1871-72", (1871, 1872)),
        ("c. 1895", (1895, 1895)),
        ("French, 1841–1901", (1841, 1901)),
        ("", (None, None)),
    ],
)
def test_parse_year_range(text: str, expected: tuple[int | None, int | None]) -> None:
    assert parse_year_range(text) == expected


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("Monet, Claude", "Claude Monet"),
        ("claude-monet", "Claude Monet"),
        ("  Claude   Oscar Monet ", "Claude Oscar Monet"),
        ("", None),
    ],
)
def test_display_name(raw: str, name: str | None) -> None:
    assert display_name(raw) == name


def test_name_keys_ignore_accents_case_and_middle_names() -> None:
    assert name_keys("Paul Cézanne") == name_keys("paul-cezanne".replace("-", " "))
    assert name_keys("Claude Oscar Monet")[1] == name_keys("Claude Monet")[0] == "claude monet"


@pytest.mark.parametrize(
    "raw", ["Post_Impressionism", "post-impressionism", "Post-Impressionism", "POST-IMPRESSIONISM"]
)
def test_movement_spellings_share_one_id(raw: str) -> None:
    assert movement_id(movement_name(raw) or "") == "movement:post-impressionism"


def test_movement_aliases() -> None:
    assert movement_name("Naive_Art_Primitivism") == "Naive Art (Primitivism)"
    assert movement_name("Ukiyo_e") == "Ukiyo-e"


def test_as_int_accepts_float_ids_and_rejects_junk() -> None:
    assert as_int(4.0) == 4
    assert as_int("12") == 12
    assert as_int(math.nan) is None
    assert as_int(4.5) is None
    assert as_int("x") is None
