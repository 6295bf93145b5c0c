-- Ops: each node's latest figures with its heartbeat, and health samples for SLA reports.

ALTER TABLE nodes ADD COLUMN stats TEXT NULL;

-- One row per node per sample interval: was it ready, how many requests, how many answered 5xx.
CREATE TABLE health_samples (
    node_id  TEXT    NOT NULL,
    at       TEXT    NOT NULL,
    ready    INTEGER NOT NULL,
    requests INTEGER NOT NULL,
    errors   INTEGER NOT NULL,
    PRIMARY KEY (node_id, at)
);
CREATE INDEX health_samples_at ON health_samples (at);

-- Per organisation and node, per sample interval with traffic: its product API requests, errors and latency.
CREATE TABLE org_samples (
    org_id         TEXT    NOT NULL,
    node_id        TEXT    NOT NULL,
    at             TEXT    NOT NULL,
    requests       INTEGER NOT NULL,
    errors         INTEGER NOT NULL,
    latency_sum_us INTEGER NOT NULL,
    latency_max_us INTEGER NOT NULL,
    PRIMARY KEY (org_id, node_id, at)
);
