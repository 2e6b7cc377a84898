"""The scale benchmark's measuring step (benchmarks/scale.py), run small: it must measure a
page and an API list against their SQL baselines and put them in the table. Timings are
never asserted; `make bench-scale` prints them."""

from __future__ import annotations

import pytest

from benchmarks.scale import ENDPOINTS, markdown_table, measure_endpoints
from benchmarks.scale_baselines import BASELINES


def test_every_endpoint_has_a_baseline():
    assert {endpoint.name for endpoint in ENDPOINTS} <= set(BASELINES)


@pytest.mark.usefixtures("wgsom")
def test_measures_a_page_and_an_api_list_against_their_baselines_and_the_floor():
    chosen = [e for e in ENDPOINTS if e.name in {"floor page", "floor api", "themes", "api themes"}]

    results = measure_endpoints(chosen, {}, requests=1, warmups=0)

    for measurement in results.values():
        assert not measurement.error
        assert len(measurement.page) == len(measurement.base) == 1
    assert results["floor page"].queries == results["floor api"].queries == 0
    assert results["themes"].queries > 0 and results["api themes"].queries > 0
    table = markdown_table({"S": results}, ["S"]).splitlines()
    assert table[0] == (
        "| endpoint | queries | S median ms | S p95 ms | S vs base | S vs base + floor |"
    )
    rows = {line.split(" | ")[0]: line.split(" | ") for line in table[2:]}
    assert list(rows) == [
        "| floor page (`/accounts/login/`)",
        "| floor api (`/api/v1/`)",
        "| themes (`/themes/`)",
        "| api themes (`/api/v1/themes/`)",
    ]
    # A page's figure against its baseline plus the floor is the smaller of its two ratios.
    themes = rows["| themes (`/themes/`)"]
    assert float(themes[-1].split("x")[0]) <= float(themes[-2].split("x")[0])
