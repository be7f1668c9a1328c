"""A handful of bad records is set aside and named; the KPIs publish for the rest.

The hand-made fixture plus, all created in February 2026 (Amsterdam):
- O5: 1,000 SEK, and DatedConversionRate has no SEK rate: no EUR value.
- O6: Amount "12.5k", not a number: quarantined by the loader. Lead L11 was
  converted to it, so L11 points at an opportunity that is not published.
- O7: EUR -500 from the Web (marketing-sourced): below zero, implausible.
- O8: EUR 9,999,999,999,999,999 from the Web: above the plausible maximum.
- O9 and O10: EUR 100,000,000.01 and 99,999,999.99 from a cold call, a cent either
  side of the plausible maximum (EUR 100,000,000): O9 is implausible, O10 is not.
- L11 (converted), L12 and L13 ("Qualified", not in the mapped picklist), all Sales
  Managers: not budget-authority titles, so not sales-ready.

Each used to fail the whole nightly (or publish EUR 1e16 of pipeline). Now four
checks warn, naming the records, and February's KPIs are the fixture's (2 leads,
2 sales-ready, EUR 15,000 marketing pipeline from O2 and O4) plus three leads: O7 and
O8 stay out of the pipeline, so it is still EUR 15,000.
"""

from __future__ import annotations

from decimal import Decimal

import dagster as dg
import pytest

from tests.conftest import FIXTURE_LANDING, copy_landing, make_warehouse, run_warehouse

OWNER = "005000000000000S1"
BAD_OPPORTUNITIES = [
    f"006000000000000O5,001000000000000A5,Echo - Nordics,1000.00,SEK,Prospecting,10,"
    f"2026-02-05T09:00:00.000Z,2026-03-10,false,false,Cold Call,,{OWNER},false,"
    "2026-02-05T09:00:00.000Z",
    f"006000000000000O6,001000000000000A5,Echo - Platform,12.5k,EUR,Prospecting,10,"
    f"2026-02-06T09:00:00.000Z,2026-03-10,false,false,Web,,{OWNER},false,"
    "2026-02-06T09:00:00.000Z",
    f"006000000000000O7,001000000000000A5,Echo - Credit,-500.00,EUR,Closed Won,100,"
    f"2026-02-07T09:00:00.000Z,2026-02-20,true,true,Web,,{OWNER},false,"
    "2026-02-07T09:00:00.000Z",
    f"006000000000000O8,001000000000000A5,Echo - Typo,9999999999999999.00,EUR,Prospecting,"
    f"10,2026-02-08T09:00:00.000Z,2026-03-20,false,false,Web,,{OWNER},false,"
    "2026-02-08T09:00:00.000Z",
    f"006000000000000O9,001000000000000A5,Echo - Cent Over,100000000.01,EUR,Prospecting,"
    f"10,2026-02-09T09:00:00.000Z,2026-03-20,false,false,Cold Call,,{OWNER},false,"
    "2026-02-09T09:00:00.000Z",
    f"006000000000000O10,001000000000000A5,Echo - Cent Under,99999999.99,EUR,Prospecting,"
    f"10,2026-02-09T10:00:00.000Z,2026-03-20,false,false,Cold Call,,{OWNER},false,"
    "2026-02-09T10:00:00.000Z",
]
BAD_LEADS = [
    f"00Q000000000000L11,Kim,Kilo,kim@kilo.example,,Kilo AG,Sales Manager,40,Cold Call,"
    f"Closed - Converted,{OWNER},2026-02-04T08:00:00.000Z,true,2026-02-06,"
    "006000000000000O6,,,false,2026-02-06T09:00:00.000Z,,Software",
    f"00Q000000000000L12,Lou,Lima,lou@lima.example,,Lima BV,Sales Manager,40,Cold Call,"
    f"Qualified,{OWNER},2026-02-04T08:00:00.000Z,false,,,,,false,2026-02-04T08:00:00.000Z,,"
    "Software",
    f"00Q000000000000L13,Max,Mike,max@mike.example,,Mike BV,Sales Manager,40,Cold Call,"
    f"Qualified,{OWNER},2026-02-04T09:00:00.000Z,false,,,,,false,2026-02-04T09:00:00.000Z,,"
    "Software",
]


def append_rows(path, rows: list[str]) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write("".join(f"{row}\n" for row in rows))


@pytest.fixture(scope="module")
def bad_records_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad_records")
    landing = copy_landing(FIXTURE_LANDING, root / "landing")
    append_rows(landing / "salesforce" / "Opportunity.csv", BAD_OPPORTUNITIES)
    append_rows(landing / "salesforce" / "Lead.csv", BAD_LEADS)
    return run_warehouse(make_warehouse(landing, root / "warehouse"))


def warning(run, check_name: str) -> dict:
    (evaluation,) = [
        e
        for e in run.result.get_asset_check_evaluations()
        if e.check_name == check_name and not e.passed
    ]
    assert evaluation.severity == dg.AssetCheckSeverity.WARN
    return {key: value.value for key, value in evaluation.metadata.items()}


def test_a_handful_of_bad_records_does_not_stop_the_publish(bad_records_run):
    assert bad_records_run.result.success
    assert bad_records_run.failed_checks(dg.AssetCheckSeverity.ERROR) == set()


@pytest.mark.parametrize(
    ("check_name", "named"),
    [
        (
            "amounts_have_eur_value",
            "- 006000000000000O5: SEK amount closing 2026-03-10 has no EUR value "
            "(no dated rate in force)",
        ),
        (
            "opportunity_amounts_are_plausible",
            "- 006000000000000O7: amount below zero\n"
            "- 006000000000000O8: amount above the plausible maximum of EUR 100,000,000\n"
            "- 006000000000000O9: amount above the plausible maximum of EUR 100,000,000",
        ),
        (
            "converted_leads_have_opportunity",
            "- 00Q000000000000L11: opportunity 006000000000000O6 does not exist",
        ),
    ],
)
def test_each_bad_record_is_named_in_a_warning(bad_records_run, check_name, named):
    metadata = warning(bad_records_run, check_name)
    assert sorted(metadata["examples"].splitlines()) == named.splitlines()
    assert metadata["set_aside_at_most"] == 5


def test_an_unmapped_lead_status_is_named_with_its_count(bad_records_run):
    assert warning(bad_records_run, "lead_statuses_are_mapped")["unmapped"] == (
        "- status 'Qualified': 2 lead(s); not in salesforce.lead_statuses of the source "
        "mapping, so in no funnel stage"
    )


def test_bad_amounts_stay_out_of_the_eur_totals(bad_records_run):
    amounts = dict(
        bad_records_run.query(
            "select opportunity_id[-2:], amount_eur from opportunity_pipeline order by 1"
        )
    )
    assert amounts == {
        "O1": Decimal("20000.00"),
        "O2": Decimal("10000.00"),
        "O3": Decimal("10000.00"),
        "O4": Decimal("5000.00"),
        "O5": None,
        "O7": None,
        "O8": None,
        "O9": None,
        "10": Decimal("99999999.99"),
    }
    february = bad_records_run.query(
        "select leads_created, sales_ready_leads, marketing_pipeline_eur "
        "from shared_kpis_monthly where month = date '2026-02-01'"
    )
    assert february == [(5, 2, Decimal("15000.00"))]
    assert bad_records_run.query(
        "select funnel_stage, count(*) from lead_funnel where lead_status = 'Qualified' "
        "group by all"
    ) == [("unmapped", 2)]
