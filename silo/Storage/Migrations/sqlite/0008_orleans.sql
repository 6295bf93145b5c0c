-- Orleans grain persistence on SQLite (Microsoft.Orleans.Persistence.AdoNet 10.4.2, invariant "System.Data.SQLite",
-- which loads Microsoft.Data.Sqlite). SQLite has no Orleans clustering or reminders: those live on PostgreSQL only.
--
-- OrleansQuery: the provider reads its SQL from here at start-up (WriteToStorageKey, ReadFromStorageKey,
-- ClearStorageKey; DeleteStorageKey is left out, so DeleteStateOnClear must stay false). The query texts are our own
-- and follow the provider's contract: it binds GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString,
-- GrainIdExtensionString, ServiceId (plus GrainStateVersion on write and clear, PayloadBinary on write), and reads
-- PayloadBinary + Version (read), NewGrainStateVersion (write), the first column (clear). No row back from a write
-- or clear is how a stale ETag becomes an InconsistentStateException.
--
-- orleans_grain_state: one row per grain and state. grain_type holds the *state name* given to
-- [PersistentState(stateName, storageName)], not the grain class, so each grain class needs its own state name.
-- A row is identified by every value the provider passes (the two hashes as well as the full key values), never by
-- hashes alone. Caution: the provider turns a string key that reads as hexadecimal ("020235", "20235", "cafe") into
-- an integer key, so such keys arrive here with identical values; only the hash can tell them apart, and only with a
-- hasher that sees the whole key (AdoNetGrainStorageOptions.HashPicker) - prefer keys that are not hexadecimal.
-- Versions: the first write (no ETag) inserts version 1 and fails if the row exists; later writes and clears must
-- name the stored version and bump it. A clear keeps the row with payload NULL, so the next write is versioned too.
-- Single quotes inside the stored query texts are doubled (SQL string literals).

CREATE TABLE OrleansQuery (
    QueryKey  TEXT NOT NULL PRIMARY KEY,
    QueryText TEXT NOT NULL
);

CREATE TABLE orleans_grain_state (
    grain_id_hash   INTEGER NOT NULL,
    grain_type_hash INTEGER NOT NULL,
    grain_id_n0     INTEGER NOT NULL,  -- GUID key (first half), else 0
    grain_id_n1     INTEGER NOT NULL,  -- GUID key (second half) or integer key, else 0
    grain_id_ext    TEXT    NOT NULL,  -- the string key, or the key extension; '' when there is none
    grain_type      TEXT    NOT NULL,  -- the state name
    service_id      TEXT    NOT NULL,
    payload         BLOB    NULL,      -- the serialized state; NULL once cleared
    version         INTEGER NOT NULL,  -- the ETag
    updated_at      TEXT    NOT NULL,
    PRIMARY KEY (grain_id_hash, grain_type_hash, grain_id_n0, grain_id_n1, grain_id_ext, grain_type, service_id)
);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadFromStorageKey', '
SELECT payload AS PayloadBinary, version AS Version
FROM orleans_grain_state
WHERE grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash
  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
  AND grain_id_ext = ifnull(@GrainIdExtensionString, '''')
  AND grain_type = @GrainTypeString AND service_id = @ServiceId;
');

-- Two statements, of which only one can act: the insert when there is no ETag, the update when there is one.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('WriteToStorageKey', '
INSERT INTO orleans_grain_state
    (grain_id_hash, grain_type_hash, grain_id_n0, grain_id_n1, grain_id_ext, grain_type, service_id,
     payload, version, updated_at)
SELECT @GrainIdHash, @GrainTypeHash, @GrainIdN0, @GrainIdN1, ifnull(@GrainIdExtensionString, ''''), @GrainTypeString,
       @ServiceId, @PayloadBinary, 1, strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now'')
WHERE @GrainStateVersion IS NULL
ON CONFLICT DO NOTHING
RETURNING version AS NewGrainStateVersion;

UPDATE orleans_grain_state
SET payload = @PayloadBinary, version = version + 1, updated_at = strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now'')
WHERE @GrainStateVersion IS NOT NULL AND version = @GrainStateVersion
  AND grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash
  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
  AND grain_id_ext = ifnull(@GrainIdExtensionString, '''')
  AND grain_type = @GrainTypeString AND service_id = @ServiceId
RETURNING version AS NewGrainStateVersion;
');

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ClearStorageKey', '
UPDATE orleans_grain_state
SET payload = NULL, version = version + 1, updated_at = strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now'')
WHERE version = @GrainStateVersion
  AND grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash
  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
  AND grain_id_ext = ifnull(@GrainIdExtensionString, '''')
  AND grain_type = @GrainTypeString AND service_id = @ServiceId
RETURNING version AS NewGrainStateVersion;
');
