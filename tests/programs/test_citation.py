"""The citation every page and download carries."""

from datetime import UTC, date, datetime

from programs.reader.citation import citation


def test_a_citation_names_the_publisher_title_dates_and_address():
    text = citation(
        "Minnesota fact sheet, 2023",
        "https://data.example.org/states/minnesota/2023/",
        published=datetime(2024, 3, 1, 15, tzinfo=UTC),
        retrieved=date(2026, 12, 2),
    )

    assert text == (
        "National Center for Missing & Exploited Children, Minnesota fact sheet, 2023, "
        "published 1 March 2024, https://data.example.org/states/minnesota/2023/, "
        "retrieved 2 December 2026."
    )


def test_nothing_published_leaves_out_the_published_date():
    text = citation("Figures", "https://x.example/", retrieved=date(2026, 1, 5))

    assert "published" not in text
    assert text.endswith("https://x.example/, retrieved 5 January 2026.")
