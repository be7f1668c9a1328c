"""The three core KPIs in plain pandas, as someone without this project would write them.

Reads the landing CSVs (each full export plus any later ones in `<Object>/*.csv`), keeps
the newest version of every record, drops rows whose typed values do not parse (the
warehouse quarantines those) and soft-deleted ones, and applies one version of the
agreed definitions (config/agreed_definitions/<version>.yml) and config/source_mapping.yml
directly. Emails are matched lower-cased and trimmed; the warehouse matches keyed
hashes of the same normalised address, which links the same people.

The result holds only what the benchmark cross-checks against the marts: leads and
sales-ready leads per month (`lead_funnel`), leads in / picked up / opportunities / not
qualified per week (`weekly_pipeline_review`), and leads and cost per month and channel
(`source_performance`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

KpiRows = dict[str, list[list]]


@dataclass(frozen=True)
class Rules:
    """What the two YAML files say, as far as these KPIs need it."""

    time_zone: str
    corporate_currency: str
    min_employees: int
    title_include: str
    title_exclude: str
    intent_window: pd.Timedelta
    intent_rules: tuple[dict, ...]  # the Marketo signal rules of the active-intent signals
    follow_up_window: pd.Timedelta
    channel_by_lead_source: dict[str, str]
    channel_by_campaign_type: dict[str, str]
    team_by_department: dict[str, str]
    stage_by_status: dict[str, str]


def load_rules(definitions_file: Path, source_mapping_file: Path) -> Rules:
    definitions = yaml.safe_load(definitions_file.read_text(encoding="utf-8"))
    mapping = yaml.safe_load(source_mapping_file.read_text(encoding="utf-8"))
    lead = definitions["lead_definition"]
    titles = lead["budget_authority_titles"]
    intent = lead["active_intent"]
    channels = definitions["channels"]
    salesforce = mapping["salesforce"]
    return Rules(
        time_zone=definitions["reporting"]["time_zone"],
        corporate_currency=definitions["reporting"]["currency"],
        min_employees=lead["min_employees"],
        title_include="|".join(f"(?:{p})" for p in titles["include"]),
        title_exclude="|".join(f"(?:{p})" for p in titles["exclude"]),
        intent_window=pd.Timedelta(days=intent["window_days"]),
        intent_rules=tuple(
            rule
            for rule in mapping["marketo"]["signal_rules"]
            if rule["signal"] in intent["signals"]
        ),
        follow_up_window=pd.Timedelta(hours=definitions["follow_up"]["window_hours"]),
        channel_by_lead_source={
            source: name for name, c in channels.items() for source in c.get("lead_sources", [])
        },
        channel_by_campaign_type={
            kind: name for name, c in channels.items() for kind in c.get("campaign_types", [])
        },
        team_by_department=salesforce["user_teams"],
        stage_by_status=salesforce["lead_statuses"],
    )


# ---- reading ---------------------------------------------------------------------------


def read_export(landing: Path, relative_path: str, columns: list[str]) -> pd.DataFrame:
    """The full export and every later one, oldest first, as text; broken lines skipped."""
    full = landing / relative_path
    files = ([full] if full.is_file() else []) + sorted(full.with_suffix("").glob("*.csv"))
    return pd.concat(
        [
            pd.read_csv(
                path,
                dtype=str,
                keep_default_na=False,
                usecols=lambda column: column in columns,
                on_bad_lines="skip",
            )
            for path in files
        ],
        ignore_index=True,
    )


def parse_times(text: pd.Series) -> pd.Series:
    return pd.to_datetime(text.where(text != ""), utc=True, format="ISO8601", errors="coerce")


def parse_numbers(text: pd.Series) -> pd.Series:
    return pd.to_numeric(text.where(text != ""), errors="coerce")


def typed(frame: pd.DataFrame, times: Sequence[str], numbers: Sequence[str] = ()) -> pd.DataFrame:
    """Parse the typed columns in place and drop rows with a value that does not parse."""
    broken = frame["Id"].eq("") if "Id" in frame else pd.Series(False, index=frame.index)
    for columns, parse in ((times, parse_times), (numbers, parse_numbers)):
        for column in columns:
            parsed = parse(frame[column])
            broken |= frame[column].ne("") & parsed.isna()
            frame[column] = parsed
    return frame[~broken]


def newest(frame: pd.DataFrame, key: str, version: str | None) -> pd.DataFrame:
    """One row per key: the highest version, and on a tie the later file's row."""
    if version:
        frame = frame.sort_values(version, kind="stable", na_position="first")
    return frame.drop_duplicates(key, keep="last")


