"""The JSON API: the contract documents, 4xx with the field named on bad input, limits."""

from __future__ import annotations

import json
import time

import pytest

from somlab.facts import case_from_mapping
from somlab.law.assess import assess_cases, assessment_document
from somlab.web.schema import MAX_BATCH

CASE = {
    "id": "rescue",
    "date": "2021-06-01",
    "actor": {"role": "ngo_rescuer"},
    "conduct": {"facilitated": ["entry"], "intentional": True, "rescue_at_sea": True},
    "benefit": {"obtained": False},
}


def test_assess_returns_the_assessment_contract_exactly(client):
    r = client.post("/api/assess", json=CASE)
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    expected = assessment_document(assess_cases([case_from_mapping(CASE)]))
    assert r.json() == json.loads(json.dumps(expected))
    assert r.json()["schema"] == "somlab.assessment/1"


def test_assess_a_list_and_restrict_jurisdictions(client):
    second = {**CASE, "id": "other"}
    r = client.post("/api/assess?jurisdiction=UN-SOM,IT", json=[CASE, second])
    doc = r.json()
    assert [c["id"] for c in doc["cases"]] == ["rescue", "other"]
    assert {x["jurisdiction"] for x in doc["cases"][0]["results"]} <= {"UN-SOM", "IT"}


def test_unknown_facts_are_missing_not_false(client):
    r = client.post("/api/assess?jurisdiction=UN-SOM", json={"id": "x", "date": "2020-01-01"})
    result = r.json()["cases"][0]["results"][0]
    assert result["offence"] is None and result["missing_facts"]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"id": "x", "date": "2020-13-01"}, "date"),
        ({"id": "x"}, "date"),
        ({"id": "x", "date": "2020-01-01", "benefit": {"obtained": "yes"}}, "benefit.obtained"),
        (
            {"id": "x", "date": "2020-01-01", "conduct": {"facilitated": ["flying"]}},
            "conduct.facilitated",
        ),
        ({"id": "x", "date": "2020-01-01", "migrants": {"count": -1}}, "migrants.count"),
        ({"id": "x", "date": "2020-01-01", "nonsense": 1}, "nonsense"),
        ({"id": "x", "date": "2020-01-01", "harm": {"colour": "red"}}, "harm.colour"),
        ([{"id": "x", "date": "2020-01-01"}, {"id": "x", "date": "2020-01-01"}], "id"),
    ],
)
def test_invalid_facts_are_422_naming_the_field(client, body, field):
    r = client.post("/api/assess", json=body)
    assert r.status_code == 422
    assert field in [p["field"] for p in r.json()["problems"]]


@pytest.mark.parametrize(
    "raw, status",
    [
        (b"", 400),
        (b"{", 400),
        (b"\xff\xfe", 400),
        (b"[" * 100_000, 400),
        (b"NaN", 400),
        (b'{"id": "x", "date": "2020-01-01", "benefit": {"amount_eur": 1e999}}', 400),
        (b"[]", 422),
        (b"42", 422),
        (b'"text"', 422),
        (b"null", 422),
    ],
)
def test_malformed_bodies_are_client_errors(client, raw, status):
    r = client.post("/api/assess", content=raw, headers={"content-type": "application/json"})
    assert r.status_code == status, r.text
    assert r.json()["detail"]


def test_limits_on_body_and_batch(client):
    big = b'{"id": "x", "date": "2020-01-01", "summary": "' + b"a" * (1024 * 1024) + b'"}'
    assert client.post("/api/assess", content=big).status_code == 413
    many = [{"id": str(i), "date": "2020-01-01"} for i in range(MAX_BATCH + 1)]
    r = client.post("/api/assess", json=many)
    assert r.status_code == 413 and str(MAX_BATCH) in r.json()["detail"]


def test_unknown_jurisdiction_is_named(client):
    r = client.post("/api/assess?jurisdiction=XX", json=CASE)
    assert r.status_code == 404 and r.json()["problems"][0]["field"] == "jurisdiction"


