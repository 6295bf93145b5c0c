-- Privacy (ADR 0011): a key per person per audit chain, under which the personal fields of audit events are sealed
-- (destroying it forgets the person and leaves the hash chain intact), and data-subject requests (access, erasure).

-- wrapped_key is the person's AES-256 key wrapped under Privacy:KeyEncryptionKey or Data Protection, never in clear.
-- Destroying a key clears wrapped_key and subject_id; the row stays as the record of when it was destroyed.
CREATE TABLE privacy_subject_keys (
    id           TEXT NOT NULL PRIMARY KEY,
    org_id       TEXT NOT NULL,
    subject_id   TEXT NULL,
    wrapped_key  TEXT NULL,
    created_at   TEXT NOT NULL,
    destroyed_at TEXT NULL,
    UNIQUE (org_id, subject_id)
);

-- A request runs as a job: pending, running (claimed until locked_until), then completed or failed. org_id NULL is a
-- platform request across organisations. subject_value and identifiers are cleared when an erasure completes.
CREATE TABLE privacy_requests (
    id            TEXT    NOT NULL PRIMARY KEY,
    org_id        TEXT    NULL,
    kind          TEXT    NOT NULL,
    subject_kind  TEXT    NOT NULL,
    subject_value TEXT    NULL,
    identifiers   TEXT    NULL,
    status        TEXT    NOT NULL,
    filed_at      TEXT    NOT NULL,
    filed_by      TEXT    NOT NULL,
    attempts      INTEGER NOT NULL,
    locked_until  TEXT    NULL,
    completed_at  TEXT    NULL,
    result        TEXT    NULL,
    receipt       TEXT    NULL,
    detail        TEXT    NULL
);
CREATE INDEX privacy_requests_status ON privacy_requests (status, filed_at);
CREATE INDEX privacy_requests_org ON privacy_requests (org_id, filed_at);
