"""Liquid parameters: native values, strict paths, positions, and the strict date filters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sfschema.actions import ActionEnvironment, TemplateError

ENV = ActionEnvironment()
BERLIN = ActionEnvironment("Europe/Berlin")
CONTEXT = {
    "json": {
        "meeting": {
            "title": "QBR",
            "externalServiceObjects": [
                {"type": "CONTACT", "externalId": "003000000000001AAA"},
                {"type": "DEAL", "externalId": "006000000000001AAA"},
            ],
        },
        "amount": 1250.5,
        "items": [{"n": 1}, {"n": 2}],
    }
}


def render(source: str, env: ActionEnvironment = ENV, index: int | None = None) -> object:
    return env.compile(source, "step.params.p").render(CONTEXT, index)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ json.amount }}", 1250.5),
        ("  {{ json.items }} ", [{"n": 1}, {"n": 2}]),
        ("{{ json.items | size }}", 2),
        (
            '{{ json.meeting.externalServiceObjects | where: "type", "DEAL" | first '
            '| map: "externalId" }}',
            ["006000000000001AAA"],
        ),
        ("{{ json.nope | default: 7 }}", 7),
        ("Deal: {{ json.meeting.title }}", "Deal: QBR"),
        ("{{ json.amount }} EUR", "1250.5 EUR"),
        ("no template", "no template"),
    ],
)
def test_values(source: str, expected: object) -> None:
    assert render(source) == expected


@pytest.mark.parametrize(
    ("source", "index", "message"),
    [
        (
            "{{ json.meeting.nope.x }}",
            3,
            "step.params.p (item 3): json.meeting.nope is undefined at line 1, column 4",
        ),
        ("Hi\n  {{ json.x }}", None, "step.params.p: json.x is undefined at line 2, column 6"),
        (
            "{{ json.amount | nope }}",
            None,
            "step.params.p: unknown filter 'nope' at line 1, column 18",
        ),
        (
            "{{ json.amount ",
            None,
            "step.params.p: expected '}}', found end of file at line 1, column 1",
        ),
    ],
)
def test_errors_name_parameter_item_and_position(
    source: str, index: int | None, message: str
) -> None:
    with pytest.raises(TemplateError) as caught:
        render(source, index=index)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("value", "sf_date", "sf_datetime"),
    [
        ("2025-01-31", "2025-01-31", "2025-01-30T23:00:00.000Z"),
        ("2025-01-31T23:30:00Z", "2025-02-01", "2025-01-31T23:30:00.000Z"),
        ("2025-01-31T09:30:00+05:30", "2025-01-31", "2025-01-31T04:00:00.000Z"),
        ("2025-01-31 09:30", "2025-01-31", "2025-01-31T08:30:00.000Z"),
        ("2025-06-30T12:00:00.123456-07:00", "2025-06-30", "2025-06-30T19:00:00.123Z"),
    ],
)
def test_sf_date_and_sf_datetime_convert_in_the_zone(
    value: str, sf_date: str, sf_datetime: str
) -> None:
    data = {"json": {"v": value}}
    assert BERLIN.compile("{{ json.v | sf_date }}", "p").render(data) == sf_date
    assert BERLIN.compile("{{ json.v | sf_datetime }}", "p").render(data) == sf_datetime
    assert BERLIN.compile('{{ json.v | sf_date: "UTC" }}', "p").render(data) == (
        ENV.compile("{{ json.v | sf_date }}", "p").render(data)
    )


@pytest.mark.parametrize(
    "value", ["tomorrow", "31/01/2025", "2024-02-30", "", "2025-1-3", 20250131, None]
)
def test_strict_date_filters_refuse_what_they_cannot_read(value: object) -> None:
    for name in ("sf_date", "sf_datetime"):
        with pytest.raises(TemplateError) as caught:
            ENV.compile("{{ json.v | " + name + " }}", "s.params.activity_date").render(
                {"json": {"v": value}}, 4
            )
        assert str(caught.value) == (
            f"s.params.activity_date (item 4): {name} cannot read {value!r} as a date: give an "
            "ISO date (2025-01-31) or date-time (2025-01-31T09:30:00Z, or with an offset)"
        )


def test_standard_date_filter_passes_unreadable_text_through() -> None:
    # As Liquid users expect (and as Shopify's reference does): validation catches the output.
    template = ENV.compile('{{ json.v | date: "%Y-%m-%d" }}', "p")
    assert [template.render({"json": {"v": v}}) for v in ("tomorrow", "2024-02-30")] == [
        "tomorrow",
        "2024-02-30",
    ]


def test_unknown_time_zone_is_one_clear_error() -> None:
    with pytest.raises(Exception) as caught:
        ActionEnvironment("Mars/Olympus")
    assert str(caught.value) == (
        "unknown time zone 'Mars/Olympus': use an IANA name such as 'UTC' or 'Europe/Berlin'"
    )


def test_paths_each_template_reads() -> None:
    template = ENV.compile(
        "{{ json.item.title }} for {{ steps.find.records | first | map: 'Id' }}"
        "{% for x in json.list %}{{ x.a }}{% endfor %}",
        "p",
    )
    assert template.paths() == ["json.item.title", "json.list", "steps.find.records"]


def test_rendering_is_bounded() -> None:
    loop = "{% for a in (1..100000) %}{% for b in (1..100000) %}x{% endfor %}{% endfor %}"
    with pytest.raises(TemplateError) as caught:
        ENV.compile(loop, "p").render({})
    assert "limit" in str(caught.value)


@given(
    st.datetimes(
        min_value=datetime(2, 1, 1),
        max_value=datetime(9998, 12, 31),
        timezones=st.sampled_from(
            [UTC, timezone(timedelta(hours=5, minutes=30)), timezone(-timedelta(hours=8))]
        ),
    )
)
def test_sf_datetime_is_the_same_instant(moment: datetime) -> None:
    text = ENV.compile("{{ json.v | sf_datetime }}", "p").render(
        {"json": {"v": moment.isoformat()}}
    )
    assert isinstance(text, str)
    back = datetime.fromisoformat(text.replace("Z", "+00:00"))
    assert back == moment.replace(microsecond=moment.microsecond // 1000 * 1000)
    assert ENV.compile("{{ json.v | sf_date }}", "p").render(
        {"json": {"v": moment.isoformat()}}
    ) == (moment.astimezone(UTC).date().isoformat())
