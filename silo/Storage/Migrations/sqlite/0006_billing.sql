-- Billing: Stripe price ids per plan, billing facts per organisation, received Stripe events, the organisation
-- each Stripe object belongs to, and a lease per scheduled billing job.

ALTER TABLE plans ADD COLUMN stripe_price_ids TEXT NOT NULL DEFAULT '[]';

-- billing: the organisation's Stripe facts (compact JSON); the two columns beside it are what is searched by.
ALTER TABLE organisations ADD COLUMN billing TEXT NULL;
ALTER TABLE organisations ADD COLUMN stripe_customer_id TEXT NULL;
ALTER TABLE organisations ADD COLUMN billing_due_at TEXT NULL;
CREATE UNIQUE INDEX organisations_stripe_customer ON organisations (stripe_customer_id);
CREATE INDEX organisations_billing_due ON organisations (billing_due_at);

-- Every Stripe event received, once per id, stored before the delivery is acknowledged.
CREATE TABLE stripe_events (
    id              TEXT    NOT NULL PRIMARY KEY,
    type            TEXT    NOT NULL,
    created_at      TEXT    NOT NULL,
    payload         TEXT    NOT NULL,
    customer_id     TEXT    NULL,
    status          TEXT    NOT NULL,
    attempts        INTEGER NOT NULL,
    received_at     TEXT    NOT NULL,
    next_attempt_at TEXT    NOT NULL,
    locked_by       TEXT    NULL,
    locked_until    TEXT    NULL,
    processed_at    TEXT    NULL,
    org_id          TEXT    NULL,
    detail          TEXT    NULL,
    waiting_for     TEXT    NULL
);
CREATE INDEX stripe_events_due ON stripe_events (status, next_attempt_at);
-- An unmatched event waits for the Stripe object (customer, charge) whose link to an organisation would place it.
CREATE INDEX stripe_events_waiting ON stripe_events (waiting_for, status);

CREATE TABLE stripe_links (
    object_id  TEXT NOT NULL PRIMARY KEY,
    org_id     TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE billing_jobs (
    name            TEXT NOT NULL PRIMARY KEY,
    last_started_at TEXT NOT NULL
);
