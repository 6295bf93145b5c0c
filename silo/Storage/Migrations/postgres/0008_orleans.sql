-- Orleans on PostgreSQL (Microsoft.Orleans.{Clustering,Persistence,Reminders}.AdoNet 10.4.2, invariant "Npgsql"):
-- the OrleansQuery table the three providers read their SQL from at start-up, and the tables those queries use.
-- The query texts are our own and follow the providers' contract (query keys, parameter names, result columns);
-- the providers bind parameters by name without a prefix (GrainIdHash, DeploymentId, ...) and Npgsql maps the @Name
-- placeholders. Result columns are read by name, case-insensitively; they are aliased to the names the providers use.
-- Query texts are dollar-quoted ($q$ ... $q$), so they hold single quotes as they are.
--
-- Grain persistence (WriteToStorageKey, ReadFromStorageKey, ClearStorageKey; no DeleteStorageKey, so
-- DeleteStateOnClear must stay false): orleans_grain_state, one row per grain and state. grain_type holds the
-- *state name* of [PersistentState(stateName, storageName)], so each grain class needs its own state name. A row is
-- identified by every value the provider passes (both hashes and the full key values), never by hashes alone.
-- Caution: the provider turns a string key that reads as hexadecimal ("020235", "20235", "cafe") into an integer
-- key, so such keys arrive with identical values; only the hash can tell them apart, and only with a hasher that
-- sees the whole key (AdoNetGrainStorageOptions.HashPicker) - prefer keys that are not hexadecimal.
-- Versions: the first write (no ETag) inserts version 1 and fails if the row exists; later writes and clears must
-- name the stored version and bump it; no row back is how a stale ETag becomes an InconsistentStateException.
-- A clear keeps the row with payload NULL.
--
-- Clustering (all nine keys the 10.4.2 provider demands, CleanupDefunctSiloEntriesKey included; the optional
-- CleanupDefunctSiloEntryKey is left out, so the provider deletes defunct rows with the set-wise query):
-- orleans_membership_version holds one version per cluster id (the provider's DeploymentId); every membership
-- change must name the version it read and bumps it, in the functions below, all or nothing.
-- orleans_membership holds one row per silo incarnation (address, port, generation).
--
-- Reminders (all seven keys): orleans_reminders, one row per service, grain and reminder name; grain_hash is the
-- grain's uniform hash as a signed integer, which is how the provider passes the ring ranges it asks for.

CREATE TABLE OrleansQuery (
    QueryKey  TEXT NOT NULL PRIMARY KEY,
    QueryText TEXT NOT NULL
);

-- Grain persistence -------------------------------------------------------------------------------------------

CREATE TABLE orleans_grain_state (
    grain_id_hash   INTEGER     NOT NULL,
    grain_type_hash INTEGER     NOT NULL,
    grain_id_n0     BIGINT      NOT NULL,  -- GUID key (first half), else 0
    grain_id_n1     BIGINT      NOT NULL,  -- GUID key (second half) or integer key, else 0
    grain_id_ext    TEXT        NOT NULL,  -- the string key, or the key extension; '' when there is none
    grain_type      TEXT        NOT NULL,  -- the state name
    service_id      TEXT        NOT NULL,
    payload         BYTEA       NULL,      -- the serialized state; NULL once cleared
    version         INTEGER     NOT NULL,  -- the ETag
    updated_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (grain_id_hash, grain_type_hash, grain_id_n0, grain_id_n1, grain_id_ext, grain_type, service_id)
);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadFromStorageKey', $q$
SELECT payload AS "PayloadBinary", version AS "Version"
FROM orleans_grain_state
WHERE grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash
  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
  AND grain_id_ext = COALESCE(@GrainIdExtensionString, '')
  AND grain_type = @GrainTypeString AND service_id = @ServiceId;
$q$);

-- Two statements, of which only one can act: the insert when there is no ETag, the update when there is one.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('WriteToStorageKey', $q$
INSERT INTO orleans_grain_state
    (grain_id_hash, grain_type_hash, grain_id_n0, grain_id_n1, grain_id_ext, grain_type, service_id,
     payload, version, updated_at)
SELECT @GrainIdHash, @GrainTypeHash, @GrainIdN0, @GrainIdN1, COALESCE(@GrainIdExtensionString, ''), @GrainTypeString,
       @ServiceId, @PayloadBinary, 1, now()
WHERE @GrainStateVersion IS NULL
ON CONFLICT DO NOTHING
RETURNING version AS "NewGrainStateVersion";

UPDATE orleans_grain_state
SET payload = @PayloadBinary, version = version + 1, updated_at = now()
WHERE @GrainStateVersion IS NOT NULL AND version = @GrainStateVersion
  AND grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash
  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
  AND grain_id_ext = COALESCE(@GrainIdExtensionString, '')
  AND grain_type = @GrainTypeString AND service_id = @ServiceId
RETURNING version AS "NewGrainStateVersion";
$q$);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ClearStorageKey', $q$
UPDATE orleans_grain_state
SET payload = NULL, version = version + 1, updated_at = now()
WHERE version = @GrainStateVersion
  AND grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash
  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
  AND grain_id_ext = COALESCE(@GrainIdExtensionString, '')
  AND grain_type = @GrainTypeString AND service_id = @ServiceId
