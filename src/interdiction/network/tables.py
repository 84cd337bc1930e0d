"""The network capability's own tables (component ``network``).

- ``network_scores``: proximity scores (personalised PageRank) per graph and seed set, so
  that queries read them instead of recomputing (one row per entity and seed set).
- ``resolution_judgements``: the judgement graph of entity resolution: one row per decided
  pair (positive / negative / unsure), who decided, on what evidence; retracted rows stay.
- ``resolution_queue``: candidate pairs awaiting review, with their score and evidence.
- ``resolution_log``: every merge and split applied to ``statements.canonical_id``, so a
  merge can be undone and audited.
"""

from __future__ import annotations

from interdiction.store.schema import TableSchema

NETWORK = TableSchema(
    component="network",
    steps=(
        (
            1,
            (
                """CREATE TABLE IF NOT EXISTS network_scores (
                    graph_key VARCHAR NOT NULL,
                    seed_key VARCHAR NOT NULL,
                    seeds VARCHAR NOT NULL,
                    entity_id VARCHAR NOT NULL,
                    score DOUBLE NOT NULL,
                    percentile DOUBLE NOT NULL,
                    computed_at TIMESTAMP NOT NULL)""",
                """CREATE TABLE IF NOT EXISTS resolution_judgements (
                    left_id VARCHAR NOT NULL,
                    right_id VARCHAR NOT NULL,
                    judgement VARCHAR NOT NULL,
                    score DOUBLE,
                    keys JSON,
                    evidence JSON,
                    reason VARCHAR,
                    decided_by VARCHAR NOT NULL,
                    auto BOOLEAN NOT NULL,
                    decided_at TIMESTAMP NOT NULL,
                    retracted_at TIMESTAMP)""",
                """CREATE TABLE IF NOT EXISTS resolution_queue (
                    left_id VARCHAR NOT NULL,
                    right_id VARCHAR NOT NULL,
                    score DOUBLE NOT NULL,
                    strong BOOLEAN NOT NULL,
                    keys JSON NOT NULL,
                    evidence JSON NOT NULL,
                    source VARCHAR NOT NULL,
                    created_at TIMESTAMP NOT NULL,
                    PRIMARY KEY (left_id, right_id))""",
                """CREATE TABLE IF NOT EXISTS resolution_log (
                    id VARCHAR PRIMARY KEY,
                    action VARCHAR NOT NULL,
                    canonical_id VARCHAR NOT NULL,
                    members JSON NOT NULL,
                    previous JSON NOT NULL,
                    judgement JSON,
                    decided_by VARCHAR NOT NULL,
                    logged_at TIMESTAMP NOT NULL)""",
            ),
        ),
    ),
)
