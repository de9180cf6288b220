"""The indicator catalogue: one typed definition per indicator, grouped by Protocol objective.

A definition names what is measured (its kind, from `somlab.evidence.measures`), the unit, the
dimensions it can be broken down by, the breakdown charted on the evidence page and in the report,
and the Protocol objective it speaks to. Adding an indicator is adding an entry to CATALOGUE.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from somlab.errors import SomlabNotFoundError
from somlab.evidence.measures import (
    ARRIVAL_PREFERENCE,
    DEATH_RATE_BASES,
    ByDimensions,
    CountSum,
    DeathRate,
    IncidentSum,
    Measure,
    NoSeries,
    PublishedFigures,
    Scope,
)
from somlab.vocabulary import OBJECTIVES


@dataclass(frozen=True)
class Indicator(Scope):
    """One indicator. `base` says what is counted, `description` how the value is computed,
    `caveats` what it does not show; `dims` are the breakdowns offered, `default_by` the one
    used when none is asked, `always_by` dimensions every breakdown keeps (series never summed
    together), `datasets` the store series read, `chart` the breakdown drawn on the evidence page
    and in the report (sums and rates name one; published figures are drawn as published, gaps
    not at all)."""

    objective: str
    title: str
    unit: str
    base: str
    description: str
    caveats: str
    measure: Measure
    chart: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.objective not in OBJECTIVES:
            raise ValueError(
                f"{self.name}: objective {self.objective!r} is not one of {OBJECTIVES}"
            )
        if isinstance(self.measure, ByDimensions) != bool(self.chart):
            raise ValueError(
                f"{self.name}: an indicator broken down by dimensions, and only such, names its chart"
            )
        drawn = [
            dim for dim in self.chart if dim not in self.dims + self.always_by + self.measure_dims
        ]
        if drawn:
            raise ValueError(f"{self.name}: chart by {drawn}, not among its dimensions {self.dims}")

    @property
    def measure_dims(self) -> tuple[str, ...]:
        """Breakdowns the kind adds to the indicator's dimensions (e.g. a rate's base)."""
        return self.measure.extra_dims if isinstance(self.measure, ByDimensions) else ()

    @property
    def gap(self) -> bool:
        """No machine-readable series: listed, never computed."""
        return isinstance(self.measure, NoSeries)

    @property
    def series(self) -> tuple[str, ...]:
        """The published series listed as published (no sums); empty for other kinds."""
        return self.measure.series if isinstance(self.measure, PublishedFigures) else ()

    def as_dict(self) -> dict[str, Any]:
        """The definition as listed (`somlab indicators list --json`, the web API)."""
        described = ("objective", "title", "unit", "base", "description", "caveats")
        return {
            "indicator": self.name,
            **{key: getattr(self, key) for key in described},
            "dims": list(self.dims),
            "datasets": list(self.datasets),
            "gap": self.gap,
            "figures": bool(self.series),
        }


CATALOGUE: tuple[Indicator, ...] = (
    Indicator(
        "dead_missing",
        "protect",
        "Migrants recorded dead or missing",
        "persons",
        "incidents recorded by IOM Missing Migrants Project",
        "Sum of 'Total Number of Dead and Missing' over incidents, from the most recent IOM export "
        "ingested for each year (older exports are superseded, never added).",
        "A floor, not a count: bodies never found and shipwrecks without survivors go unrecorded. "
        "'Cumulative Incident' rows aggregate deaths over a period. Region and route are IOM's labels; "
        "a row with no route is shown with route null.",
        measure=IncidentSum(),
        dims=("year", "month", "route", "region", "country", "cause", "incident_type"),
        datasets=("iom_mmp",),
        chart=("year", "route"),
    ),
    Indicator(
        "death_rate",
        "protect",
        "Dead and missing per 1,000 crossings, by route",
        "per 1,000 crossings",
        "three bases: " + "; ".join(f"{k} = {v}" for k, v in DEATH_RATE_BASES.items()),
        "dead_missing on a route and period divided by the crossings on that route and period, times "
        "1,000 (1000 / value gives IOM's '1 in N'). Arrivals, per route and period: IOM DTM, else UNHCR, else UK Home Office, else Italy's published yearly totals (the row's arrivals_from).",
        "Published rates differ 2-3x with the base alone. A base without data is listed under gaps, "
        "never computed as zero. Deaths are by route of incident, arrivals by country of arrival.",
        measure=DeathRate(),
        dims=("year", "month", "route"),
        always_by=("route", "base"),
        datasets=("iom_mmp", "iom_dtm_arrivals", "unhcr_arrivals", "uk_small_boats", "somlab_tidy"),
        chart=("year", "route"),
    ),
    Indicator(
        "detections",
        "prevent",
        "Detections of illegal border-crossings (Frontex)",
        "detections",
        "detections at the EU external border",
        "Sum of Frontex monthly detections, by route, border type and nationality.",
        "Counts detections, not persons: one person crossing twice is detected twice (2015: Western "
        "Balkans detections largely re-count Eastern Mediterranean arrivals).",
        measure=CountSum(("detections",), by_grain=False),  # Frontex publishes by nationality only
        dims=("year", "month", "route", "nationality", "border_type"),
        datasets=("frontex_ibc",),
        chart=("year", "route"),
    ),
    Indicator(
        "arrivals",
        "prevent",
        "Irregular arrivals by sea and land",
        "persons",
        "arrivals recorded by national authorities, compiled by IOM DTM, UNHCR or the UK Home Office",
        "Sum of arrivals. Each publisher is a separate series (the `dataset` column), never summed together.",
        "Country coverage differs by series and period; UK figures are provisional. Spain is split into "
        "Western Mediterranean and Atlantic (Canaries) in IOM DTM, not in UNHCR.",
        measure=CountSum(("arrivals",)),
        dims=("year", "month", "route", "country", "nationality", "border_type"),
        always_by=("dataset",),
        datasets=ARRIVAL_PREFERENCE,
        chart=("year", "route"),
    ),
    Indicator(
        "enforcement",
        "prevent",
        "Enforcement of immigration legislation (Eurostat)",
        "persons",
        "third-country nationals, per reporting country and year",
        "Found illegally present (migr_eipre), refused entry at the external border (migr_eirfs), "
        "ordered to leave (migr_eiord) and returned following an order to leave (migr_eirtn, Protocol art. 18).",
        "Values rounded to 5 by Eurostat; ':' (not available) is a gap, not zero; flags b/d mark breaks "
        "and definitions that differ. Aggregate rows (EU27/EU28) are not read: sums are of countries.",
        measure=CountSum(("illegally_present", "refused_entry", "ordered_to_leave", "returned")),
        dims=("year", "country", "nationality"),
        always_by=("measure",),
        datasets=("eurostat_eipre", "eurostat_eirfs", "eurostat_eiord", "eurostat_eirtn"),
        chart=("year", "measure"),
    ),
    Indicator(
        "smuggling_prosecutions",
        "prosecute",
        "Prosecutions for smuggling of migrants (Protocol art. 6)",
        "persons",
        "persons prosecuted",
        "No machine-readable series found.",
        "UNODC's crime and criminal justice statistics and Eurostat crim_just do not isolate migrant "
        "smuggling in a file that could be found; national figures are scattered in reports.",
        measure=NoSeries(),
    ),
    Indicator(
        "smuggling_convictions",
        "prosecute",
        "Convictions for smuggling of migrants (Protocol art. 6)",
        "persons",
        "persons convicted",
        "No machine-readable series found.",
        "As for prosecutions: no series comparable across States was found.",
        measure=NoSeries(),
    ),
    Indicator(
        "assets_frozen",
        "prosecute",
        "Proceeds of smuggling frozen, seized or confiscated (UNTOC art. 12)",
        "EUR",
        "value of assets",
        "No machine-readable series found.",
        "No public series separates migrant-smuggling proceeds.",
        measure=NoSeries(),
    ),
    Indicator(
        "smuggling_fees",
        "prevent",
        "Fees paid to smugglers and the size of the market, Central Mediterranean",
        "as published (EUR, USD or persons)",
        "figures read in Frontex, Europol and UNODC publications",
        "Each figure as published, with its publisher and the page it was read on; ranges as low-high.",
        "No year-by-year fee series exists: single statements and one migrant's testimony, not averages. "
        "The Migrants' Files 'Amounts paid to facilitators' (2000-2015) was not found.",
        measure=PublishedFigures(
            (
                "smuggling_fee_libya_italy_sea_leg",
                "smuggling_fee_libya_italy_sea_leg_testimony",
                "smuggling_fee_whole_journey_all_routes",
                "smuggling_package_bangladesh_libya_italy",
                "central_med_smuggling_market_value",
                "central_med_persons_smuggled_estimate",
                "central_med_departures",
            )
        ),
    ),
    Indicator(
        "arrivals_by_departure_country",
        "prevent",
        "Sea arrivals to Italy by country of departure",
        "persons or percent",
        "figures read in Polizia di Stato, Interior Ministry and UNHCR publications",
        "Each figure as published: full years, year-to-date (with the date) and Aug-Jul years kept apart; "
        "shares are percent.",
        "No full-year counts by country for 2016, 2017 and 2019; small differences between publishers "
        "are kept side by side.",
        measure=PublishedFigures(
            (
                "italy_sea_arrivals_by_departure_country",
                "italy_sea_arrivals_share_by_departure_country",
                "italy_sea_arrivals_by_departure_country_aug_jul",
                "italy_sea_arrivals_total",
                "italy_sea_arrivals_total_aug_jul",
                "central_med_arrivals_italy",
            )
        ),
    ),
    Indicator(
        "interceptions",
        "protect",
        "Boats intercepted and returned to the departure coast (Libya, Tunisia)",
        "persons",
        "persons intercepted or rescued at sea and returned to the country of departure",
        "Each figure as published, with its publisher and the page it was read on; full years, months and "
        "year-to-date totals (with their date) apart. The Libyan full years (UNHCR 2016-2018, IOM 2019-2024) "
        "are the interceptions of the death-rate base 'arrival_interception'.",
        "Publishers differ (IOM 11,891 and the Libyan Coast Guard 11,259 for 2020): both are shown. "
        "Tunisian figures mix interceptions at sea and departures prevented on land.",
        measure=PublishedFigures(
            (
                "libya_intercepted_returned",
                "libya_intercepted_returned_ytd",
                "libya_rescued_in_libyan_territorial_waters",
                "tunisia_intercepted_prevented",
                "tunisia_intercepted_prevented_unallocated",
                "north_africa_coastguard_interceptions",
            )
        ),
    ),
    Indicator(
        "smugglers_arrested",
        "prosecute",
        "Smugglers arrested or detected (Italy, Greece, Tunisia, Frontex, Europol)",
        "persons",
        "persons arrested, detected or reported as suspected smugglers",
        "Each figure as published, with its publisher and the page it was read on. Arrests are not "
        "prosecutions or convictions, which no machine-readable series isolates.",
        "Conflicting figures are kept side by side (Italy 2016: 770 and 341; 2017: 331, 770 and 311). "
        "Europol's figures are of four kinds (new suspects, database stock, action-day arrests, cases).",
        measure=PublishedFigures(
            (
                "italy_scafisti_basisti_fermati",
                "italy_scafisti_arrested_aug_jul",
                "italy_smuggling_boats_seized",
                "italy_scafisti_arrests_press_monitoring",
                "italy_art12_arrests_slovenian_border",
                "italy_art12_restrictive_measures_traffickers_facilitators",
                "italy_scafisti_arrested_at_disembarkation",
                "italy_scafisti_arrested_ytd",
                "italy_scafisti_arrests_government_claim",
                "italy_squadre_mobili_arrests_trafficking_facilitation",
                "frontex_facilitators_detected",
                "europol_emsc_action_day_arrests",
                "europol_emsc_new_cases",
                "europol_new_smuggling_suspects",
                "europol_smuggling_suspects_cumulative_database",
                "europol_smuggling_suspects_reported",
                "greece_coast_guard_smugglers_arrested",
                "greece_smugglers_arrested_tr_border",
                "tunisia_smuggling_arrests",
                "tunisia_smuggling_prosecutions",
                "tunisia_ftdes_persons_arrested_attempting",
            )
        ),
    ),
    Indicator(
        "cooperation_requests",
        "cooperate",
        "Requests for cooperation, mutual legal assistance and "
        "information exchange on smuggling (Protocol arts. 7, 8, 10)",
        "requests",
        "requests made or received",
        "No machine-readable series found.",
        "States report to the UNTOC Conference of the Parties in narrative form.",
        measure=NoSeries(),
    ),
)


def catalogue() -> list[dict[str, Any]]:
    """Every indicator with its objective, unit, base and caveats; gaps have gap=True."""
    return [entry.as_dict() for entry in CATALOGUE]


def indicator(name: str) -> Indicator:
    """The definition named `name`; an unknown name is a not-found error with the known names."""
    for entry in CATALOGUE:
        if entry.name == name:
            return entry
    raise SomlabNotFoundError("indicator", name, [entry.name for entry in CATALOGUE])


class _ChartBreakdowns(Mapping[str, tuple[str, ...]]):
    """Indicator name -> the breakdown its chart is drawn by, read from the catalogue when asked."""

    def __getitem__(self, name: str) -> tuple[str, ...]:
        found = next((entry for entry in CATALOGUE if entry.name == name and entry.chart), None)
        if found is None:
            raise KeyError(name)
        return found.chart

    def __iter__(self) -> Iterator[str]:
        return (entry.name for entry in CATALOGUE if entry.chart)

    def __len__(self) -> int:
        return sum(1 for _ in self)


CHARTS: Mapping[str, tuple[str, ...]] = _ChartBreakdowns()
