"""The lists interdiction knows: who publishes each, which ownership rule applies, where the
official files are downloaded from, and which reader reads them.

Dataset names follow OpenSanctions (``us_ofac_sdn``, ``un_sc_sanctions``) so that clients
written for yente find the same names. URLs can be overridden in the configuration
(``[lists.urls.<dataset>]``), for mirrors and for tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

OwnershipRule = Literal["ofac-50", "eu-uk-majority-or-control", "none"]


@dataclass(frozen=True)
class ListSource:
    dataset: str
    title: str
    authority: str
    country: str
    reader: str
    ownership_rule: OwnershipRule
    # role -> official URL of the file
    urls: dict[str, str] = field(default_factory=dict)
    homepage: str = ""
    # Does this list seed a blocking rule? (OFAC's non-SDN lists do not: CMIC has no 50%
    # rule, SSI its own directive rule; OFAC FAQ 398-401.)
    blocking: bool = True
    notes: str = ""


OFAC_EXPORTS = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports"

SOURCES: tuple[ListSource, ...] = (
    ListSource(
        dataset="us_ofac_sdn",
        title="OFAC Specially Designated Nationals and Blocked Persons List (SDN)",
        authority="US Treasury, Office of Foreign Assets Control",
        country="us",
        reader="ofac-csv",
        ownership_rule="ofac-50",
        urls={
            "primary": f"{OFAC_EXPORTS}/SDN.CSV",
            "alias": f"{OFAC_EXPORTS}/ALT.CSV",
            "address": f"{OFAC_EXPORTS}/ADD.CSV",
            "comments": f"{OFAC_EXPORTS}/SDN_COMMENTS.CSV",
        },
        homepage="https://ofac.treasury.gov/specially-designated-nationals-and-blocked-persons-list-sdn-human-readable-lists",
    ),
    ListSource(
        dataset="us_ofac_cons",
        title="OFAC Consolidated Sanctions List (non-SDN: SSI, CMIC, NS-MBS, FSE, PLC...)",
        authority="US Treasury, Office of Foreign Assets Control",
        country="us",
        reader="ofac-csv",
        ownership_rule="none",
        blocking=False,
        urls={
            "primary": f"{OFAC_EXPORTS}/CONS_PRIM.CSV",
            "alias": f"{OFAC_EXPORTS}/CONS_ALT.CSV",
            "address": f"{OFAC_EXPORTS}/CONS_ADD.CSV",
            "comments": f"{OFAC_EXPORTS}/CONS_COMMENTS.CSV",
        },
        homepage="https://ofac.treasury.gov/consolidated-sanctions-list-non-sdn-lists",
        notes="Entries here are not blocked property; the 50% rule does not apply to them.",
    ),
    ListSource(
        dataset="un_sc_sanctions",
        title="UN Security Council Consolidated List",
        authority="United Nations Security Council",
        country="zz",
        reader="un-xml",
        ownership_rule="none",
        urls={"primary": "https://scsanctions.un.org/resources/xml/en/consolidated.xml"},
        homepage="https://main.un.org/securitycouncil/en/content/un-sc-consolidated-list",
        notes="UN measures are implemented through national lists; ownership rules are theirs.",
    ),
    ListSource(
        dataset="us_trade_csl",
        title="US Consolidated Screening List (Commerce BIS, State, Treasury export screening)",
        authority="US International Trade Administration (lists of Commerce, State, Treasury)",
        country="us",
        reader="us-csl",
        ownership_rule="none",
        blocking=False,
        urls={
            "primary": "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"
        },
        homepage="https://www.trade.gov/consolidated-screening-list",
        notes="Export screening: the Entity List and others impose licence requirements, not "
        "blocking; its SDN rows are OFAC's, which seed blocking from us_ofac_sdn itself.",
    ),
)

REGISTRY: dict[str, ListSource] = {source.dataset: source for source in SOURCES}
FILE_NAMES = {
    ("ofac-csv", "us_ofac_sdn"): {
        "primary": "sdn.csv",
        "alias": "alt.csv",
        "address": "add.csv",
        "comments": "sdn_comments.csv",
    },
    ("ofac-csv", "us_ofac_cons"): {
        "primary": "cons_prim.csv",
        "alias": "cons_alt.csv",
        "address": "cons_add.csv",
        "comments": "cons_comments.csv",
    },
    ("un-xml", "un_sc_sanctions"): {"primary": "un_sc_consolidated.xml"},
}


def file_name(source: ListSource, role: str) -> str:
    """The local name a downloaded file gets: the name its reader recognises."""
    return FILE_NAMES.get((source.reader, source.dataset), {}).get(role, f"{source.dataset}-{role}")
