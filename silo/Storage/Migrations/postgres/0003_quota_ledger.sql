-- The quota ledger: totals per counter, one lease per holder, idempotent consumes, threshold events, members.

ALTER TABLE plans ADD COLUMN policies TEXT NOT NULL DEFAULT '{}';

CREATE TABLE usage (
    org_id   TEXT    NOT NULL,
    metric   TEXT    NOT NULL,
    period   TEXT    NOT NULL,
    consumed BIGINT  NOT NULL,
    leased   BIGINT  NOT NULL,
    PRIMARY KEY (org_id, metric, period)
);

-- A holder (one node process) has at most one lease per counter; epoch tells one grant from the next.
CREATE TABLE leases (
    org_id     TEXT    NOT NULL,
    metric     TEXT    NOT NULL,
    period     TEXT    NOT NULL,
    holder     TEXT    NOT NULL,
    epoch      BIGINT  NOT NULL,
    amount     BIGINT  NOT NULL,
    expires_at TEXT    NOT NULL,
    PRIMARY KEY (org_id, metric, period, holder)
);
CREATE INDEX leases_expires ON leases (expires_at);

CREATE TABLE consume_keys (
    org_id          TEXT    NOT NULL,
    idempotency_key TEXT    NOT NULL,
    metric          TEXT    NOT NULL,
    amount          BIGINT  NOT NULL,
    allowed         BIGINT  NOT NULL,
    created_at      TEXT    NOT NULL,
    PRIMARY KEY (org_id, idempotency_key)
);
CREATE INDEX consume_keys_created ON consume_keys (created_at);

-- 75, 90 and 100 percent events are written once per organisation, metric and period.
CREATE TABLE quota_thresholds (
    org_id    TEXT    NOT NULL,
    metric    TEXT    NOT NULL,
    period    TEXT    NOT NULL,
    threshold BIGINT  NOT NULL,
    PRIMARY KEY (org_id, metric, period, threshold)
);

CREATE TABLE members (
    org_id   TEXT NOT NULL,
    user_id  TEXT NOT NULL,
    email    TEXT NOT NULL,
    role     TEXT NOT NULL,
    added_at TEXT NOT NULL,
    PRIMARY KEY (org_id, user_id)
);
