-- On Orleans: membership replaced the node registry and one activation per organisation replaced the leases between
-- nodes. What each silo publishes for the dashboard moves to its own table, keyed by silo name.

DROP TABLE leases;
DROP TABLE nodes;

CREATE TABLE silo_stats (
    silo_name  TEXT NOT NULL PRIMARY KEY,
    stats      TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
