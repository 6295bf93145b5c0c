-- Organisations, the plan catalog, global flags, the audit chain, API keys and idempotency records.
-- Times are UTC text "yyyy-MM-ddTHH:mm:ss.fffZ" (sortable as text); JSON columns are compact text.

CREATE TABLE organisations (
    id                TEXT    NOT NULL PRIMARY KEY,
    name              TEXT    NOT NULL,
    plan_id           TEXT    NOT NULL,
    status            TEXT    NOT NULL,
    limit_overrides   TEXT    NOT NULL,
    feature_overrides TEXT    NOT NULL,
    billing_anchor    TEXT    NULL,
    version           BIGINT  NOT NULL,
    created_at        TEXT    NOT NULL,
    updated_at        TEXT    NOT NULL
);

CREATE TABLE plans (
    id       TEXT    NOT NULL PRIMARY KEY,
    name     TEXT    NOT NULL,
    custom   BIGINT  NOT NULL,
    limits   TEXT    NOT NULL,
    features TEXT    NOT NULL,
    version  BIGINT  NOT NULL
);

CREATE TABLE flags (
    key                  TEXT    NOT NULL PRIMARY KEY,
    enabled              BIGINT  NOT NULL,
    rollout_basis_points BIGINT  NOT NULL,
    plans                TEXT    NOT NULL,
    allow_list           TEXT    NOT NULL,
    deny_list            TEXT    NOT NULL,
    version              BIGINT  NOT NULL
);

-- One row; bumped by every plan or flag change so every node agrees on the catalog's version.
CREATE TABLE catalog_version (
    id      BIGINT NOT NULL PRIMARY KEY,
    version BIGINT  NOT NULL
);
INSERT INTO catalog_version (id, version) VALUES (1, 1);

CREATE TABLE audit_chains (
    chain_id  TEXT    NOT NULL PRIMARY KEY,
    seq       BIGINT  NOT NULL,
    head_hash TEXT    NOT NULL
);

CREATE TABLE audit_events (
    org_id      TEXT    NOT NULL,
    seq         BIGINT  NOT NULL,
    id          TEXT    NOT NULL,
    at          TEXT    NOT NULL,
    actor_kind  TEXT    NOT NULL,
    actor_id    TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    target      TEXT    NOT NULL,
    before_json TEXT    NULL,
    after_json  TEXT    NULL,
    request_id  TEXT    NULL,
    ip          TEXT    NULL,
    prev_hash   TEXT    NOT NULL,
    hash        TEXT    NOT NULL,
    PRIMARY KEY (org_id, seq)
);
CREATE UNIQUE INDEX audit_events_id ON audit_events (id);

CREATE TABLE api_keys (
    id          TEXT NOT NULL PRIMARY KEY,
    org_id      TEXT NULL,
    name        TEXT NOT NULL,
    scopes      TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NULL,
    revoked_at  TEXT NULL
);
CREATE INDEX api_keys_org ON api_keys (org_id);

CREATE TABLE idempotency_keys (
    scope        TEXT    NOT NULL,
    key          TEXT    NOT NULL,
    request_hash TEXT    NOT NULL,
    status_code  BIGINT  NULL,
    content_type TEXT    NULL,
    etag         TEXT    NULL,
    location     TEXT    NULL,
    body         BYTEA   NULL,
    created_at   TEXT    NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
