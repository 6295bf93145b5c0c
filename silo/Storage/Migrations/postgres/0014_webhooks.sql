-- Outgoing webhooks: an organisation's endpoints (URL, event filter, signing secrets) and the delivery queue of each.
-- An endpoint delivers its organisation's audit chain in order: cursor_seq is the last event it has finished with
-- (delivered, skipped by the filter, or given up on); only the endpoint's own grain writes the queue columns.

CREATE TABLE webhook_endpoints (
    id                         TEXT    NOT NULL PRIMARY KEY,
    org_id                     TEXT    NOT NULL,
    url                        TEXT    NOT NULL,
    -- JSON array of exact event types and prefixes ("org.*", "*").
    events                     TEXT    NOT NULL,
    description                TEXT    NULL,
    enabled                    BIGINT  NOT NULL,
    -- Why delivery stopped when the service disabled it (retry window exhausted); null when an admin did, or enabled.
    disabled_reason            TEXT    NULL,
    -- Signing secrets protected with Data Protection; the previous one signs beside the current until it expires.
    secret                     TEXT    NOT NULL,
    previous_secret            TEXT    NULL,
    previous_secret_expires_at TEXT    NULL,
    version                    BIGINT  NOT NULL,
    created_at                 TEXT    NOT NULL,
    updated_at                 TEXT    NOT NULL,
    -- The delivery queue.
    cursor_seq                 BIGINT  NOT NULL,
    head_attempts              BIGINT  NOT NULL DEFAULT 0,
    failing_since              TEXT    NULL,
    next_attempt_at            TEXT    NULL,
    last_delivery_at           TEXT    NULL,
    last_status_code           BIGINT  NULL,
    -- Outcome of the queue's last attempt (succeeded, failed, timeout, refused, blocked), for the dashboard.
    last_outcome               TEXT    NULL,
    -- Consecutive failed attempts of the queue; 0 after a success.
    failure_streak             BIGINT  NOT NULL DEFAULT 0,
    -- After a replay: events up to this position are sent again (their attempts say trigger 'replay').
    replay_through_seq         BIGINT  NULL
);

CREATE INDEX webhook_endpoints_by_org ON webhook_endpoints (org_id, created_at);

-- One row per attempt to deliver a message; the message id (the webhook-id header) is stable across its attempts.
CREATE TABLE webhook_deliveries (
    id               TEXT    NOT NULL PRIMARY KEY,
    webhook_id       TEXT    NOT NULL,
    org_id           TEXT    NOT NULL,
    message_id       TEXT    NOT NULL,
    event_type       TEXT    NOT NULL,
    -- The audit event delivered; null for a webhook.test message.
    event_id         TEXT    NULL,
    event_seq        BIGINT  NULL,
    attempt          BIGINT  NOT NULL,
    -- What caused the attempt: log, retry, redeliver, replay, test.
    trigger_kind     TEXT    NOT NULL,
    at               TEXT    NOT NULL,
    -- succeeded, failed (non-2xx), timeout, refused (no connection), blocked (target not allowed).
    outcome          TEXT    NOT NULL,
    status_code      BIGINT  NULL,
    latency_ms       BIGINT  NOT NULL,
    response_excerpt TEXT    NULL,
    error            TEXT    NULL,
    next_attempt_at  TEXT    NULL
);

CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (webhook_id, id);
