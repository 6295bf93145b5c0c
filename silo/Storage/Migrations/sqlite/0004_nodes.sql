-- The node registry: every node heartbeats its row; a row older than Cluster:NodeTtl is a dead node.
CREATE TABLE nodes (
    id             TEXT NOT NULL PRIMARY KEY,
    address        TEXT NOT NULL,
    version        TEXT NOT NULL,
    started_at     TEXT NOT NULL,
    last_heartbeat TEXT NOT NULL
);
