-- Identity: API key rotation and last use, custom roles per organisation, per-organisation SSO issuers.

ALTER TABLE api_keys ADD COLUMN previous_secret_hash TEXT NULL;
ALTER TABLE api_keys ADD COLUMN previous_valid_until TEXT NULL;
ALTER TABLE api_keys ADD COLUMN last_used_at TEXT NULL;

CREATE TABLE org_roles (
    org_id      TEXT NOT NULL,
    role        TEXT NOT NULL,
    permissions TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (org_id, role)
);

-- One issuer belongs to one organisation: a token of that issuer can act on that organisation only.
CREATE TABLE org_sso (
    org_id      TEXT NOT NULL PRIMARY KEY,
    issuer      TEXT NOT NULL UNIQUE,
    audience    TEXT NOT NULL,
    org_claim   TEXT NULL,
    roles_claim TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
