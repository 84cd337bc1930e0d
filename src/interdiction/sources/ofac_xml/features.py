"""What each OFAC XML feature, document type and relationship means, declared as data.

OFAC's legacy CSV is rendered from the same database as its XML: a feature ``Birthdate``
becomes the remark phrase ``DOB 10 Dec 1948``, a document ``Passport 123 (Korea, North)``,
a ``Secondary sanctions risk:`` feature the phrase of that name. So the XML reader renders
each feature and document into that phrase and applies the CSV's own remark table
(``ofac_csv/remarks.py``): one definition of what a phrase means, for both formats, and the
same statements from either. ``PHRASES`` lists only the labels whose phrase differs; facts the
CSV keeps in columns (vessel details) and the XML's own structures (addresses, typed
relationships) are declared here too.
"""

from __future__ import annotations

from dataclasses import dataclass

# XML feature label -> the phrase the legacy CSV remarks use for it.
PHRASES: dict[str, str] = {
    "Birthdate": "DOB",
    "Place of Birth": "POB",
    "Nationality Country": "nationality",
    "Citizenship Country": "citizen",
    "Effective Date (CMIC)": "Effective Date (CMIC):",
    "Listing Date (CMIC)": "Listing Date (CMIC):",
}

# Features the CSV holds in the primary file's columns (vessels), not in remarks.
VESSEL_COLUMNS: dict[str, str] = {
    "Vessel Call Sign": "callSign",
    "VESSEL TYPE": "type",
    "Vessel Type": "type",
    "Vessel Flag": "flag",
    "Vessel Tonnage": "tonnage",
    "Vessel Gross Registered Tonnage": "grossRegisteredTonnage",
}
# A party named by its name, resolved against the list like the CSV's owner column.
OWNER_FEATURES = {"Vessel Owner"}
LOCATION_FEATURE = "Location"

# Alias type -> FtM property (low-quality names are weak aliases whatever their type).
ALIAS_PROPS = {"Name": "alias", "A.K.A.": "alias", "N.K.A.": "alias", "F.K.A.": "previousName"}


@dataclass(frozen=True)
class RelationRule:
    schema: str
    source: str  # the property the party stating the relation (From) fills
    target: str  # the property the related party (To) fills
    role: str  # the property that keeps OFAC's wording


# OFAC relationship types to FtM, as OpenSanctions maps them (us_ofac_sdn.yml "relations").
# "Owned or Controlled By" carries no percentage: it is not evidence of a 50% stake.
RELATIONS: dict[str, RelationRule] = {
    "Associate Of": RelationRule("UnknownLink", "subject", "object", "role"),
    "Providing support to": RelationRule("UnknownLink", "subject", "object", "role"),
    "Acting for or on behalf of": RelationRule("Representation", "agent", "client", "role"),
    "Owned or Controlled By": RelationRule("Ownership", "asset", "owner", "role"),
    "Owns, controls, or operates": RelationRule("Ownership", "owner", "asset", "role"),
    "Property in the interest of": RelationRule("Ownership", "asset", "owner", "role"),
    "Family member of": RelationRule("Family", "person", "relative", "relationship"),
    "Leader or official of": RelationRule("Directorship", "director", "organization", "role"),
    "Principal Executive Officer": RelationRule("Directorship", "director", "organization", "role"),
    "playing a significant role in": RelationRule("Membership", "member", "organization", "role"),
}

# The list every consolidated-file party is also filed under: not a listing of its own.
CONSOLIDATED = "Consolidated List"


def phrase_for(label: str) -> str:
    return PHRASES.get(label, label)