def read_salesforce(
    landing: Path, sobject: str, columns: list[str], numbers: Sequence[str] = ()
) -> pd.DataFrame:
    """Newest version of every record that is not soft-deleted (objects without IsDeleted
    have none); CreatedDate, SystemModstamp and `numbers` parsed."""
    times = ["CreatedDate", "SystemModstamp"]
    wanted = ["Id", "IsDeleted", *times, *columns, *numbers]
    frame = newest(
        typed(read_export(landing, f"salesforce/{sobject}.csv", wanted), times, numbers),
        "Id",
        "SystemModstamp",
    )
    if "IsDeleted" in frame:
        frame = frame[frame["IsDeleted"].str.lower() != "true"]
    return frame


# ---- lead_funnel -----------------------------------------------------------------------


def budget_authority(titles: pd.Series, rules: Rules) -> pd.Series:
    # ASCII word boundaries, as DuckDB's regular expressions (RE2) have them
    text = titles.fillna("")
    # count, not contains: the agreed patterns have groups, which contains warns about
    include = text.str.count(rules.title_include, flags=re.ASCII | re.IGNORECASE) > 0
    exclude = text.str.count(rules.title_exclude, flags=re.ASCII | re.IGNORECASE) > 0
    return include & ~exclude


def people_to_leads(landing: Path, leads: pd.DataFrame) -> pd.Series:
    """Marketo person id -> lead Id: by lead id, else converted contact, else unique email."""
    people = read_export(
        landing, "marketing/leads.csv", ["id", "email", "sfdcLeadId", "sfdcContactId", "updatedAt"]
    )
    people = newest(typed(people, ["updatedAt"]), "id", "updatedAt")
    by_contact = leads[leads["ConvertedContactId"] != ""].drop_duplicates("ConvertedContactId")
    emails = leads["email"].dropna()
    unique_emails = emails[~emails.duplicated(keep=False)]
    by_email = pd.Series(leads.loc[unique_emails.index, "Id"].values, index=unique_emails.values)
    lead_id = people["sfdcLeadId"].where(people["sfdcLeadId"].isin(leads["Id"]))
    lead_id = lead_id.fillna(
        people["sfdcContactId"].map(by_contact.set_index("ConvertedContactId")["Id"])
    )
    lead_id = lead_id.fillna(people["email"].str.strip().str.lower().map(by_email))
    return pd.Series(lead_id.values, index=people["id"].values).dropna()


def like_pattern(like: str) -> str:
    """An SQL (I)LIKE pattern as a regular expression for a full match."""
    return re.escape(like).replace("%", ".*").replace("_", ".")


def intent_signal_times(landing: Path, rules: Rules) -> pd.DataFrame:
    """Marketo person id and time of every activity that is an active-intent signal."""
    needs_status = any(rule.get("new_status") for rule in rules.intent_rules)
    columns = ["marketoGUID", "leadId", "activityDate", "activityTypeId", "primaryAttributeValue"]
    activities = read_export(
        landing, "marketing/activities.csv", columns + (["attributes"] if needs_status else [])
    )
    activities = typed(activities, ["activityDate"]).drop_duplicates("marketoGUID", keep="last")
    is_signal = pd.Series(False, index=activities.index)
    for rule in rules.intent_rules:
        matches = activities["activityTypeId"].eq(str(rule["activity_type_id"])) & activities[
            "primaryAttributeValue"
        ].str.fullmatch(like_pattern(rule["primary_attribute_like"]), case=False, flags=re.DOTALL)
        if rule.get("new_status"):
            status = activities["attributes"].map(lambda a: json.loads(a).get("New Status"))
            matches &= status.eq(rule["new_status"])
        is_signal |= matches
    signals = activities[is_signal]
    return pd.DataFrame({"person": signals["leadId"], "signal_at": signals["activityDate"]})


