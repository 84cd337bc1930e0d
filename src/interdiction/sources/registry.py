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

# What each rule means, for people reading `lists sources`.
OWNERSHIP_RULES: dict[str, str] = {
    "ofac-50": "blocked if listed persons own 50% or more, in aggregate, directly or "
    "indirectly (OFAC FAQ 398-401, 2014 guidance); control alone does not block",
    "eu-uk-majority-or-control": "frozen if a listed person owns more than 50% or controls "
    "it (EU Council Best Practices on restrictive measures, ownership and control; UK OFSI "
    "general guidance, ownership and control)",
    "none": "no ownership rule attached to the listing",
}


@dataclass(frozen=True)
class ListFormat:
    """Another published format of the same list, readable by another reader."""

    reader: str
    urls: dict[str, str] = field(default_factory=dict)
    note: str = ""


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
    # Other formats of the same list (read when loaded; `lists update` fetches reader/urls).
    alternatives: tuple[ListFormat, ...] = ()

    def formats(self) -> tuple[ListFormat, ...]:
        """Every readable format, the preferred (downloaded) one first."""
        return (ListFormat(self.reader, dict(self.urls)), *self.alternatives)


OFAC_EXPORTS = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports"

SOURCES: tuple[ListSource, ...] = (
    ListSource(
        dataset="us_ofac_sdn",
        title="OFAC Specially Designated Nationals and Blocked Persons List (SDN)",
        authority="US Treasury, Office of Foreign Assets Control",
        country="us",
        reader="ofac-xml",
        ownership_rule="ofac-50",
        urls={"primary": f"{OFAC_EXPORTS}/SDN_ADVANCED.XML"},
        homepage="https://ofac.treasury.gov/specially-designated-nationals-and-blocked-persons-list-sdn-human-readable-lists",
        notes="The advanced XML is preferred: it carries names in their own scripts, whole "
        "remarks and typed relationships; the legacy CSV truncates remarks at 1,000 characters.",
        alternatives=(
            ListFormat(
                "ofac-csv",
                {
                    "primary": f"{OFAC_EXPORTS}/SDN.CSV",
                    "alias": f"{OFAC_EXPORTS}/ALT.CSV",
                    "address": f"{OFAC_EXPORTS}/ADD.CSV",
                    "comments": f"{OFAC_EXPORTS}/SDN_COMMENTS.CSV",
                },
                "legacy CSV: the fallback; no non-Latin names, remarks cut at 1,000 characters",
            ),
            ListFormat(
                "ofac-xml",
                {"primary": f"{OFAC_EXPORTS}/SDN_ENHANCED.XML"},
                "enhanced XML: the newer schema, same content as the advanced XML",
            ),
        ),
    ),
    ListSource(
        dataset="us_ofac_cons",
        title="OFAC Consolidated Sanctions List (non-SDN: SSI, CMIC, NS-MBS, FSE, PLC...)",
        authority="US Treasury, Office of Foreign Assets Control",
        country="us",
        reader="ofac-xml",
        ownership_rule="none",
        blocking=False,
        urls={"primary": f"{OFAC_EXPORTS}/CONS_ADVANCED.XML"},
        homepage="https://ofac.treasury.gov/consolidated-sanctions-list-non-sdn-lists",
        notes="Entries here are not blocked property; the 50% rule does not apply to them.",
        alternatives=(
            ListFormat(
                "ofac-csv",
                {
                    "primary": f"{OFAC_EXPORTS}/CONS_PRIM.CSV",
                    "alias": f"{OFAC_EXPORTS}/CONS_ALT.CSV",
                    "address": f"{OFAC_EXPORTS}/CONS_ADD.CSV",
                    "comments": f"{OFAC_EXPORTS}/CONS_COMMENTS.CSV",
                },
                "legacy CSV: the fallback",
            ),
            ListFormat(
                "ofac-xml",
                {"primary": f"{OFAC_EXPORTS}/CONS_ENHANCED.XML"},
                "enhanced XML: the newer schema",
            ),
        ),
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
        dataset="eu_fsf",
        title="EU Financial Sanctions Files: consolidated list of persons, groups and entities",
        authority="European Union (Council of the EU; European Commission, FPI)",
        country="eu",
        reader="eu-xml",
        ownership_rule="eu-uk-majority-or-control",
        urls={
            "primary": "https://webgate.ec.europa.eu/fsd/fsf/public/files/"
            "xmlFullSanctionsList_1_1/content?token=dG9rZW4tMjAxNw"
        },
        homepage="https://data.europa.eu/data/datasets/consolidated-list-of-persons-groups-and-entities-subject-to-eu-financial-sanctions",
        notes="Carries the UN reference of UN-derived listings (unitedNationId).",
    ),
    ListSource(
        dataset="gb_hmt_sanctions",
        title="UK OFSI Consolidated List of Financial Sanctions Targets (ConList.csv)",
        authority="UK HM Treasury, Office of Financial Sanctions Implementation (OFSI)",
        country="gb",
        reader="uk-ofsi-csv",
        ownership_rule="eu-uk-majority-or-control",
        urls={
            "primary": "https://ofsistorage.blob.core.windows.net/publishlive/2022format/ConList.csv"
        },
        homepage="https://www.gov.uk/government/publications/financial-sanctions-consolidated-list-of-targets",
        notes="OFSI announced that the FCDO UK Sanctions List replaces this list; that format "
        "(UK ids such as DPR0001) is not read yet (no sample to test it on).",
    ),
    ListSource(
        dataset="ca_dfatd_sema_sanctions",
        title="Canada Consolidated Autonomous Sanctions List (SEMA, JVCFOA)",
        authority="Global Affairs Canada",
        country="ca",
        reader="ca-sema-xml",
        ownership_rule="none",
        urls={
            "primary": "https://www.international.gc.ca/world-monde/assets/office_docs/"
            "international_relations-relations_internationales/sanctions/sema-lmes.xml"
        },
        homepage="https://www.international.gc.ca/world-monde/international_relations-relations_internationales/sanctions/consolidated-consolide.aspx",
        notes="No ownership percentage rule is published; dealing in property a listed person "
        "owns, holds or controls is prohibited. UN listings are implemented separately.",
    ),
    ListSource(
        dataset="au_dfat_sanctions",
        title="Australia DFAT Consolidated List",
        authority="Australia, Department of Foreign Affairs and Trade (DFAT)",
        country="au",
        reader="au-dfat-xlsx",
        ownership_rule="none",
        urls={
            "primary": "https://www.dfat.gov.au/sites/default/files/regulation8_consolidated.xlsx"
        },
        homepage="https://www.dfat.gov.au/international-relations/security/sanctions/consolidated-list",
        notes="No ownership percentage rule is published; assets owned or controlled by a "
        "designated person are controlled assets. Lists UN (by committee) and autonomous "
        "designations.",
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
    ("ofac-xml", "us_ofac_sdn"): {"primary": "sdn_advanced.xml"},
    ("ofac-xml", "us_ofac_cons"): {"primary": "cons_advanced.xml"},
    ("eu-xml", "eu_fsf"): {"primary": "eu_fsf.xml"},
    ("uk-ofsi-csv", "gb_hmt_sanctions"): {"primary": "ConList.csv"},
    ("ca-sema-xml", "ca_dfatd_sema_sanctions"): {"primary": "sema-lmes.xml"},
    ("au-dfat-xlsx", "au_dfat_sanctions"): {"primary": "regulation8_consolidated.xlsx"},
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


def file_name(source: ListSource, role: str, reader: str | None = None) -> str:
    """The local name a downloaded file gets: the name its reader recognises."""
    key = (reader or source.reader, source.dataset)
    return FILE_NAMES.get(key, {}).get(role, f"{source.dataset}-{role}")


def download_format(source: ListSource, overrides: dict[str, str]) -> tuple[str, dict[str, str]]:
    """(reader, role -> URL) that `lists update` fetches: the preferred format, unless URL
    overrides (configuration, for mirrors and tests) name the roles of another format."""
    if overrides:
        for fmt in source.formats():
            if set(overrides) <= set(fmt.urls) and set(fmt.urls) - set(overrides) == set():
                return fmt.reader, dict(overrides)
        for fmt in source.formats():
            if set(overrides) <= set(fmt.urls):
                return fmt.reader, {**fmt.urls, **overrides}
    return source.reader, dict(source.urls)
