-- Retention (ADR 0017): how long an organisation's audit events are kept, and where a pruned chain now starts.

-- Days of audit history a plan keeps; an organisation may override it. NULL on an organisation follows its plan;
-- NULL on a plan (a custom plan made before this migration) takes the built-in default of 7 years.
ALTER TABLE plans ADD COLUMN audit_retention_days INTEGER NULL;
ALTER TABLE organisations ADD COLUMN audit_retention_days INTEGER NULL;
UPDATE plans SET audit_retention_days = 365 WHERE id = 'starter';
UPDATE plans SET audit_retention_days = 1095 WHERE id = 'pro';
UPDATE plans SET audit_retention_days = 2557 WHERE id = 'enterprise';

-- One row per pruned chain: the last pruned event (seq, hash: the chain head at the cut) and how many were pruned in
-- all. An export starts with it, so the chain verifies from the checkpoint instead of from genesis.
CREATE TABLE audit_checkpoints (
    org_id       TEXT    NOT NULL PRIMARY KEY,
    seq          BIGINT NOT NULL,
    head_hash    TEXT    NOT NULL,
    pruned_count BIGINT NOT NULL,
    pruned_at    TEXT    NOT NULL
);

-- Offboarding: while these are set the organisation is blocked and its export offered; after delete_after its data is
-- deleted. Sortable UTC text, like every time column.
ALTER TABLE organisations ADD COLUMN offboarding_requested_at TEXT NULL;
ALTER TABLE organisations ADD COLUMN offboarding_delete_after TEXT NULL;

-- What is kept of a deleted organisation: its id, when, and the final head of its audit chain
-- (the receipt on the platform chain records the same). No name, no member, nothing personal.
CREATE TABLE organisation_tombstones (
    org_id          TEXT    NOT NULL PRIMARY KEY,
    requested_at    TEXT    NOT NULL,
    deleted_at      TEXT    NOT NULL,
    final_seq       BIGINT NOT NULL,
    final_head_hash TEXT    NOT NULL
);
