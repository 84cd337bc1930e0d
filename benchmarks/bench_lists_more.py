"""Reading the lists of issue 8 in full: OFAC advanced and enhanced XML, EU, UK, Canada,
Australia, and the DPRK reconciliation.

Our figure reads every field of a real file into FtM statements with provenance (records per
second, peak memory); beside it, the same file parsed by the standard tool alone
(``xml.etree.ElementTree.parse`` and a walk over every element; ``csv.reader``; openpyxl's
read-only row iteration), which extracts no facts and bounds how fast the bytes can be read.
Each case also reports what the file holds once read: entities, names, names in non-Latin
scripts, identifiers, UN references and relations (the counts issue 8 asks for).
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from benchmarks.harness import REPO, SHARED, Context, measure, per_second

LISTS = SHARED / "sanctions"
FILES = {
    "ofac_cons_advanced_2020": LISTS / "ofac_xml" / "ofac_cons_advanced_2020-03-17.xml",
    "ofac_cons_enhanced_2025": LISTS / "ofac_xml" / "ofac_cons_enhanced_2025-01-10.xml",
    "eu_extract_mixed7_2020": LISTS / "eu" / "eu_fsf_xml_2020-04-15_extract_mixed7.xml",
    "eu_extract_irq7_2020": LISTS / "eu" / "eu_fsf_xml_2020-04-15_extract_IRQ7.xml",
    "uk_conlist_2020_full": LISTS / "uk" / "ofsi_conlist_2020-04-27_full.csv",
    "uk_conlist_2022_extract": LISTS / "uk" / "ofsi_conlist_2022format_extract23.csv",
    "ca_sema_2020": LISTS / "ca_au" / "ca_sema_lmes_2020-04-15.xml",
    "au_dfat_2024": LISTS / "ca_au" / "au_dfat_regulation8_consolidated_2024-11-11.xlsx",
}
NAME_PROPS = ("name", "alias", "weakAlias", "previousName")
ID_PROPS = {
    "passportNumber", "idNumber", "taxNumber", "registrationNumber", "imoNumber", "mmsi",
    "innCode", "ogrnCode", "okpoCode", "leiCode", "swiftBic", "uscCode", "isinCode",
    "bikCode", "vatCode", "socialSecurityNumber", "dunsCode",
}  # fmt: skip
RELATIONS = {
    "Ownership", "UnknownLink", "Representation", "Directorship", "Family", "Membership",
    "Associate",
}  # fmt: skip


def non_latin(value: str) -> bool:
    """A name written (at least partly) in a script other than Latin."""
    return any(c.isalpha() and ord(c) > 0x24F for c in value)


def summary(batch: Any) -> dict[str, Any]:
    names = non_latin_names = identifiers = un_refs = 0
    schemas: dict[str, int] = {}
    for entity_id in batch.targets:
        entity = batch.entities[entity_id]
        schemas[entity.schema.name] = schemas.get(entity.schema.name, 0) + 1
        for stmt in entity.statements:
            if stmt.prop in NAME_PROPS:
                names += 1
                non_latin_names += non_latin(stmt.value)
            elif stmt.prop in ID_PROPS:
                identifiers += 1
    relations = 0
    for entity in batch.entities.values():
        if entity.schema.name in RELATIONS:
            relations += 1
        elif entity.schema.name == "Sanction":
            un_refs += len(entity.get("unscId", quiet=True))
    return {
        "entities": len(batch.targets),
        "by_schema": schemas,
        "names": names,
        "non_latin_names": non_latin_names,
        "identifiers": identifiers,
        "un_references": un_refs,
        "relations": relations,
        "quarantined": sum(1 for i in batch.issues if i.level == "quarantined"),
        "warnings": sum(1 for i in batch.issues if i.level == "warning"),
    }


def _read(path: Path) -> dict[str, Any]:
    """Read one file; the one-off start-up (imports, rigour's country-name index, about 6 s
    in a fresh process) is timed apart, so that records/s is the reader's own."""
    import time

    started = time.perf_counter()
    from interdiction.sources.base import Batch
    from interdiction.sources.countries import clean_country
    from interdiction.sources.load import plan

    clean_country("Russia")
    warmup = time.perf_counter() - started
    started = time.perf_counter()
    item = plan([path])[0]
    batch = Batch.for_fileset(item.fileset)
    item.reader.read(item.fileset, batch, lambda _: None)
    seconds = time.perf_counter() - started
    out = summary(batch)
    out["seconds"] = round(seconds, 4)
    out["startup_seconds"] = round(warmup, 3)
    out["records"] = out["entities"]
    out["reader"] = item.reader.name
    out["dataset"] = item.fileset.dataset
    return out


