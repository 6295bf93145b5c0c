-- SAML 2.0 sign-in per organisation: the identity provider's settings, the AuthnRequests sent and not yet answered,
-- and the assertions already used. The last two live in the database, not in memory, because the IdP's answer may
-- land on another silo than the one that sent the request.

CREATE TABLE org_saml (
    org_id              TEXT NOT NULL PRIMARY KEY,
    idp_entity_id       TEXT NOT NULL,
    idp_sso_url         TEXT NOT NULL,
    idp_certificates    TEXT NOT NULL,  -- JSON array of PEM certificates (one, or two during a rotation)
    email_attribute     TEXT NULL,
    roles_attribute     TEXT NULL,
    group_roles         TEXT NOT NULL,  -- JSON object: group -> role
    default_role        TEXT NOT NULL,
    allow_idp_initiated BIGINT NOT NULL,
    jit_provisioning    BIGINT NOT NULL,
    updated_at          TEXT NOT NULL
);

-- An AuthnRequest this node sent: its ID comes back as InResponseTo, and is usable once, before expires_at.
CREATE TABLE saml_requests (
    request_id TEXT NOT NULL PRIMARY KEY,
    org_id     TEXT NOT NULL,
    return_to  TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX ix_saml_requests_expires ON saml_requests (expires_at);

-- Assertion IDs already accepted, kept until the assertion could no longer be accepted anyway (its NotOnOrAfter).
CREATE TABLE saml_assertions (
    org_id       TEXT NOT NULL,
    assertion_id TEXT NOT NULL,
    keep_until   TEXT NOT NULL,
    PRIMARY KEY (org_id, assertion_id)
);
CREATE INDEX ix_saml_assertions_keep ON saml_assertions (keep_until);
