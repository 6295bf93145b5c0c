-- OIDC sign-in per organisation: the organisation's client at its SSO issuer and how its people become members.
-- client_id NULL: no OIDC sign-in (the issuer still vouches for bearer tokens). The secret is stored as Data Protection
-- protected it, never in clear.

ALTER TABLE org_sso ADD COLUMN client_id        TEXT NULL;
ALTER TABLE org_sso ADD COLUMN client_secret    TEXT NULL;
ALTER TABLE org_sso ADD COLUMN groups_claim     TEXT NOT NULL DEFAULT 'groups';
ALTER TABLE org_sso ADD COLUMN group_roles      TEXT NOT NULL DEFAULT '{}';
ALTER TABLE org_sso ADD COLUMN default_role     TEXT NOT NULL DEFAULT 'member';
ALTER TABLE org_sso ADD COLUMN jit_provisioning INTEGER NOT NULL DEFAULT 1;
ALTER TABLE org_sso ADD COLUMN scopes           TEXT NOT NULL DEFAULT 'openid email profile';
