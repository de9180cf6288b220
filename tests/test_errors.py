"""One error hierarchy: unknown names point at the closest known one; a bug is not a user error."""

from __future__ import annotations

import pytest
import typer
from typer.testing import CliRunner

from somlab.errors import SomlabError, SomlabInputError, SomlabNotFoundError
from somlab.evidence import commands, indicators
from somlab.evidence.errors import DataFileError
from somlab.evidence.fetch import fetch
from somlab.evidence.loaders import source_named
from somlab.law.corpus import default_corpus


def test_not_found_names_the_closest_known_name():
    error = SomlabNotFoundError("indicator", "arival", ["arrivals", "dead_missing"])
    assert isinstance(error, SomlabInputError) and isinstance(error, SomlabError)
    assert error.closest == "arrivals"
    assert (
        error.render()
        == "unknown indicator 'arival'; did you mean 'arrivals'? known: arrivals, dead_missing"
    )


def test_not_found_without_a_near_name_lists_the_known_ones():
    error = SomlabNotFoundError("source", "zzz", ["iom_mmp", "frontex"])
    assert error.closest is None
    assert error.render() == "unknown source 'zzz'; known: iom_mmp, frontex"


@pytest.mark.parametrize(
    "lookup, name, closest",
    [
        (indicators.indicator, "dead_misssing", "dead_missing"),
        (source_named, "frontx_ibc", "frontex_ibc"),
        (fetch, "nothing-of-the-kind", None),
        (default_corpus().history, "it", "IT"),
    ],
)
def test_unknown_names_raise_not_found_not_key_error(lookup, name, closest):
    with pytest.raises(SomlabNotFoundError) as caught:
        lookup(name)
    assert not isinstance(caught.value, KeyError)
    assert caught.value.closest == closest


def test_data_file_error_is_an_input_error():
    error = DataFileError("/data/export.csv", "the file is empty", row=3, hint="check it")
    assert isinstance(error, SomlabInputError)
    assert error.render() == "export.csv, row 3: the file is empty (check it)"
    assert error.reason == "the file is empty"


def test_the_cli_names_the_option_of_a_domain_field(tmp_path, monkeypatch):
    monkeypatch.setenv("SOMLAB_STORE", str(tmp_path / "evidence.duckdb"))
    app = typer.Typer()
    commands.register(app)
    result = CliRunner().invoke(app, ["indicators", "trace", "death_rate"])
    assert result.exit_code == 2
    assert "error: field 'NAME': trace works on summed indicators, not death_rate" in result.output


def test_a_key_error_from_a_bug_is_not_reported_as_bad_input(tmp_path, monkeypatch):
    monkeypatch.setenv("SOMLAB_STORE", str(tmp_path / "evidence.duckdb"))

    def broken(*args, **kwargs):
        return {}["a key the code forgot"]

    monkeypatch.setattr(indicators, "compute", broken)
    app = typer.Typer()
    commands.register(app)
    result = CliRunner().invoke(app, ["indicators", "show", "arrivals"])
    assert result.exit_code != 2
    assert isinstance(result.exception, KeyError)
