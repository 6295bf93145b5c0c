-- Taskee as a token issuer: its signing keys, refresh token families, the Data Protection key ring shared by every
-- silo, and a case-insensitive lookup of members by e-mail (sign-in links a person to a member by e-mail).

-- One key per generation: silos that rotate at the same moment insert one row, the others find it.
-- private_key is PKCS#8 protected with ASP.NET Data Protection (base64), never the plain key.
CREATE TABLE issuer_keys (
    kid             TEXT    NOT NULL PRIMARY KEY,
    generation      INTEGER  NOT NULL UNIQUE,
    algorithm       TEXT    NOT NULL,
    public_jwk      TEXT    NOT NULL,
    private_key     TEXT    NOT NULL,
    created_at      TEXT    NOT NULL,
    signs_from      TEXT    NOT NULL,
    signs_until     TEXT    NOT NULL,
    published_until TEXT    NOT NULL
);

-- A sign-in starts a family; each refresh replaces its token by the next one. Reuse of a used token revokes the family.
CREATE TABLE refresh_families (
    id             TEXT NOT NULL PRIMARY KEY,
    org_id         TEXT NOT NULL,
    member_id      TEXT NOT NULL,
    amr            TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    expires_at     TEXT NOT NULL,
    revoked_at     TEXT NULL,
    revoked_reason TEXT NULL
);
CREATE INDEX refresh_families_member ON refresh_families (org_id, member_id);
CREATE INDEX refresh_families_expires ON refresh_families (expires_at);

-- Only the SHA-256 of a refresh token is kept; used_at is set once, by a conditional UPDATE.
CREATE TABLE refresh_tokens (
    token_hash TEXT NOT NULL PRIMARY KEY,
    family_id  TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT NULL
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

-- ASP.NET Data Protection's key ring (IXmlRepository): one XML element per key, encrypted when a key-encryption key is set.
CREATE TABLE data_protection_keys (
    name       TEXT NOT NULL PRIMARY KEY,
    xml        TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE INDEX members_email ON members (org_id, lower(email));
