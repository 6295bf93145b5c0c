-- Customer imports submitted over HTTP (issue 15 §5): the job, its input and the outcome of each row.

-- One row per POST /v1/imports. The counts are the rows recorded in import_rows so far (updated with them in one
-- transaction). locked_by / locked_until is the claim of the node running it: a node killed mid-import stops
-- extending it, and once it ran out another run (on any node, or the same one restarted) resumes the job.
CREATE TABLE imports (
    id              TEXT   NOT NULL PRIMARY KEY,
    status          TEXT   NOT NULL,
    dry_run         BIGINT NOT NULL,
    format          TEXT   NOT NULL,
    input_bytes     BIGINT NOT NULL,
    total_rows      BIGINT NOT NULL,
    rows_created    BIGINT NOT NULL,
    rows_updated    BIGINT NOT NULL,
    rows_unchanged  BIGINT NOT NULL,
    rows_rejected   BIGINT NOT NULL,
    created_by      TEXT   NOT NULL,
    created_at      TEXT   NOT NULL,
    started_at      TEXT   NULL,
    finished_at     TEXT   NULL,
    error           TEXT   NULL,
    locked_by       TEXT   NULL,
    locked_until    TEXT   NULL
);

CREATE INDEX imports_unfinished ON imports (status, created_at);

-- The uploaded file in chunks of at most 1 MiB, so neither the upload nor the run holds it in memory; dropped when
-- the job ends (the per-row results are the report).
CREATE TABLE import_input (
    import_id TEXT   NOT NULL,
    seq       BIGINT NOT NULL,
    data      BLOB   NOT NULL,
    PRIMARY KEY (import_id, seq)
);

-- Each row's outcome, once: the key is the job and the file's line, so a resumed run records nothing twice.
CREATE TABLE import_rows (
    import_id TEXT   NOT NULL,
    line      BIGINT NOT NULL,
    outcome   TEXT   NOT NULL,
    reason    TEXT   NULL,
    PRIMARY KEY (import_id, line)
);