def _etree(path: Path, record: str) -> dict[str, Any]:
    root = ET.parse(path).getroot()
    records = 0
    for node in root.iter():
        if node.tag.rsplit("}", 1)[-1] == record:
            records += 1
    return {"records": records}


def _csv(path: Path) -> dict[str, Any]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    rows = list(csv.reader(io.StringIO(text, newline="")))[2:]
    return {"records": len({r[-1] for r in rows if r})}


def _openpyxl(path: Path) -> dict[str, Any]:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = sum(1 for row in book.worksheets[0].iter_rows(values_only=True) if row[0] is not None)
    book.close()
    return {"records": rows}


BASELINES = {
    "ofac_cons_advanced_2020": lambda p: _etree(p, "DistinctParty"),
    "ofac_cons_enhanced_2025": lambda p: _etree(p, "entity"),
    "eu_extract_mixed7_2020": lambda p: _etree(p, "sanctionEntity"),
    "eu_extract_irq7_2020": lambda p: _etree(p, "sanctionEntity"),
    "uk_conlist_2020_full": _csv,
    "uk_conlist_2022_extract": _csv,
    "ca_sema_2020": lambda p: _etree(p, "record"),
    "au_dfat_2024": _openpyxl,
}
BASELINE_NAMES = {
    "uk_conlist_2020_full": "csv.reader (baseline; records = Group IDs)",
    "uk_conlist_2022_extract": "csv.reader (baseline; records = Group IDs)",
    "au_dfat_2024": "openpyxl read-only rows (baseline; records = rows)",
}


def _reconcile(db: Path) -> dict[str, Any]:
    from interdiction.report.reconcile import reconcile
    from interdiction.sources import load_paths
    from interdiction.store import Store

    bundle = REPO / "data" / "lists"
    with Store.open(db, threads=1) as store:
        load_paths(store, [bundle / "bundle", bundle / "more"])
    import time

    started = time.perf_counter()
    with Store.open(db, read_only=True, threads=1) as store:
        report = reconcile(store)
    elapsed = time.perf_counter() - started
    return {
        "records": len(report["designations"]),
        "reconcile_seconds": round(elapsed, 3),
        "summary": {e["dataset"]: e["summary"] for e in report["lists"]},
    }


def run(ctx: Context) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for name, path in FILES.items():
        if not path.exists():
            ctx.notes.append(f"{path} not found: {name} skipped")
            continue
        baseline = BASELINE_NAMES.get(name, "ElementTree parse + walk (baseline)")
        for case, fn in (
            (f"{name} {baseline}", lambda p=path, n=name: BASELINES[n](p)),
            (f"{name} read into FtM statements", lambda p=path: _read(p)),
        ):
            result = measure(fn)
            if "records" in result:
                result["records_per_s"] = per_second(result["records"], result["seconds"])
            out.append({"case": case, "file": path.name, "bytes": path.stat().st_size, **result})
    result = measure(lambda: _reconcile(ctx.tmp / "reconcile.duckdb"))
    out.append({"case": "DPRK reconciliation on the bundled lists (load + report)", **result})
    ctx.notes.append(
        "Each case in a fresh forked process: peak_rss_mb includes the interpreter and the "
        "modules it imported (rss_at_start_mb). Record counts: XML records, UK Group IDs, "
        "Australian rows for the openpyxl baseline (targets for our reader)."
    )
    ctx.notes.append("Compare figures within one run: a baseline always runs beside its figure.")
    return out
