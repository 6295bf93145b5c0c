-- A won quote becomes an onboarding organisation (issue 15 §4): the quote's decision, the organisation it created (on the
-- quote and on its lead), the onboarding that started with it, and the checklist steps seen done.

ALTER TABLE quotes ADD COLUMN status TEXT NOT NULL DEFAULT 'open';
ALTER TABLE quotes ADD COLUMN decided_at TEXT NULL;
ALTER TABLE quotes ADD COLUMN organisation_id TEXT NULL;

ALTER TABLE leads ADD COLUMN organisation_id TEXT NULL;

-- One row per organisation created from a won quote, written with the quote's decision: a quote and a lead each become at
-- most one organisation (the unique keys hold when two silos race). provisioned_at is null until the plan, the
-- organisation and the lead's stage are all in place; the onboarding-provisioning job finishes any left half-way.
CREATE TABLE onboardings (
    org_id         TEXT NOT NULL PRIMARY KEY,
    quote_id       TEXT NOT NULL UNIQUE,
    lead_id        TEXT NOT NULL UNIQUE,
    plan_id        TEXT NOT NULL,
    started_at     TEXT NOT NULL,
    provisioned_at TEXT NULL
);

CREATE INDEX onboardings_unprovisioned ON onboardings (provisioned_at, started_at);

-- Checklist steps once seen done (derived from the organisation's state) or ticked by hand: when, and how.
CREATE TABLE onboarding_steps (
    org_id  TEXT NOT NULL,
    step    TEXT NOT NULL,
    done_at TEXT NOT NULL,
    manual  BIGINT NOT NULL,
    PRIMARY KEY (org_id, step)
);
