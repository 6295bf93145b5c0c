-- Sales intake: leads from the public /enterprise form, the stages sales moves them through, and the outbox that hands
-- them to the CRM. Contact details live in the lead row only; audit events record the lead id and non-personal fields.

CREATE TABLE leads (
    id                TEXT   NOT NULL PRIMARY KEY,
    created_at        TEXT   NOT NULL,
    -- The form's answers apart from the contact (LeadAnswers), compact JSON.
    answers           TEXT   NOT NULL,
    contact_name      TEXT   NOT NULL,
    contact_email     TEXT   NOT NULL,
    contact_phone     TEXT   NULL,
    language          TEXT   NOT NULL,
    -- The consent to be contacted exactly as shown: its version and text, and when it was given.
    consent_version   TEXT   NOT NULL,
    consent_text      TEXT   NOT NULL,
    consent_at        TEXT   NOT NULL,
    qualified         BIGINT NOT NULL,
    score             BIGINT NOT NULL,
    reasons           TEXT   NOT NULL,
    status            TEXT   NOT NULL,
    owner             TEXT   NULL,
    notes             TEXT   NULL,
    version           BIGINT NOT NULL,
    updated_at        TEXT   NOT NULL,
    -- The CRM's id of the lead (HubSpot: the deal) once a hand-off succeeded.
    crm_id            TEXT   NULL,
    crm_synced_at     TEXT   NULL
);

CREATE INDEX leads_by_status ON leads (status, id);

-- Time in each stage (for time-to-contract): one row per stage entered; left_at is null for the current one.
CREATE TABLE lead_status_history (
    lead_id    TEXT   NOT NULL,
    seq        BIGINT NOT NULL,
    status     TEXT   NOT NULL,
    entered_at TEXT   NOT NULL,
    left_at    TEXT   NULL,
    PRIMARY KEY (lead_id, seq)
);

-- Hand-offs to the CRM, committed with the lead change that caused them and delivered by the crm-outbox job: claimed by
-- one node (locked_by/locked_until), retried with back-off until delivered, never deleted before.
CREATE TABLE crm_outbox (
    id              TEXT   NOT NULL PRIMARY KEY,
    lead_id         TEXT   NOT NULL,
    reason          TEXT   NOT NULL,
    created_at      TEXT   NOT NULL,
    attempts        BIGINT NOT NULL,
    next_attempt_at TEXT   NOT NULL,
    locked_by       TEXT   NULL,
    locked_until    TEXT   NULL,
    delivered_at    TEXT   NULL,
    last_error      TEXT   NULL
);

CREATE INDEX crm_outbox_pending ON crm_outbox (delivered_at, next_attempt_at);
CREATE INDEX crm_outbox_by_lead ON crm_outbox (lead_id, id);