@pytest.mark.parametrize(
    "method, url, body, field, closest",
    [
        ("post", "/api/assess?jurisdiction=UN-SON", CASE, "jurisdiction", "UN-SOM"),
        ("get", "/api/conformity?jurisdiction=It", None, "jurisdiction", "IT"),
        ("get", "/api/laws/ITA", None, "jurisdiction", "IT"),
        (
            "get",
            "/api/reforms/IT+humanitarian-exemptio/diff",
            None,
            "code",
            "humanitarian-exemption",
        ),
        ("get", "/api/indicators/detection", None, "name", "detections"),
        ("post", "/api/assess?fields=ofence", CASE, "fields", "offence"),
        ("get", "/api/cases?category=ngo-sar", None, "category", "ngo_sar"),
        (
            "post",
            "/api/simulations",
            {"scenario": "central-mediterranean"},
            "scenario",
            "central-mediterranean-2014-2019",
        ),
        ("post", "/api/simulations", {"set": ["enforcment=*2"]}, "set", "enforcement"),
        ("post", "/api/simulations", {"compare": ["params.no_such=1"]}, "compare", None),
        ("post", "/api/simulations", {"exposure": ["FRA"]}, "exposure", "FR"),
    ],
)
def test_unknown_names_are_404_with_the_known_names(client, method, url, body, field, closest):
    r = client.request(method.upper(), url, json=body)
    assert r.status_code == 404, r.text
    problem = r.json()["problems"][0]
    assert problem["field"] == field and problem["closest"] == closest
    assert problem["known"] and closest in problem["known"] + [None]


def test_case_as_yaml(client):
    import yaml

    r = client.post("/api/facts/yaml", json=CASE)
    assert r.status_code == 200 and 'filename="rescue.yaml"' in r.headers["content-disposition"]
    assert yaml.safe_load(r.text)["conduct"]["rescue_at_sea"] is True


def test_facts_contract_lists_every_fact(client):
    from somlab.facts import FACTS

    paths = [f["path"] for f in client.get("/api/facts").json()["facts"]]
    assert paths == [f.path for f in FACTS]


def test_conformity_and_laws(client):
    doc = client.get("/api/conformity?as_of=2020-01-01&jurisdiction=UN-SOM,IT").json()
    assert doc["schema"] == "somlab.conformity/1" and doc["as_of"] == "2020-01-01"
    assert [j["jurisdiction"] for j in doc["jurisdictions"]] == ["UN-SOM", "IT"]
    laws = client.get("/api/laws?as_of=2020-01-01").json()
    assert laws["schema"] == "somlab.laws/1" and any(x["code"] == "IT" for x in laws["laws"])
    law = client.get("/api/laws/IT?as_of=2020-01-01").json()
    assert law["schema"] == "somlab.law/1" and law["provisions"][0]["text"]


@pytest.mark.parametrize(
    "url, status, field",
    [
        ("/api/conformity?as_of=yesterday", 422, "as_of"),
        ("/api/conformity?as_of=1990-01-01", 422, "as_of"),
        ("/api/conformity?jurisdiction=XX", 404, "jurisdiction"),
        ("/api/laws/XX", 404, "jurisdiction"),
        ("/api/laws/NE?as_of=2025-01-01", 404, "as_of"),
        ("/api/reforms/IT/diff", 422, "code"),
        ("/api/reforms/IT+nothing/diff", 404, "code"),
        ("/api/indicators/dead_missing?by=colour", 422, "by"),
        ("/api/indicators/dead_missing?from=20x", 422, "from"),
        ("/api/indicators/dead_missing?where=nothing", 422, "where"),
    ],
)
def test_bad_queries_name_the_field(client, url, status, field):
    r = client.get(url)
    assert r.status_code == status, r.text
    assert r.json()["problems"][0]["field"] == field


