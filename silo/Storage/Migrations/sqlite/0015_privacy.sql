-- Privacy (ADR 0011): a key per person per audit chain, under which the personal fields of audit events are sealed
-- (destroying it forgets the person and leaves the hash chain intact).

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
