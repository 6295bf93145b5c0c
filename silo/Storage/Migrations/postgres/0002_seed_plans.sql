-- The public plans. Limits: ai_calls per billing period, storage_bytes and seats as levels.
INSERT INTO plans (id, name, custom, limits, features, version) VALUES
    ('starter', 'Starter', 0, '{"ai_calls":1000,"seats":10,"storage_bytes":5368709120}', '[]', 1),
    ('pro', 'Pro', 0, '{"ai_calls":20000,"seats":50,"storage_bytes":107374182400}', '["advanced_reports","api_access"]', 1),
    ('enterprise', 'Enterprise', 0, '{"ai_calls":250000,"seats":1000,"storage_bytes":1099511627776}',
     '["advanced_reports","api_access","audit_export","custom_roles","scim","sso"]', 1);

INSERT INTO audit_chains (chain_id, seq, head_hash)
VALUES ('_platform', 0, '0000000000000000000000000000000000000000000000000000000000000000');
