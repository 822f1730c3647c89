"""The Clients page in Streamlit's AppTest with marker sessions: the session table says where
each tilt came from, the chart draws the marker tilts apart from the estimates with a legend,
and "Estimator agreement on your clients" gives the figures and the Bland–Altman plot over
every client's marker sessions (or says there are not enough)."""

from __future__ import annotations

import base64
import json
import xml.etree.ElementTree as ET

import pytest
from streamlit.testing.v1 import AppTest

from posture.records import Store, draft
from tests.records.test_agreement import marker_analysis
from tests.records.test_store import at
from tests.records.test_tilt_method import version_3_database, without_markers

TIMEOUT = 60
TITLE = "Estimator agreement on your clients"
PLOT_ALT = "Bland–Altman plot of the estimate against the skin markers"


@pytest.fixture
def store(tmp_path, monkeypatch) -> Store:
    """Ana: a markerless session, then two marker sessions (estimate − markers +1°, +3°);
    Ben: one marker session (+5°). Over both clients: differences 1, 3, 5."""
    monkeypatch.setenv("POSTURE_DATA_DIR", str(tmp_path))
    records = Store(tmp_path / "records.sqlite3")
    ana, ben = records.add_client("Ana"), records.add_client("Ben")
    records.add_session(ana.id, draft(without_markers(30.0), taken=at(2)))
    records.add_session(ana.id, draft(marker_analysis(10.0, 11.0), taken=at(3)))
    records.add_session(ana.id, draft(marker_analysis(20.0, 23.0), taken=at(4)))
    records.add_session(ben.id, draft(marker_analysis(-4.0, 1.0), taken=at(5)))
    return records


def _page(client: str | None = None) -> AppTest:
    page = AppTest.from_string(
        "from webapp.pages.clients import render\nrender()", default_timeout=TIMEOUT
    ).run()
    if client:
        page.selectbox(key="clients_client").select(client).run()
    assert not page.exception, [e.value for e in page.exception]
    return page


def _agreement_table(page: AppTest):
    tables = [t.value for t in page.table if "Figure" in t.value.columns]
    return tables[0] if tables else None


def _plot(page: AppTest) -> ET.Element | None:
    for image in page.get("image"):
        shown = image.proto.imgs[0]
        if shown.alt == PLOT_ALT:
            return ET.fromstring(base64.b64decode(shown.url.split(",", 1)[1]))
    return None


def test_the_agreement_section_gives_the_figures_over_all_clients(store):
    page = _page("Ana")
    assert [h.value for h in page.subheader][-1] == TITLE
    table = _agreement_table(page)
    figures = dict(zip(table["Figure"], table["Value"]))
    assert figures["Marker sessions"] == "3"  # Ana's two and Ben's one; not the markerless one
    assert figures["Clients"] == "2"
    assert figures["Bias (estimate − markers)"] == "+3.0°"
    assert figures["SD of the differences"] == "2.0°"
    assert (figures["Lower limit of agreement"], figures["Upper limit of agreement"]) == ("-0.9°", "+6.9°")
    intervals = dict(zip(table["Figure"], table["95% confidence interval"]))
    assert intervals["Bias (estimate − markers)"] == "-2.0° to +8.0°"
    plot = _plot(page)
    assert plot is not None, "no Bland–Altman plot"
    assert len(plot.findall("{http://www.w3.org/2000/svg}circle")) == 3


def test_the_session_table_says_where_each_tilt_came_from(store):
    page = _page("Ana")
    (sessions,) = [d.value for d in page.dataframe if "Tilt from" in d.value.columns]
    assert list(sessions["Tilt from"]) == [  # newest first
        "skin markers (+20.0°)",
        "skin markers (+10.0°)",
        "estimate (no markers)",
    ]


def test_the_chart_draws_marker_tilts_as_diamonds_apart_from_the_estimates(store):
    page = _page("Ana")
    specs = [json.loads(chart.proto.spec) for chart in page.get("vega_lite_chart")]
    tilt_layers = specs[0]["layer"]  # one chart per measure, the tilt first
    (points,) = [layer for layer in tilt_layers if layer["mark"]["type"] == "point"]
    shape = points["encoding"]["shape"]
    assert dict(zip(shape["scale"]["domain"], shape["scale"]["range"])) == {
        "markerless estimate": "circle",
        "skin markers": "diamond",
    }
    assert points["encoding"]["color"]["legend"]["title"] == "Tilt from"
    rows = points["data"]["values"]
    assert sorted(r["value"] for r in rows if r["reading"] == "skin markers") == [10.0, 20.0]
    assert sorted(r["value"] for r in rows if r["reading"] == "markerless estimate") == [11.0, 23.0, 30.0]
    # The other panels have no legend: only the tilt has two readings.
    other = [layer for spec in specs[1:] for layer in spec["layer"]]
    assert all("shape" not in layer.get("encoding", {}) for layer in other)


def test_too_few_marker_sessions_say_not_enough(tmp_path, monkeypatch):
    """An old (version 3) database: its session reads as an estimate, and with two marker
    sessions added there are still not enough for the figures."""
    monkeypatch.setenv("POSTURE_DATA_DIR", str(tmp_path))
    version_3_database(tmp_path / "records.sqlite3")  # client 'Old Client', one session
    records = Store(tmp_path / "records.sqlite3")
    records.add_session(1, draft(marker_analysis(10.0, 12.0), taken=at(20)))
    records.add_session(1, draft(marker_analysis(15.0, 14.0), taken=at(21)))
    page = _page("Old Client")
    assert TITLE in [h.value for h in page.subheader]
    assert _agreement_table(page) is None and _plot(page) is None
    assert any(
        i.value.startswith("Not enough sessions: 2 saved session(s) with a marker tilt") for i in page.info
    )
    (sessions,) = [d.value for d in page.dataframe if "Tilt from" in d.value.columns]
    assert list(sessions["Tilt from"])[-1] == "estimate (no markers)"  # the old session
    assert list(sessions["Pelvic tilt"])[-1] == "+21.5°"
    # The old session was written without pose or outline: the comparison says so, no crash.
    page.selectbox(key="compare_session_first").select(0).run()
    assert not page.exception, [e.value for e in page.exception]
    assert any("no stored photo, outline or pose" in i.value for i in page.info)


def test_the_section_shows_before_a_client_is_chosen(store):
    page = _page()
    assert TITLE in [h.value for h in page.subheader]
    assert (
        dict(zip(_agreement_table(page)["Figure"], _agreement_table(page)["Value"]))["Marker sessions"] == "3"
    )
