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

-- The price book of the pricing calculator, by version (never changed once stored); the newest is current. A quote names
-- the version it was calculated with. Version 1 is the opening offer; platform admins add versions through the API.
CREATE TABLE price_books (
    version    BIGINT NOT NULL PRIMARY KEY,
    book       TEXT   NOT NULL,
    created_at TEXT   NOT NULL
);

INSERT INTO price_books (version, book, created_at) VALUES (1,
    '{"Currency":"EUR","VatPercent":21,"Plans":{"pro":{"SeatPriceCents":900,"IncludedAiCalls":5000,"IncludedStorageGb":50,"ExtraAiCallsPer1000Cents":300,"ExtraStoragePer100GbCents":1200},"enterprise":{"SeatPriceCents":1500,"IncludedAiCalls":20000,"IncludedStorageGb":250,"ExtraAiCallsPer1000Cents":250,"ExtraStoragePer100GbCents":1000}},"AddOnSeatPriceCents":{"scim":100,"sso":200},"SlaTierMonthlyCents":{"none":0,"business":25000,"premium":75000},"TermDiscountPercent":{"1":0,"2":5,"3":10},"VolumeTiers":[{"MinSeats":100,"DiscountPercent":5},{"MinSeats":500,"DiscountPercent":10}]}',
    '2026-12-01T00:00:00.000Z');

-- Saved quotes: numbered per lead (Q-<year>-<n>), each new quote for the lead the next version of its number, with the
-- inputs, the priced lines and totals as answered, the price book version used and the date it is valid until.
CREATE TABLE quotes (
    id                 TEXT   NOT NULL PRIMARY KEY,
    number             TEXT   NOT NULL,
    version            BIGINT NOT NULL,
    lead_id            TEXT   NOT NULL,
    input              TEXT   NOT NULL,
    result             TEXT   NOT NULL,
    price_book_version BIGINT NOT NULL,
    valid_until        TEXT   NOT NULL,
    created_at         TEXT   NOT NULL,
    UNIQUE (number, version)
);

CREATE INDEX quotes_by_lead ON quotes (lead_id, version);
