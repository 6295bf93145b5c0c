-- Data-subject requests (issue 14 §3): access and erasure of one person in one organisation, run by the
-- privacy-requests job so that a request survives a restart (pending and running ones are picked up again).

-- member_id and emails name the person, resolved when the request is filed so that an erasure interrupted after the
-- member was removed still finds every key and row; an erasure clears both in the transaction that erases.
-- erased_seq/erased_hash: the organisation's chain head right after the erasure's own audit event (the receipt's).
CREATE TABLE privacy_requests (
    id           TEXT   NOT NULL PRIMARY KEY,
    org_id       TEXT   NOT NULL,
    kind         TEXT   NOT NULL,
    member_id    TEXT   NULL,
    emails       TEXT   NULL,
    status       TEXT   NOT NULL,
    created_at   TEXT   NOT NULL,
    updated_at   TEXT   NOT NULL,
    completed_at TEXT   NULL,
    error        TEXT   NULL,
    erased       TEXT   NULL,
    erased_seq   BIGINT NULL,
    erased_hash  TEXT   NULL,
    receipt      TEXT   NULL
);

CREATE INDEX privacy_requests_by_status ON privacy_requests (status, created_at);