def test_reform_diff(client):
    doc = client.get("/api/reforms/IT+humanitarian-exemption/diff?as_of=2020-01-01").json()
    assert doc["schema"] == "somlab.reform-diff/1" and doc["base"] == "IT"


def test_indicators(client):
    cat = client.get("/api/indicators").json()
    assert cat["store_present"] and any(i["gap"] for i in cat["indicators"])
    doc = client.get("/api/indicators/detections?by=year,route&from=2016&to=2016").json()
    assert doc["schema"] == "somlab.indicator/1" and doc["rows"] and doc["sources"]
    assert client.get("/api/indicators/nothing").status_code == 404
    gap = client.get("/api/indicators/smuggling_prosecutions").json()
    assert gap["rows"] == [] and gap["gaps"]


def test_indicator_without_a_store_is_missing_not_zero(tmp_path):
    from fastapi.testclient import TestClient

    from somlab.web.app import create_app

    with TestClient(create_app(tmp_path / "absent.duckdb")) as c:
        doc = c.get("/api/indicators/dead_missing").json()
    assert doc["rows"] == [] and "no evidence store" in doc["gaps"][0]


@pytest.mark.slow
def test_simulation_job_runs_in_the_background(client):
    r = client.post(
        "/api/simulations",
        json={"runs": 1, "set": ["enforcement.all=*2"], "compare": ["legal_places.all=1000"]},
    )
    assert r.status_code == 202
    url = r.json()["url"]
    deadline = time.time() + 60
    while (job := client.get(url).json())["status"] in (
        "queued",
        "running",
    ) and time.time() < deadline:
        time.sleep(0.2)
    assert job["status"] == "done", job["error"]
    doc = job["result"]
    assert doc["schema"] == "somlab.simulation/1" and doc["outcomes"]["arrivals"]["median"] > 0
    assert doc["monthly"] and job["progress"] == 1 and job["runs"] == 2
    assert doc["comparison"]["b"] == ["legal_places.all=1000"] and doc["comparison"]["rows"]


@pytest.mark.parametrize(
    "body, field, status",
    [
        ({"runs": 0}, "body.runs", 422),
        ({"runs": 1000}, "body.runs", 422),
        ({"scenario": "/etc"}, "scenario", 404),
        ({"set": ["warp=1"]}, "set", 404),
        ({"set": ["enforcement.all=*1e9"]}, "set", 422),
        ({"exposure": ["XX"]}, "exposure", 404),
        ({"compare": ["enforcement=*99"]}, "compare", 422),
    ],
)
def test_bad_simulation_requests(client, body, field, status):
    r = client.post("/api/simulations", json=body)
    assert r.status_code == status, r.text
    assert r.json()["problems"][0]["field"] == field


def test_unknown_simulation_is_404(client):
    assert client.get("/api/simulations/nothing").status_code == 404


def test_openapi_documents_the_endpoints(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/assess",
        "/api/conformity",
        "/api/laws",
        "/api/laws/{code}",
        "/api/indicators",
        "/api/indicators/{name}",
        "/api/simulations",
        "/api/simulations/{job_id}",
        "/api/reforms/{code}/diff",
    ):
        assert path in paths
    for path, method in (
        ("/api/conformity", "get"),
        ("/api/indicators/{name}", "get"),
        ("/api/simulations", "post"),
    ):
        assert "closest" in paths[path][method]["responses"]["404"]["description"]
    body = paths["/api/assess"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body["oneOf"][0]["required"] == ["id", "date"]


def test_cases_register(client):
    doc = client.get("/api/cases?category=ngo_sar").json()
    assert doc["schema"] == "somlab.cases/1" and doc["cases"]
    assert {c["category"] for c in doc["cases"]} == {"ngo_sar"}
    assert doc["summary"]["cases"] == len(doc["cases"])
    r = client.get("/api/cases?category=nothing")
    assert r.status_code == 404 and r.json()["problems"][0]["field"] == "category"