RETURNING version AS "NewGrainStateVersion";
$q$);

-- Clustering --------------------------------------------------------------------------------------------------

CREATE TABLE orleans_membership_version (
    deployment_id TEXT        NOT NULL PRIMARY KEY,
    version       INTEGER     NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE orleans_membership (
    deployment_id   TEXT        NOT NULL REFERENCES orleans_membership_version (deployment_id),
    address         TEXT        NOT NULL,
    port            INTEGER     NOT NULL,
    generation      INTEGER     NOT NULL,
    silo_name       TEXT        NOT NULL,
    host_name       TEXT        NOT NULL,
    status          INTEGER     NOT NULL,  -- Orleans SiloStatus: 3 Active, 6 Dead, ...
    proxy_port      INTEGER     NOT NULL,  -- the gateway port; 0 when the silo is no gateway
    suspect_times   TEXT        NULL,      -- "silo,time|silo,time" as the provider formats it
    start_time      TIMESTAMPTZ NOT NULL,
    i_am_alive_time TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (deployment_id, address, port, generation)
);

-- Adds a silo's row and bumps the version, if the version is still the one the silo read and the row is new.
-- The function body is one block: the unique_violation handler undoes the version bump with the insert.
CREATE FUNCTION orleans_membership_insert(
    p_deployment_id TEXT, p_address TEXT, p_port INTEGER, p_generation INTEGER, p_silo_name TEXT, p_host_name TEXT,
    p_status INTEGER, p_proxy_port INTEGER, p_start_time TIMESTAMPTZ, p_i_am_alive_time TIMESTAMPTZ,
    p_version INTEGER)
RETURNS BOOLEAN LANGUAGE plpgsql AS $$
BEGIN
    UPDATE orleans_membership_version SET version = version + 1, updated_at = now()
    WHERE deployment_id = p_deployment_id AND version = p_version;
    IF NOT FOUND THEN
        RETURN FALSE;
    END IF;
    INSERT INTO orleans_membership (deployment_id, address, port, generation, silo_name, host_name, status,
                                    proxy_port, suspect_times, start_time, i_am_alive_time)
    VALUES (p_deployment_id, p_address, p_port, p_generation, p_silo_name, p_host_name, p_status,
            p_proxy_port, NULL, p_start_time, p_i_am_alive_time);
    RETURN TRUE;
EXCEPTION WHEN unique_violation THEN
    RETURN FALSE;
END
$$;

-- Changes a silo's row and bumps the version, if the version is still the one read and the row exists.
-- A missing row raises no_data_found, whose handler undoes the version bump.
CREATE FUNCTION orleans_membership_update(
    p_deployment_id TEXT, p_address TEXT, p_port INTEGER, p_generation INTEGER, p_status INTEGER,
    p_suspect_times TEXT, p_i_am_alive_time TIMESTAMPTZ, p_version INTEGER)
RETURNS BOOLEAN LANGUAGE plpgsql AS $$
BEGIN
    UPDATE orleans_membership_version SET version = version + 1, updated_at = now()
    WHERE deployment_id = p_deployment_id AND version = p_version;
    IF NOT FOUND THEN
        RETURN FALSE;
    END IF;
    UPDATE orleans_membership
    SET status = p_status, suspect_times = p_suspect_times, i_am_alive_time = p_i_am_alive_time
    WHERE deployment_id = p_deployment_id AND address = p_address AND port = p_port AND generation = p_generation;
    IF NOT FOUND THEN
        RAISE no_data_found;
    END IF;
    RETURN TRUE;
EXCEPTION WHEN no_data_found THEN
    RETURN FALSE;
END
$$;

-- One row back always: true when this call created the cluster's version row.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('InsertMembershipVersionKey', $q$
WITH created AS (
    INSERT INTO orleans_membership_version (deployment_id, version, updated_at)
    VALUES (@DeploymentId, 0, now())
    ON CONFLICT DO NOTHING
    RETURNING 1
)
SELECT count(*) > 0 FROM created;
$q$);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('InsertMembershipKey', $q$
SELECT orleans_membership_insert(@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
                                 @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version);
$q$);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpdateMembershipKey', $q$
SELECT orleans_membership_update(@DeploymentId, @Address, @Port, @Generation, @Status,
                                 @SuspectTimes, @IAmAliveTime, @Version);
