"""The OFAC legacy CSV remarks field, declared as data: which phrase carries which fact.

A remark is a ``;``-separated run of phrases such as ``DOB 10 Dec 1948``, ``alt. Passport
PS123 (Korea, North) issued 01 Jan 2010``, ``Vessel Registration Identification IMO 9179842``
or ``Linked To: KOREA ACHIM SHIPPING CO``. ``RULES`` maps each known phrase to what it means
in FtM; the reader applies them. A phrase no rule knows (most are positions and titles, such as
``Minister of Defense``) stays in the entity's ``notes``, which always hold the whole remark,
so nothing in the list is lost. Phrases and their counts were read off the real SDN files of
2021-07-07 and 2024-05-03 and the consolidated list of 2025-12-19.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal[
    "prop",  # a plain value on the entity
    "date",  # a date value on the entity (ranges give both ends)
    "country",  # a country on the entity
    "identifier",  # a document or register number: "<number> (<country>) issued .. expires .."
    "imo",  # an IMO number, validated (ship scheme for vessels, company scheme otherwise)
    "mmsi",
    "phone",
    "alias",  # a.k.a. / f.k.a. / n.k.a. 'NAME': in remarks these are OFAC's weak aliases
    "link",  # Linked To: NAME
    "wallet",  # Digital Currency Address - XBT <address>
    "provision",  # sanction provisions: secondary sanctions, directives, prohibitions
    "note",  # known, kept only in notes (fax numbers, free text)
]


@dataclass(frozen=True)
class Rule:
    phrase: str
    kind: Kind
    prop: str | None = None
    # For identifiers: the document type label and whether it is a personal document that
    # gets its own FtM Identification/Passport entity (as OpenSanctions does).
    doc_type: str | None = None
    document: bool = False
    # The schema an entity must have for the property (Company-only codes upgrade it).
    schema: str | None = None


def _ids(prop: str, document: bool, schema: str | None, *phrases: str) -> list[Rule]:
    return [
        Rule(
            p, "identifier", prop=prop, doc_type=p.rstrip(" .#:"), document=document, schema=schema
        )
        for p in phrases
    ]


RULES: list[Rule] = [
    Rule("DOB", "date", "birthDate"),
    Rule("POB", "prop", "birthPlace"),
    Rule("nationality", "country", "nationality"),
    Rule("Nationality of Registration", "country", "jurisdiction"),
    Rule("citizen", "country", "citizenship"),
    Rule("Gender", "prop", "gender"),
    Rule("Position:", "prop", "position"),
    Rule("Title", "prop", "position"),
    Rule("Email Address", "prop", "email"),
    Rule("Website", "prop", "website"),
    Rule("Phone Number", "phone", "phone"),
    Rule("Telephone No.", "phone", "phone"),
    Rule("Telephone", "phone", "phone"),
    Rule("PHONE", "phone", "phone"),
    Rule("Fax:", "note"),
    Rule("Fax", "note"),
    Rule("FAX", "note"),
    Rule("Organization Established Date", "date", "incorporationDate"),
    Rule("Organization Type:", "prop", "sector"),
    Rule("Target Type", "prop", "classification"),
    Rule("a.k.a.", "alias", "weakAlias"),
    Rule("n.k.a.", "alias", "weakAlias"),
    Rule("f.k.a.", "alias", "previousName"),
    Rule("Linked To:", "link"),
    Rule("Digital Currency Address -", "wallet"),
    # Vessels and aircraft
    Rule("Vessel Registration Identification", "imo", "imoNumber"),
    Rule("Identification Number IMO", "imo", "imoNumber"),
    Rule("International Maritime Organization No.", "imo", "imoNumber"),
    Rule("MMSI", "mmsi", "mmsi"),
    Rule("Other Vessel Call Sign", "prop", "callSign"),
    Rule("Other Vessel Flag", "country", "pastFlags"),
    Rule("Former Vessel Flag", "country", "pastFlags"),
    Rule("Other Vessel Type", "prop", "pastTypes"),
    Rule("Vessel Year of Build", "date", "buildDate"),
    Rule("Aircraft Construction Number (also called L/N or S/N or F/N)", "prop", "serialNumber"),
    Rule("Aircraft Manufacturer's Serial Number (MSN)", "prop", "serialNumber"),
    Rule("Aircraft Manufacture Date", "date", "buildDate"),
    Rule("Aircraft Model", "prop", "model"),
    Rule("Aircraft Tail Number", "prop", "registrationNumber"),
    Rule("Previous Aircraft Tail Number", "prop", "registrationNumber"),
    Rule("Aircraft Operator", "note"),
    Rule("Aircraft Mode S Transponder Code", "note"),
    # Sanction provisions (on the Sanction entity)
    Rule("Secondary sanctions risk:", "provision"),
    Rule("Additional Sanctions Information -", "provision"),
    Rule(
        "Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions:",
        "provision",
    ),
    Rule("Executive Order 13662 Directive Determination -", "provision"),
    Rule("Executive Order 13846 information:", "provision"),
    Rule("Executive Order 14024 Directive Information", "provision"),
    Rule("Executive Order 14014 Directive Information:", "provision"),
    Rule("Executive Order 14059 information:", "provision"),
    Rule("PEESA Information:", "provision"),
    Rule("Listing Date (", "provision"),
    Rule("Effective Date (", "provision"),
    Rule("IFCA Determination -", "provision"),
    Rule("CAATSA Section 235 Information:", "provision"),
    Rule("Purchase/Sales For Divestment Date (CMIC):", "provision"),
    Rule("Purchase/Sales For Divestment Date (CMIC)", "provision"),
    Rule("Effective Date (CMIC):", "provision"),
    Rule("Listing Date (CMIC):", "provision"),
    # Company codes that FtM keeps on Company
    Rule("BIK (RU)", "identifier", "bikCode", doc_type="BIK", schema="Company"),
    Rule("ISIN", "identifier", "isinCode", doc_type="ISIN", schema="Company"),
    Rule("Equity Ticker", "identifier", "ticker", doc_type="Equity Ticker", schema="Company"),
    Rule("Issuer Name", "note"),
    Rule("SWIFT/BIC", "identifier", "swiftBic", doc_type="SWIFT/BIC"),
    Rule("Legal Entity Number", "identifier", "leiCode", doc_type="LEI"),
    Rule("D-U-N-S Number", "identifier", "dunsCode", doc_type="D-U-N-S"),
    Rule("Unified Social Credit Code (USCC)", "identifier", "uscCode", doc_type="USCC"),
    Rule("United Social Credit Code Certificate (USCCC)", "identifier", "uscCode", doc_type="USCC"),
    Rule("Government Gazette Number", "identifier", "okpoCode", doc_type="OKPO"),
    Rule("V.A.T. Number", "identifier", "vatCode", doc_type="VAT"),
    *_ids(
        "passportNumber",
        True,
        None,
        "Passport",
        "Diplomatic Passport",
        "Stateless Person Passport",
        "U.S.A. Passport",
    ),
    *_ids(
        "idNumber",
        True,
        None,
        "National ID No.",
        "Identification Number",
        "Personal ID Card",
        "Cedula No.",
        "C.U.R.P. #",
        "C.U.R.P.",
        "D.N.I.",
        "Tazkira National ID Card",
        "Kenyan ID No.",
        "Turkish Identification Number",
        "Citizen's Card Number",
        "Travel Document Number",
        "Birth Certificate Number",
        "Residency Number",
        "Electoral Registry No.",
        "Credencial electoral",
        "I.F.E.",
        "Refugee ID Card",
        "Driver's License No.",
        "Pilot License Number",
        "Moroccan Personal ID No.",
        "UAE Identification",
        "Numero de Identidad",
        "Public Security and Immigration No.",
        "Immigration No.",
        "VisaNumberID",
        "Cartilla de Servicio Militar Nacional",
        "C.U.I.P.",
        "C.U.I.",
        "Romanian Permanent Resident CAN",
        "Permit Number",
        "SRE Permit No.",
        "Serial No.",
        "File Number",
    ),
    *_ids("socialSecurityNumber", True, None, "SSN"),
    *_ids(
        "taxNumber",
        False,
        None,
        "Tax ID No.",
        "R.F.C.",
        "RFC",
        "NIT #",
        "RUC #",
        "C.U.I.T.",
        "RTN",
        "US FEIN",
        "Paraguayan tax identification number",
        "C.I.F.",
        "Italian Fiscal Code",
        "Numero Unico de Identificacao Tributaria (NUIT)",
    ),
    *_ids(
        "registrationNumber",
        False,
        None,
        "Registration ID",
        "Registration Number",
        "Public Registration Number",
        "Company Number",
        "UK Company Number",
        "Commercial Registry Number",
        "Business Registration Document #",
        "Business Registration Number",
        "Certificate of Incorporation Number",
        "Chamber of Commerce Number",
        "Istanbul Chamber of Comm. No.",
        "Dubai Chamber of Commerce Membership No.",
        "Trade License No.",
        "License",
        "Matricula Mercantil No",
        "Folio Mercantil No.",
        "C.R. No.",
        "Enterprise Number",
        "Branch Unit Number",
        "Central Registration System Number",
        "Economic Register Number (CBLS)",
        "Registered Charity No.",
        "LE Number",
        "Afghan Money Service Provider License Number",
    ),
]

# Longest phrase first, so "Passport" does not swallow "Diplomatic Passport" and
# "Telephone" does not swallow "Telephone No.".
_ORDERED = sorted(RULES, key=lambda r: len(r.phrase), reverse=True)
_BY_PHRASE = {r.phrase: r for r in RULES}
PHRASE_RE = re.compile(
    r"^(?:alt\.\s+)?(?P<phrase>"
    + "|".join(re.escape(r.phrase) for r in _ORDERED)
    + r")(?:(?<=[:(#.-])|(?=[\s:]|$))\s*:?\s*(?P<value>.*)$",
    re.DOTALL,
)
SPLIT_RE = re.compile(r";\s*")


@dataclass(frozen=True)
class Phrase:
    text: str
    rule: Rule | None
    value: str


def split_remarks(remarks: str) -> list[Phrase]:
    """Phrases of a remark with the rule each matches (None: free text, kept in notes)."""
    out: list[Phrase] = []
    for raw in SPLIT_RE.split(remarks.strip()):
        text = raw.strip()
        if text.endswith("."):
            text = text[:-1].rstrip()
        if not text:
            continue
        match = PHRASE_RE.match(text)
        if match is None:
            out.append(Phrase(text, None, text))
            continue
        out.append(Phrase(text, _BY_PHRASE[match.group("phrase")], match.group("value").strip()))
    return out


QUOTED = re.compile(r"^'(?P<name>.*?)'?$", re.DOTALL)


def unquote(value: str) -> str:
    match = QUOTED.match(value.strip())
    return (match.group("name") if match else value).strip()


IDENTIFIER_RE = re.compile(
    r"^(?P<number>.*?)\s*"
    r"(?:\((?P<country>[^()]+)\))?\s*"
    r"(?:issued\s+(?P<issued>(?:\d{1,2}\s+)?(?:[A-Za-z]{3}\s+)?\d{4}))?\s*"
    r"(?:(?:in\s+[^;]*?)\s*)?"
    r"(?:(?:expires|expiring|expiration date|expire)\s+"
    r"(?P<expires>(?:\d{1,2}\s+)?(?:[A-Za-z]{3}\s+)?\d{4}))?"
    r"\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class IdentifierValue:
    number: str
    country: str | None
    issued: str | None
    expires: str | None


def parse_identifier(value: str) -> IdentifierValue | None:
    """``PS123 (Korea, North) issued 01 Jan 2010 expires 01 Jan 2015`` into its parts."""
    value = value.strip().lstrip("#").strip()
    value = re.sub(r"^(?:No\.?|Number)\s+", "", value)
    match = IDENTIFIER_RE.match(value)
    if match is None or not match.group("number"):
        return None
    number = match.group("number").strip().rstrip(",")
    if not number:
        return None
    return IdentifierValue(
        number=number,
        country=match.group("country"),
        issued=match.group("issued"),
        expires=match.group("expires"),
    )


WALLET_RE = re.compile(r"^(?P<currency>[A-Z0-9]{2,6})\s+(?P<address>\S+)$")
