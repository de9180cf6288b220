"""The ``simulate``, ``compare`` and ``calibrate`` commands. Heavy imports stay inside them."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer

from somlab import csvsafe
from somlab.cli_support import output_file, user_errors
from somlab.errors import SomlabInputError

FORMATS = ("table", "json", "csv", "html")
SCHEDULER_HELP = (
    "Dask scheduler address, or 'local' for a local Dask cluster; default: this process, batches of runs "
    "spread over one forked worker per core; 'inline': this process only"
)


def _write_table(frame, path: Path) -> None:
    if path.suffix == ".parquet":
        frame.to_parquet(path, index=False)
    else:
        csvsafe.frame(frame).to_csv(path, index=False)


def simulate(
    scenario: str = typer.Argument(..., help="bundled scenario name or scenario folder"),
    runs: int = typer.Option(20, "--runs", min=1, max=10_000, help="ensemble size"),
    seed: int = typer.Option(1, "--seed", help="seed of the first run; run i uses seed + i"),
    set_: List[str] = typer.Option(
        [],
        "--set",
        help="LEVER[.TARGET]=VALUE (or =*FACTOR), params.NAME=VALUE, mechanisms.NAME=VALUE",
    ),
    backend: str = typer.Option("numpy", "--backend", help="numpy or cupy (GPU)"),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help=SCHEDULER_HELP),
    fmt: str = typer.Option(
        "table", "--format", help="table, json, csv (tidy monthly series) or html"
    ),
    parameters: Optional[Path] = typer.Option(
        None, "--parameters", help="parameter YAML to use instead of the scenario's"
    ),
    point: bool = typer.Option(
        False,
        "--point",
        help="every run at the parameter file's values: no parameter uncertainty, the simulator's noise only",
    ),
    tidy: Optional[Path] = typer.Option(
        None,
        "--tidy",
        help="also write the tidy monthly series (simulated, observed, error) to this CSV/Parquet",
    ),
    cases: Optional[Path] = typer.Option(
        None, "--cases", help="also write facilitation events as case facts (CSV/Parquet)"
    ),
    exposure_codes: Optional[str] = typer.Option(
        None,
        "--exposure",
        help="jurisdiction codes (comma-separated, CODE+reform allowed, or 'all'): actors of each role each law would criminalise",
    ),
    exposure_date: Optional[str] = typer.Option(
        None,
        "--exposure-date",
        help="apply the laws in force on this date (YYYY-MM-DD) instead of on each event's date",
    ),
) -> None:
    """Run an ensemble of a scenario; outcomes as median and 5-95% band, ARD against observed series."""
    with user_errors({"jurisdiction": "--exposure"}):
        if fmt not in FORMATS:
            raise SomlabInputError(f"--format must be one of {', '.join(FORMATS)}")
        output_file(tidy, "--tidy")
        output_file(cases, "--cases")
        from somlab.sim import service
        from somlab.progress import progress_bar

        codes = corpus = None
        if exposure_codes is not None:
            from somlab.law.corpus import default_corpus
            from somlab.sim import exposure

            corpus = default_corpus()
            codes = exposure.parse_codes(exposure_codes, corpus)
            if exposure_date is not None:
                import datetime as dt

                try:
                    dt.date.fromisoformat(exposure_date)
                except ValueError:
                    raise SomlabInputError(
                        f"expected a date YYYY-MM-DD, found {exposure_date!r}",
                        field="--exposure-date",
                    ) from None
        elif exposure_date is not None:
            raise SomlabInputError("--exposure-date needs --exposure")
        with progress_bar(
            runs, f"simulating {scenario}", quiet=fmt != "table" or runs < 4
        ) as advance:
            result = service.simulate(
                scenario,
                runs,
                seed,
                set_,
                backend,
                scheduler,
                parameters,
                lambda done: advance(completed=done),
                point,
            )
    _show_simulation(result, codes, corpus, fmt, tidy, cases, exposure_date)


def _show_simulation(result, codes, corpus, fmt, tidy, cases, exposure_date) -> None:
    from somlab.sim import exposure, report

    document = result.document()
    if codes is not None:
        document["exposure"] = exposure.exposure(
            result.runs, result.scenario, codes, corpus, exposure_date
        )
    if tidy:
        _write_table(result.tidy(), tidy)
    if cases:
        _write_table(result.cases(), cases)
    if fmt == "json":
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
    elif fmt == "csv":
        csvsafe.frame(result.tidy()).to_csv(sys.stdout, index=False)
    elif fmt == "html":
        sections = [
            ("Validation", report.series_chart(result.tidy(), result.scenario.name)),
            ("Scores", report.scores_frame(document)),
            ("Outcomes", report.outcomes_frame(document)),
        ]
        if "exposure" in document:
            sections.append(("Exposure to the law", report.exposure_frame(document["exposure"])))
        sys.stdout.write(
            report.html_page(f"somlab simulate {result.scenario.name}", sections, document)
        )
    else:
        from rich.console import Console

        report.print_table(document, Console())


def compare(
    scenario_a: str = typer.Argument(..., help="scenario A (name or folder)"),
    scenario_b: Optional[str] = typer.Argument(
        None, help="scenario B; default: A again, with --set-b applied"
    ),
    set_a: List[str] = typer.Option([], "--set-a", help="assignments for A (as simulate --set)"),
    set_b: List[str] = typer.Option(
        [], "--set-b", "--set", help="assignments for B (as simulate --set)"
    ),
    runs: int = typer.Option(20, "--runs", min=1, max=10_000),
    seed: int = typer.Option(1, "--seed"),
    backend: str = typer.Option("numpy", "--backend", help="numpy or cupy (GPU)"),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help=SCHEDULER_HELP),
    fmt: str = typer.Option("table", "--format", help="table, json, csv or html"),
    chart: Optional[Path] = typer.Option(
        None, "--chart", help="also write the charts (.html, .svg or .png)"
    ),
    point: bool = typer.Option(
        False,
        "--point",
        help="every run at the parameter file's values: no parameter uncertainty, the simulator's noise only",
    ),
) -> None:
    """Differences between two scenarios or lever variants, run by run, with 5-95% bands."""
    from somlab.sim import compare as comparing
    from somlab.sim import report, service
    from somlab.progress import progress_bar

    with user_errors():
        if fmt not in FORMATS:
            raise SomlabInputError(f"--format must be one of {', '.join(FORMATS)}")
        output_file(chart, "--chart")
        with progress_bar(
            2 * runs, f"comparing ({runs} paired runs)", quiet=fmt != "table"
        ) as advance:
            a, b = service.compare(
                scenario_a,
                scenario_b,
                set_a,
                set_b,
                runs,
                seed,
                backend,
                scheduler,
                lambda done: advance(completed=done),
                point,
            )
    diff = comparing.differences(a.runs, a.scenario, b.runs, b.scenario)
    if chart or fmt == "html":  # Altair only when a chart is drawn
        monthly = {
            s: comparing.monthly(a.runs, a.scenario, b.runs, b.scenario, s)
            for s in ("arrivals", "dead_missing")
        }
        charts = comparing.charts(diff, monthly)
    if chart:
        if chart.suffix == ".html":
            chart.write_text(
                report.html_page("somlab compare", [("Charts", charts), ("Differences", diff)], {}),
                encoding="utf-8",
            )
        else:
            charts.save(str(chart))
    label_a = f"{a.scenario.name} {' '.join(set_a)}".strip()
    label_b = f"{b.scenario.name} {' '.join(set_b)}".strip()
    if fmt == "json":
        doc = {
            "schema": "somlab.comparison/1",
            "a": label_a,
            "b": label_b,
            "runs": runs,
            "seed": seed,
            "differences": json.loads(diff.to_json(orient="records")),
        }
        sys.stdout.write(json.dumps(doc, indent=2) + "\n")
    elif fmt == "csv":
        csvsafe.frame(diff).to_csv(sys.stdout, index=False)
    elif fmt == "html":
        sys.stdout.write(
            report.html_page(
                f"somlab compare: A = {label_a}; B = {label_b}",
                [("Charts", charts), ("Differences", diff)],
                {},
            )
        )
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(title=f"A = {label_a}   B = {label_b}   ({runs} paired runs)")
        for column in (
            "outcome",
            "A median [5-95%]",
            "B median [5-95%]",
            "B - A median [5-95%]",
            "relative",
        ):
            table.add_column(column, justify="left" if column == "outcome" else "right")
        f = report._fmt
        for row in diff.itertuples():
            table.add_row(
                row.outcome,
                f"{f(row.a_median)} [{f(row.a_p05)}-{f(row.a_p95)}]",
                f"{f(row.b_median)} [{f(row.b_p05)}-{f(row.b_p95)}]",
                f"{f(row.difference_median)} [{f(row.difference_p05)}, {f(row.difference_p95)}]",
                "n/a" if row.relative_median is None else f"{row.relative_median:+.1%}",
            )
        Console().print(table)


def calibrate(
    scenario: str = typer.Argument(..., help="bundled scenario name or scenario folder"),
    design: int = typer.Option(
        64, "--design", min=8, max=5_000, help="points of the Latin hypercube design"
    ),
    refine: int = typer.Option(
        0,
        "--refine",
        min=0,
        max=5_000,
        help="points of each later history-matching wave, drawn in the non-implausible region",
    ),
    waves: Optional[int] = typer.Option(
        None,
        "--waves",
        min=0,
        max=20,
        help="history-matching waves after the design (default: 1 with --refine, else 0)",
    ),
    runs: int = typer.Option(3, "--runs", min=1, max=100, help="replicas per design point"),
    seed: int = typer.Option(1, "--seed"),
    out: Optional[Path] = typer.Option(
        None,
        "--out",
        help="calibrated parameter file (default: parameters.calibrated.yaml in the scenario folder, or here for a bundled one)",
    ),
    check_runs: int = typer.Option(
        10,
        "--check-runs",
        min=1,
        max=1_000,
        help="ensemble size for the check of the calibrated parameters",
    ),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help=SCHEDULER_HELP),
    parameters: Optional[Path] = typer.Option(
        None,
        "--parameters",
        help="start from this parameter file (its free ranges and weights) instead of the scenario's parameters.yaml",
    ),
    fmt: str = typer.Option("table", "--format", help="table or json"),
) -> None:
    """History matching (design, emulators, implausibility cut, waves) -> Sobol sensitivity -> calibrated parameter file."""
    from somlab.sim import calibration

    with user_errors():
        output_file(out, "--out")
        summary = calibration.calibrate(
            scenario,
            design,
            runs,
            seed,
            out,
            check_runs,
            scheduler,
            quiet=fmt == "json",
            refine=refine,
            parameters_file=parameters,
            waves=waves,
        )
    if fmt == "json":
        sys.stdout.write(json.dumps(summary, indent=2) + "\n")
    else:
        calibration.print_summary(summary)


def validate(
    scenario: str = typer.Argument(
        ..., help="bundled scenario name or scenario folder (with priors.yaml)"
    ),
    train_until: str = typer.Option(
        ...,
        "--train-until",
        help="last month (YYYY-MM) of the training window; later observations are hidden from the calibration",
    ),
    design: int = typer.Option(
        64,
        "--design",
        min=8,
        max=5_000,
        help="points of the training design (the first history-matching wave)",
    ),
    refine: int = typer.Option(
        32, "--refine", min=0, max=5_000, help="points of each later history-matching wave"
    ),
    waves: Optional[int] = typer.Option(
        None,
        "--waves",
        min=0,
        max=20,
        help="history-matching waves after the design (default: 2 with --refine, else 0)",
    ),
    runs: int = typer.Option(3, "--runs", min=1, max=100, help="replicas per design point"),
    check_runs: int = typer.Option(
        4, "--check-runs", min=1, max=1_000, help="ensemble size of the training check"
    ),
    forecast_runs: int = typer.Option(
        200, "--forecast-runs", min=2, max=10_000, help="runs of the forecast ensemble"
    ),
    seed: int = typer.Option(1, "--seed"),
    out: Path = typer.Option(
        Path("validation.json"),
        "--out",
        help="JSON report; the Markdown report is written beside it (.md)",
    ),
    parameters: Optional[Path] = typer.Option(
        None, "--parameters", help="parameter YAML to start from instead of the scenario's"
    ),
    parameters_out: Optional[Path] = typer.Option(
        None,
        "--parameters-out",
        help="also write the validated parameters (training calibration, priors at their values) to this YAML",
    ),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help=SCHEDULER_HELP),
) -> None:
    """Out-of-sample validation: calibrate on the training window, forecast the rest once under the
    real policy timeline with the effect sizes of priors.yaml, score it beside a statistical baseline."""
    from somlab.sim import holdout

    with user_errors():
        output_file(out, "--out")
        output_file(parameters_out, "--parameters-out")
        report = holdout.validate(
            scenario,
            train_until,
            design,
            runs,
            refine,
            check_runs,
            forecast_runs,
            seed,
            scheduler,
            parameters,
            waves=(2 if refine else 0) if waves is None else waves,
        )
    json_path, md_path = holdout.write(report, out)
    typer.echo(holdout.markdown(report))
    typer.echo(f"written: {json_path}, {md_path}")
    if parameters_out:
        from somlab.sim.scenario import load

        source = load(scenario, parameters).parameters_file
        assert source is not None  # load() always records the file it read
        typer.echo(f"written: {holdout.write_parameters(report, source, parameters_out)}")


def register(app: typer.Typer) -> None:
    app.command("simulate")(simulate)
    app.command("compare")(compare)
    app.command("calibrate")(calibrate)
    app.command("validate")(validate)
