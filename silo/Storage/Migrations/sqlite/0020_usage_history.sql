-- Daily usage per organisation and metric (issue 16), for the console's charts. Written by the organisation grain when it
-- writes its consumption (its flush timer and deactivation), never per consume. day is the UTC date (yyyy-MM-dd);
-- amount is, for ai_calls, the units used that day, and for the gauges (storage_bytes, seats) the day's highest level
-- at the grain's flushes.
-- Kept this simple on purpose: retention prunes it by day.
CREATE TABLE usage_history (
    org_id TEXT   NOT NULL,
    metric TEXT   NOT NULL,
    day    TEXT   NOT NULL,
    amount BIGINT NOT NULL,
    PRIMARY KEY (org_id, metric, day)
);

CREATE INDEX usage_history_day ON usage_history (day);
