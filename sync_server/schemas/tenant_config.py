"""A tenant's white-label configuration (``GET /config``, ``GET/PUT /admin/config``).

It only changes how the app *presents* the generic backend (shared/reference rules 2, 4 and 8):
labels may rename a status but can never add or remove one, because the keys of every label map
are the closed list itself (an unknown key is a 422). Lead sources and business types are the
app's suggestions; the record fields stay free text. Feature toggles hide parts of the app; the
API does not change with them.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StrictBool, WithJsonSchema, field_validator

from sync_server.schemas.base import Strict
from sync_server.schemas.types import (
    AccountStatus,
    ClientStatus,
    FollowupStatus,
    LeadStatus,
    ProjectStatus,
    SubscriptionStatus,
)

# Circulating currencies of ISO 4217 (funds, metals and test codes left out).
_ISO_4217 = """
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL
BSD BTN BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUC CUP CVE CZK DJF DKK DOP DZD
EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS
INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD
LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK
NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK
SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS
UAH UGX USD UYU UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG ZWL
"""
CURRENCIES: tuple[str, ...] = tuple(_ISO_4217.split())


def _iso_4217(code: str) -> str:
    if code not in CURRENCIES:
        raise ValueError("must be an ISO 4217 currency code such as USD or EUR")
    return code


Currency = Annotated[
    str,
    AfterValidator(_iso_4217),
    WithJsonSchema({"type": "string", "enum": list(CURRENCIES), "description": "ISO 4217"}),
]
DateFormat = Literal["YYYY-MM-DD", "MM/DD/YYYY", "DD/MM/YYYY", "DD.MM.YYYY", "D MMM YYYY"]
Feature = Literal[
    "calendar", "imports", "reports", "projects", "accounts", "subscriptions", "file_uploads"
]

Label = Annotated[str, Field(min_length=1, max_length=60)]
Choice = Annotated[str, Field(min_length=1, max_length=120)]
HexColor = Annotated[str, Field(pattern=r"^#[0-9A-Fa-f]{6}$", description="#RRGGBB")]
HttpsUrl = Annotated[str, Field(max_length=2000, pattern=r"^https://[^\s]+$")]


class Branding(Strict):
    name: str | None = Field(default=None, min_length=1, max_length=100)
    logo_url: HttpsUrl | None = None
    primary_color: HexColor | None = None


class StatusLabels(Strict):
    """Display names per closed list; a missing key shows the value itself."""

    lead_status: dict[LeadStatus, Label] = Field(default_factory=dict)
    client_status: dict[ClientStatus, Label] = Field(default_factory=dict)
    project_status: dict[ProjectStatus, Label] = Field(default_factory=dict)
    account_status: dict[AccountStatus, Label] = Field(default_factory=dict)
    subscription_status: dict[SubscriptionStatus, Label] = Field(default_factory=dict)
    followup_status: dict[FollowupStatus, Label] = Field(default_factory=dict)


NounEntity = Literal[
    "lead", "client", "project", "account", "subscription", "contact", "interaction", "note"
]


class Noun(Strict):
    """What the tenant calls a kind of record (e.g. "Customer" / "Customers" for client)."""

    singular: Label
    plural: Label


class TenantConfig(Strict):
    """The whole configuration: ``PUT`` replaces it (absent fields take their defaults)."""

    branding: Branding = Field(default_factory=Branding)
    labels: StatusLabels = Field(default_factory=StatusLabels)
    nouns: dict[NounEntity, Noun] = Field(
        default_factory=dict, description="Record names on screen; absent ones keep the default"
    )
    lead_sources: list[Choice] = Field(default_factory=list, max_length=100)
    business_types: list[Choice] = Field(default_factory=list, max_length=100)
    currency: Currency = Field(default="USD", description="ISO 4217 code")
    date_format: DateFormat = "MM/DD/YYYY"
    features: dict[Feature, StrictBool] = Field(
        default_factory=dict, description="Absent features are on"
    )

    @field_validator("lead_sources", "business_types")
    @classmethod
    def _distinct(cls, values: list[str]) -> list[str]:
        folded = [v.casefold() for v in values]
        if len(set(folded)) != len(folded):
            raise ValueError("must not repeat a value")
        return values