def first_sales_touches(landing: Path, leads: pd.DataFrame, rules: Rules) -> pd.Series:
    """Lead Id -> first task or event by a sales user on the lead or its converted contact."""
    users = read_salesforce(landing, "User", ["Department"])
    sales_users = users["Id"][users["Department"].map(rules.team_by_department) == "sales"]
    touches = pd.concat(
        [read_salesforce(landing, sobject, ["WhoId", "OwnerId"]) for sobject in ("Task", "Event")]
    )
    touches = touches[touches["OwnerId"].isin(sales_users)][["WhoId", "CreatedDate"]]
    touches = touches.rename(columns={"CreatedDate": "touched_at"})
    on_lead = leads[["Id", "created"]].merge(touches, left_on="Id", right_on="WhoId")
    converted = leads[leads["ConvertedContactId"] != ""]  # an empty id is no contact
    on_contact = converted[["Id", "ConvertedContactId", "created"]].merge(
        touches, left_on="ConvertedContactId", right_on="WhoId"
    )
    both = pd.concat([on_lead, on_contact])
    return both[both["touched_at"] >= both["created"]].groupby("Id")["touched_at"].min()


def lead_channels(landing: Path, leads: pd.DataFrame, rules: Rules) -> pd.Series:
    """The channel of the lead's LeadSource, else of its first campaign's type."""
    members = read_salesforce(landing, "CampaignMember", ["CampaignId", "LeadId"])
    campaigns = read_salesforce(landing, "Campaign", ["Type"])
    first = members[members["LeadId"] != ""].sort_values(["CreatedDate", "Id"])
    first = first.drop_duplicates("LeadId").set_index("LeadId")["CampaignId"]
    campaign_type = leads["Id"].map(first).map(campaigns.set_index("Id")["Type"])
    by_source = leads["LeadSource"].str.strip().map(rules.channel_by_lead_source)
    by_campaign = campaign_type.map(rules.channel_by_campaign_type)
    return by_source.fillna(by_campaign).fillna("unattributed")


def lead_funnel(landing: Path, rules: Rules) -> pd.DataFrame:
    """One row per live lead with what the three KPIs count."""
    leads = read_salesforce(
        landing,
        "Lead",
        ["Email", "Title", "LeadSource", "Status", "IsConverted", "ConvertedContactId"],
        numbers=["NumberOfEmployees"],
    ).rename(columns={"CreatedDate": "created"})
    email = leads["Email"].str.strip().str.lower()
    leads["email"] = email.where(email != "")
    signals = intent_signal_times(landing, rules)
    signals["Id"] = signals["person"].map(people_to_leads(landing, leads))
    signals = signals.merge(leads[["Id", "created"]], on="Id")
    in_window = (signals["signal_at"] - signals["created"]).abs() <= rules.intent_window
    with_intent = leads["Id"].isin(signals.loc[in_window, "Id"])
    first_touch = leads["Id"].map(first_sales_touches(landing, leads, rules))
    local = leads["created"].dt.tz_convert(rules.time_zone).dt.tz_localize(None)
    converted = leads["IsConverted"].str.lower() == "true"
    return pd.DataFrame(
        {
            "created_month": local.dt.to_period("M").dt.start_time.dt.date,
            "created_week": local.dt.to_period("W-SUN").dt.start_time.dt.date,  # Monday
            "channel": lead_channels(landing, leads, rules),
            "sales_ready": (leads["NumberOfEmployees"] >= rules.min_employees)
            & budget_authority(leads["Title"], rules)
            & with_intent,
            "picked_up": first_touch <= leads["created"] + rules.follow_up_window,
            "converted": converted,
            "not_qualified": leads["Status"].map(rules.stage_by_status).eq("disqualified")
            & ~converted,
        }
    )