$q$);

-- Heartbeats change no version.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpdateIAmAlivetimeKey', $q$
UPDATE orleans_membership SET i_am_alive_time = @IAmAliveTime
WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation;
$q$);

-- Both reads return the version row even when no silo row matches (the silo columns are then NULL).
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('MembershipReadAllKey', $q$
SELECT v.version AS "Version", m.address AS "Address", m.port AS "Port", m.generation AS "Generation",
       m.silo_name AS "SiloName", m.host_name AS "HostName", m.status AS "Status", m.proxy_port AS "ProxyPort",
       m.suspect_times AS "SuspectTimes", m.start_time AS "StartTime", m.i_am_alive_time AS "IAmAliveTime"
FROM orleans_membership_version v
LEFT JOIN orleans_membership m ON m.deployment_id = v.deployment_id
WHERE v.deployment_id = @DeploymentId;
$q$);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('MembershipReadRowKey', $q$
SELECT v.version AS "Version", m.address AS "Address", m.port AS "Port", m.generation AS "Generation",
       m.silo_name AS "SiloName", m.host_name AS "HostName", m.status AS "Status", m.proxy_port AS "ProxyPort",
       m.suspect_times AS "SuspectTimes", m.start_time AS "StartTime", m.i_am_alive_time AS "IAmAliveTime"
FROM orleans_membership_version v
LEFT JOIN orleans_membership m ON m.deployment_id = v.deployment_id
     AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
WHERE v.deployment_id = @DeploymentId;
$q$);

-- Clients and silos ask for the gateways with @Status = 3 (Active).
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('GatewaysQueryKey', $q$
SELECT address AS "Address", proxy_port AS "ProxyPort", generation AS "Generation"
FROM orleans_membership
WHERE deployment_id = @DeploymentId AND status = @Status AND proxy_port > 0;
$q$);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteMembershipTableEntriesKey', $q$
DELETE FROM orleans_membership WHERE deployment_id = @DeploymentId;
DELETE FROM orleans_membership_version WHERE deployment_id = @DeploymentId;
$q$);

-- Rows of silos that are not active and have not been heard from since @IAmAliveTime.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM orleans_membership
WHERE deployment_id = @DeploymentId AND i_am_alive_time < @IAmAliveTime AND status <> 3;
$q$);

-- Reminders ---------------------------------------------------------------------------------------------------

CREATE TABLE orleans_reminders (
    service_id    TEXT        NOT NULL,
    grain_id      TEXT        NOT NULL,  -- GrainId.ToString()
    reminder_name TEXT        NOT NULL,
    start_time    TIMESTAMPTZ NOT NULL,
    period        BIGINT      NOT NULL,  -- milliseconds
    grain_hash    INTEGER     NOT NULL,
    version       INTEGER     NOT NULL,  -- the ETag
    PRIMARY KEY (service_id, grain_id, reminder_name)
);
CREATE INDEX orleans_reminders_hash ON orleans_reminders (service_id, grain_hash);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadReminderRowsKey', $q$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime", period AS "Period",
       version AS "Version"
FROM orleans_reminders
WHERE service_id = @ServiceId AND grain_id = @GrainId;
$q$);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadReminderRowKey', $q$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime", period AS "Period",
       version AS "Version"
FROM orleans_reminders
WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName;
$q$);

-- The ring range (@BeginHash, @EndHash] in signed order; the provider picks this one when BeginHash < EndHash ...
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadRangeRows1Key', $q$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime", period AS "Period",
       version AS "Version"
FROM orleans_reminders
WHERE service_id = @ServiceId AND grain_hash > @BeginHash AND grain_hash <= @EndHash;
$q$);

-- ... and this one otherwise: the range wraps around (equal bounds mean the whole ring).
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadRangeRows2Key', $q$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime", period AS "Period",
       version AS "Version"
FROM orleans_reminders
WHERE service_id = @ServiceId AND (grain_hash > @BeginHash OR grain_hash <= @EndHash);
$q$);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpsertReminderRowKey', $q$
INSERT INTO orleans_reminders (service_id, grain_id, reminder_name, start_time, period, grain_hash, version)
VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
SET start_time = excluded.start_time, period = excluded.period, grain_hash = excluded.grain_hash,
    version = orleans_reminders.version + 1
RETURNING version AS "Version";
$q$);

-- One row back always: true when the reminder existed with that version and is gone now.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteReminderRowKey', $q$
WITH deleted AS (
    DELETE FROM orleans_reminders
    WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName
      AND version = @Version
    RETURNING 1
)
SELECT count(*) > 0 FROM deleted;
$q$);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteReminderRowsKey', $q$
DELETE FROM orleans_reminders WHERE service_id = @ServiceId;
$q$);
