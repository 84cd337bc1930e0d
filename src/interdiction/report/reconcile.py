"""Which UN designations appear on the national lists, and how we know each one.

For every UN Security Council designation under a program (the DPRK list by default), every
other loaded list is searched, strongest evidence first, and the method is kept with the
result so that a monitor can check it:

1. ``UN reference``: the national record carries the UN reference number (the EU's
   ``unitedNationId``, the UK's "UN Ref" in Other Information; ``Sanction.unscId``).
2. ``identifier``: the same IMO number (ship or company), or the same passport or national
   id number (people only), compared without spaces and punctuation.
3. ``name + birth date`` (people): a name or alias that is the same once case, accents,
   punctuation and word order are set aside, and a birth date that agrees (equal, or the
   more precise date falls inside the less precise one: ``1966`` and ``1966-01-20``).
4. ``name`` (organisations, ships): a name or alias that is the same as above.

Weaker evidence is reported as ``possible``, never as listed, with what is missing or what
disagrees: a person matched by name with no birth date on one side (``name, no birth date
to compare``), or whose birth dates differ (``name, birth date differs``: the dates are
shown, since lists disagree on dates by a day or a year as often as they list another man
of the same name), and an organisation whose name matches once legal forms (Corporation,
Company, Ltd) and ``Korean``/``Korea`` are set aside (``similar name``). A designation the
UN made after a list's publication date is
``after list date``: its absence says nothing about that list. A list that is not loaded is
``not loaded``, never ``not found``. Every result names the national entities and values it
rests on; the report draws no conclusion beyond them.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from interdiction.sources.registry import REGISTRY
from interdiction.store import Store, lists_in_use

UN_DATASET = "un_sc_sanctions"
# The lists a DPRK reconciliation is about (issue 8): shown even when not loaded.
# Other loaded lists are compared when asked for (``lists``).
DEFAULT_LISTS = ("us_ofac_sdn", "eu_fsf", "gb_hmt_sanctions", "au_dfat_sanctions")
NAME_PROPS = ("name", "alias", "weakAlias", "previousName")
ID_PROPS = ("passportNumber", "idNumber", "imoNumber")
PROPS = (*NAME_PROPS, *ID_PROPS, "birthDate", "program")
PARENTHESES = re.compile(r"\([^)]*\)")
NON_WORD = re.compile(r"[\W_]+", re.UNICODE)

LISTED, POSSIBLE, NOT_FOUND, AFTER, NOT_LOADED = (
    "listed",
    "possible",
    "not found",
    "after list date",
    "not loaded",
)
METHOD_ORDER = (
    "UN reference",
    "identifier",
    "name + birth date",
    "name",
    "name, no birth date to compare",
    "name, birth date differs",
    "similar name",
)
GENERIC_WORDS = {
    "corporation",
    "corp",
    "company",
    "co",
    "limited",
    "ltd",
    "llc",
    "inc",
    "the",
    "of",
    "and",
    "general",
    "group",
    "jsc",
    "plc",
    "sa",
}
WORD_VARIANTS = {"korean": "korea"}


@dataclass
class Record:
    entity_id: str
    schema: str
    names: set[str] = field(default_factory=set)
    birth_dates: set[str] = field(default_factory=set)
    identifiers: dict[str, str] = field(default_factory=dict)  # normalised -> as written
    un_refs: set[str] = field(default_factory=set)
    programs: set[str] = field(default_factory=set)
    listed: str | None = None

    @property
    def person(self) -> bool:
        return self.schema == "Person"

    @property
    def caption(self) -> str:
        return sorted(self.names, key=lambda n: (len(n), n))[0] if self.names else self.entity_id


@dataclass
class Finding:
    status: str
    method: str | None = None
    entity_ids: list[str] = field(default_factory=list)
    evidence: str | None = None
    programs: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "method": self.method,
            "entity_ids": self.entity_ids,
            "evidence": self.evidence,
            "programs": self.programs,
        }


def name_keys(name: str) -> set[str]:
    """Comparison keys of a name: letters in order, and words in sorted order (``KIM Jong
    Un``, ``Kim, Jong-un`` and ``Jong Un KIM`` share one), with and without parentheses."""
    keys: set[str] = set()
    for variant in {name, PARENTHESES.sub(" ", name)}:
        text = unicodedata.normalize("NFKD", variant)
        text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
        words = [w for w in NON_WORD.split(text.replace("-", "")) if w]
        if words:
            keys.add("".join(words))
            keys.add(" ".join(sorted(words)))
    return keys


def core_key(name: str) -> str | None:
    """A name without legal forms and generic words: ``HESONG TRADING COMPANY`` and ``Hesong
    Trading Corporation`` share ``hesong trading``. Too weak to list on: for ``possible``."""
    text = unicodedata.normalize("NFKD", PARENTHESES.sub(" ", name))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    words = [WORD_VARIANTS.get(w, w) for w in NON_WORD.split(text.replace("-", "")) if w]
    core = [w for w in words if w not in GENERIC_WORDS]
    return " ".join(sorted(core)) if len(core) >= 2 else None


def id_key(value: str) -> str:
    return re.sub(r"[^0-9A-Za-z]", "", value).upper()


def dates_agree(left: set[str], right: set[str]) -> bool:
    return any(a.startswith(b) or b.startswith(a) for a in left for b in right)


def _records(store: Store, dataset: str) -> dict[str, Record]:
    """The listed (current, not delisted) records of one dataset, with what matching uses."""
    rows = store.con.execute(
        f"""SELECT s.entity_id, e.schema, s.prop, s.value
        FROM statements s JOIN entities e ON e.entity_id = s.entity_id AND e.dataset = s.dataset
        WHERE s.dataset = ? AND s.retired IS NULL AND e.target AND e.delisted IS NULL
          AND s.prop IN ({", ".join("?" for _ in PROPS)})""",
        [dataset, *PROPS],
    ).fetchall()
    records: dict[str, Record] = {}
    for entity_id, schema, prop, value in rows:
        record = records.setdefault(entity_id, Record(entity_id, schema))
        if prop in NAME_PROPS:
            record.names.add(value)
        elif prop == "birthDate":
            record.birth_dates.add(value)
        elif prop == "program":
            record.programs.add(value)
        else:
            record.identifiers[f"{'imo' if prop == 'imoNumber' else 'doc'}:{id_key(value)}"] = (
                f"{prop} {value}"
            )
    sanctions = store.con.execute(
        """SELECT t.value, u.prop, u.value
        FROM statements t JOIN statements u ON u.entity_id = t.entity_id AND u.dataset = t.dataset
        WHERE t.dataset = ? AND t.schema = 'Sanction' AND t.prop = 'entity'
          AND u.prop IN ('unscId', 'listingDate')
          AND t.retired IS NULL AND u.retired IS NULL""",
        [dataset],
    ).fetchall()
    for target, prop, value in sanctions:
        found = records.get(target)
        if found is None:
            continue
        if prop == "unscId":
            found.un_refs.add(value)
        elif found.listed is None or value < found.listed:
            found.listed = value
    return records


class _Index:
    """One national list, indexed by UN reference, identifier and name key."""

    def __init__(self, records: dict[str, Record]) -> None:
        self.records = records
        self.by_ref: dict[str, set[str]] = defaultdict(set)
        self.by_id: dict[str, set[str]] = defaultdict(set)
        self.by_name: dict[str, set[str]] = defaultdict(set)
        self.by_core: dict[str, set[str]] = defaultdict(set)
        for record in records.values():
            for ref in record.un_refs:
                self.by_ref[ref].add(record.entity_id)
            for key in record.identifiers:
                self.by_id[key].add(record.entity_id)
            for name in record.names:
                for key in name_keys(name):
                    self.by_name[key].add(record.entity_id)
                if not record.person and (core := core_key(name)):
                    self.by_core[core].add(record.entity_id)

    def find(self, un: Record, ref: str) -> Finding:
        if found := self.by_ref.get(ref):
            return self._finding(LISTED, "UN reference", found, f"carries UN reference {ref}")
        for key, written in un.identifiers.items():
            if key.startswith("doc:") and not un.person:
                continue
            hits = {
                e
                for e in self.by_id.get(key, set())
                if key.startswith("imo:") or self.records[e].person
            }
            if hits:
                return self._finding(LISTED, "identifier", hits, f"same {written}")
        candidates: set[str] = set()
        for name in un.names:
            for key in name_keys(name):
                candidates |= self.by_name.get(key, set())
        candidates = {c for c in candidates if self.records[c].person == un.person}
        if not candidates:
            return self._similar(un)
        un_keys = {k for n in un.names for k in name_keys(n)}
        shared = sorted(
            {n for c in candidates for n in self.records[c].names if name_keys(n) & un_keys}
        )
        said = "same name " + ", ".join(repr(n) for n in shared[:3])
        if not un.person:
            return self._finding(LISTED, "name", candidates, said)
        dated = {c for c in candidates if self.records[c].birth_dates and un.birth_dates}
        agree = {c for c in dated if dates_agree(un.birth_dates, self.records[c].birth_dates)}
        if agree:
            dates = sorted({d for c in agree for d in self.records[c].birth_dates})
            return self._finding(
                LISTED, "name + birth date", agree, f"{said}; birth date {', '.join(dates)}"
            )
        undated = candidates - dated
        if undated:
            side = "the UN record" if not un.birth_dates else "this list"
            return self._finding(
                POSSIBLE,
                "name, no birth date to compare",
                undated,
                f"{said}; {side} gives no birth date",
            )
        theirs = sorted({d for c in candidates for d in self.records[c].birth_dates})
        return self._finding(
            POSSIBLE,
            "name, birth date differs",
            candidates,
            f"{said}; birth date {', '.join(theirs)} here, "
            f"{', '.join(sorted(un.birth_dates))} on the UN list",
        )

    def _similar(self, un: Record) -> Finding:
        if un.person:
            return Finding(NOT_FOUND)
        hits: set[str] = set()
        cores = {c for c in (core_key(n) for n in un.names) if c}
        for core in cores:
            hits |= {h for h in self.by_core.get(core, set()) if not self.records[h].person}
        if not hits:
            return Finding(NOT_FOUND)
        similar = sorted({n for h in hits for n in self.records[h].names if core_key(n) in cores})
        return self._finding(
            POSSIBLE,
            "similar name",
            hits,
            "similar name " + ", ".join(repr(n) for n in similar[:3]) + " (legal forms aside)",
        )

    def _finding(self, status: str, method: str, ids: set[str], evidence: str) -> Finding:
        ordered = sorted(ids)
        programs = sorted({p for e in ordered for p in self.records[e].programs})
        names = "; ".join(f"{e} ({self.records[e].caption})" for e in ordered)
        return Finding(status, method, ordered, f"{names}: {evidence}", programs)


def reconcile(
    store: Store, program: str = "DPRK", lists: list[str] | None = None
) -> dict[str, Any]:
    """The reconciliation table: one row per UN designation, one finding per list."""
    versions = {v.name: v for v in lists_in_use(store)}
    if UN_DATASET not in versions:
        raise LookupError(f"the UN list ({UN_DATASET}) is not loaded: nothing to reconcile")
    chosen = list(lists) if lists else list(DEFAULT_LISTS)
    un_records = {eid: r for eid, r in _records(store, UN_DATASET).items() if program in r.programs}
    indexes: dict[str, _Index] = {}
    for dataset in chosen:
        if dataset in versions:
            indexes[dataset] = _Index(_records(store, dataset))
    rows: list[dict[str, Any]] = []
    summary: dict[str, dict[str, int]] = {d: defaultdict(int) for d in chosen}
    for eid, un in sorted(un_records.items(), key=lambda kv: _ref_of(kv[1], kv[0])):
        ref = _ref_of(un, eid)
        findings: dict[str, Finding] = {}
        for dataset in chosen:
            index = indexes.get(dataset)
            if index is None:
                finding = Finding(NOT_LOADED)
            else:
                finding = index.find(un, ref)
                published = versions[dataset].published
                if (
                    finding.status == NOT_FOUND
                    and un.listed
                    and un.listed > f"{published:%Y-%m-%d}"
                ):
                    finding.status = AFTER
                    finding.evidence = (
                        f"UN listing {un.listed} is after this list's publication "
                        f"{published:%Y-%m-%d}"
                        + (f"; {finding.evidence}" if finding.evidence else "")
                    )
            findings[dataset] = finding
            summary[dataset][finding.status] += 1
            if finding.status in (LISTED, POSSIBLE) and finding.method:
                summary[dataset][f"{finding.status} by {finding.method}"] += 1
        rows.append(
            {
                "un_reference": ref,
                "un_entity_id": eid,
                "name": _primary_name(store, eid, un),
                "schema": un.schema,
                "un_listed": un.listed,
                "findings": {d: f.to_dict() for d, f in findings.items()},
            }
        )
    cited = _cited_elsewhere(indexes, {_ref_of(r, e) for e, r in un_records.items()}, program)
    return {
        "program": program,
        "un_list": versions[UN_DATASET].to_dict(),
        "lists": [
            {
                "dataset": d,
                "loaded": d in versions,
                "published": versions[d].published.isoformat() if d in versions else None,
                "version": versions[d].version if d in versions else None,
                "authority": REGISTRY[d].authority if d in REGISTRY else None,
                "targets": len(indexes[d].records) if d in indexes else 0,
                "summary": dict(summary[d]),
            }
            for d in chosen
        ],
        "designations": rows,
        "cited_not_on_un_list": cited,
        "methods": list(METHOD_ORDER),
    }


def _ref_of(record: Record, entity_id: str) -> str:
    return sorted(record.un_refs)[0] if record.un_refs else entity_id.removeprefix("unsc-")


def _primary_name(store: Store, entity_id: str, record: Record) -> str:
    row = store.con.execute(
        """SELECT value FROM statements WHERE entity_id = ? AND dataset = ? AND prop = 'name'
        AND retired IS NULL ORDER BY value LIMIT 1""",
        [entity_id, UN_DATASET],
    ).fetchall()
    return str(row[0][0]) if row else record.caption


def _cited_elsewhere(
    indexes: dict[str, _Index], un_refs: set[str], program: str
) -> list[dict[str, Any]]:
    """National records citing a UN reference of this program that the UN list does not
    hold: delisted by the UN since, listed after the UN file's date, or a typo."""
    prefix = "KP" if program == "DPRK" else ""
    out: list[dict[str, Any]] = []
    for dataset, index in indexes.items():
        for ref, ids in sorted(index.by_ref.items()):
            if prefix and not ref.startswith(prefix):
                continue
            if ref not in un_refs:
                out.append(
                    {
                        "dataset": dataset,
                        "un_reference": ref,
                        "entity_ids": sorted(ids),
                        "names": sorted({index.records[i].caption for i in ids}),
                    }
                )
    return out


def status_symbol(finding: dict[str, Any]) -> str:
    """A short cell for a table: ``listed: UN reference``, ``possible: name``..."""
    status = str(finding["status"])
    return f"{status}: {finding['method']}" if finding.get("method") else status


def published_date(value: str | None) -> str:
    return datetime.fromisoformat(value).strftime("%Y-%m-%d") if value else ""
