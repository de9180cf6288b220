"""`somlab protocol show`."""

import json

import typer
from typer.testing import CliRunner

from somlab.review import commands

app = typer.Typer()
commands.register(app)
runner = CliRunner()


def test_protocol_show_article_prints_verbatim_text_and_strength():
    result = runner.invoke(app, ["protocol", "show", "5"])
    assert result.exit_code == 0, result.output
    assert "Migrants shall not become liable to criminal prosecution" in result.output
    assert "[shall; protect; cluster 1]" in result.output


def test_protocol_show_json_and_unknown_article():
    result = runner.invoke(app, ["protocol", "show", "16(3)", "--format", "json"])
    assert json.loads(result.output)[0]["objective"] == "protect"
    result = runner.invoke(app, ["protocol", "show", "30"])
    assert result.exit_code == 2


def test_protocol_clusters_cites_cluster_one_and_says_why_the_others_are_inferred():
    result = runner.invoke(app, ["protocol", "clusters"])
    assert result.exit_code == 0, result.output
    assert "Cluster 1. Criminalization and jurisdiction: arts 3, 5, 6 (cited)" in result.output
    assert "Articles 3, 5 and 6 of the Smuggling of Migrants Protocol" in result.output
    assert result.output.count("(inferred)") == 3 and "inferred: The appendix" in result.output
    data = json.loads(runner.invoke(app, ["protocol", "clusters", "--format", "json"]).output)
    assert [c["basis"] for c in data] == ["cited", "inferred", "inferred", "inferred"]
