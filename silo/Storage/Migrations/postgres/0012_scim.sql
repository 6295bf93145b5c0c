-- SCIM 2.0 provisioning: an organisation's directory users and groups, and the groups that grant member roles.
-- A SCIM user's id is its member's user id; an active user holds the member row (and so a seat), an inactive one does not.

CREATE TABLE scim_users (
    org_id        TEXT    NOT NULL,
    id            TEXT    NOT NULL,
    user_name     TEXT    NOT NULL,
    -- userName folded to lower case: unique per organisation, compared case-insensitively (RFC 7643 caseExact false).
    user_name_key TEXT    NOT NULL,
    external_id   TEXT    NULL,
    active        BIGINT  NOT NULL,
    -- The role the member falls back to when no mapped group grants one: member, or the role a linked member had.
    base_role     TEXT    NOT NULL,
    attributes    TEXT    NOT NULL,
    version       BIGINT  NOT NULL,
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL,
    PRIMARY KEY (org_id, id),
    UNIQUE (org_id, user_name_key)
);

CREATE TABLE scim_groups (
    org_id       TEXT    NOT NULL,
    id           TEXT    NOT NULL,
    display_name TEXT    NOT NULL,
    external_id  TEXT    NULL,
    version      BIGINT  NOT NULL,
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL,
    PRIMARY KEY (org_id, id)
);

CREATE TABLE scim_group_members (
    org_id   TEXT NOT NULL,
    group_id TEXT NOT NULL,
    user_id  TEXT NOT NULL,
    PRIMARY KEY (org_id, group_id, user_id)
);

CREATE INDEX scim_group_members_by_user ON scim_group_members (org_id, user_id);

-- Set by an organisation admin: members of a group with this display name (compared case-insensitively) get the role.
CREATE TABLE scim_group_roles (
    org_id     TEXT NOT NULL,
    group_key  TEXT NOT NULL,
    group_name TEXT NOT NULL,
    role       TEXT NOT NULL,
    PRIMARY KEY (org_id, group_key)
);