# ---- source_performance's cost ------------------------------------------------------------


def campaign_costs(landing: Path, rules: Rules) -> pd.DataFrame:
    """EUR cost per campaign at the dated rate in force on its StartDate."""
    campaigns = read_salesforce(
        landing,
        "Campaign",
        ["Type", "StartDate", "ActualCost", "CurrencyIsoCode"],
        numbers=["ActualCost"],
    )
    campaigns["StartDate"] = pd.to_datetime(campaigns["StartDate"], errors="coerce")
    # A Campaign export without a currency column is in the corporate currency.
    if "CurrencyIsoCode" not in campaigns:
        campaigns["CurrencyIsoCode"] = rules.corporate_currency
    rates = read_export(
        landing,
        "salesforce/DatedConversionRate.csv",
        ["Id", "IsoCode", "ConversionRate", "StartDate", "NextStartDate"],
    )
    rates = newest(typed(rates, [], ["ConversionRate"]), "Id", None)
    for column in ("StartDate", "NextStartDate"):
        rates[column] = pd.to_datetime(rates[column], errors="coerce")
    rated = campaigns.merge(
        rates, left_on="CurrencyIsoCode", right_on="IsoCode", suffixes=("", "_rate")
    )
    in_force = (rated["StartDate"] >= rated["StartDate_rate"]) & (
        rated["StartDate"] < rated["NextStartDate"]
    )
    rate = rated[in_force].set_index("Id")["ConversionRate"]
    units_per_eur = campaigns["Id"].map(rate)
    units_per_eur = units_per_eur.mask(campaigns["CurrencyIsoCode"] == rules.corporate_currency, 1)
    return pd.DataFrame(
        {
            "month": campaigns["StartDate"].dt.to_period("M").dt.start_time.dt.date,
            "channel": campaigns["Type"].map(rules.channel_by_campaign_type).fillna("unattributed"),
            "cost_eur": (campaigns["ActualCost"] / units_per_eur).round(2),
        }
    )


# ---- the three KPIs --------------------------------------------------------------------


def plain(value: object) -> object:
    """A JSON value: dates as ISO strings, numpy numbers as Python ones, NaN as None."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if pd.isna(value):
        return None
    return value.item() if hasattr(value, "item") else value


def rows(frame: pd.DataFrame) -> list[list]:
    return [[plain(value) for value in row] for row in frame.itertuples(index=False)]


def core_kpis(landing: Path, rules: Rules) -> KpiRows:
    funnel = lead_funnel(landing, rules)
    monthly = funnel.groupby("created_month").agg(
        leads=("sales_ready", "size"), sales_ready=("sales_ready", "sum")
    )
    weekly = funnel.groupby("created_week").agg(
        leads_in=("converted", "size"),
        picked_up=("picked_up", "sum"),
        opportunities=("converted", "sum"),
        not_qualified=("not_qualified", "sum"),
    )
    leads = funnel.groupby(["created_month", "channel"]).size().rename("leads")
    leads.index.names = ["month", "channel"]
    cost = campaign_costs(landing, rules).groupby(["month", "channel"])["cost_eur"].sum(min_count=1)
    sources = pd.concat([leads, cost], axis=1).fillna({"leads": 0}).astype({"leads": int})
    return {
        "lead_funnel": rows(monthly.astype(int).reset_index()),
        "weekly_pipeline_review": rows(weekly.astype(int).reset_index()),
        "source_performance": rows(sources.reset_index()),
    }
