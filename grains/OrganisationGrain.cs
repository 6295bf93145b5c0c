using System.Data.Common;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Storage;
using Taskee.Grains.Catalog;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Quota;
using Taskee.Grains.Storage;

namespace Taskee.Grains;

/// <summary>
/// One organisation: its settings, entitlements and usage counters in memory. The only writer of its organisation row
/// and the only counter of its usage in the cluster (Orleans keeps one activation and runs one call at a time).
/// Admits from memory inside a durable reservation; writes consumption on a timer and on deactivation.
/// </summary>
[GrainType(OrganisationGrainType)]
internal sealed partial class OrganisationGrain : Grain, IOrganisationGrain
{
    public const string OrganisationGrainType = "organisation";

    // How long an activation for an id with no organisation stays, answering "not found" without a database read.
    private static readonly TimeSpan NotFoundLifetime = TimeSpan.FromSeconds(30);

    private readonly IPersistentState<UsageState> _usage;
    private readonly IOrganisationStore _organisations;
    private readonly IUsageStore _store;
    private readonly CatalogCache _catalog;
    private readonly QuotaRuntime _runtime;
    private readonly MetricCounter[] _counters;
    private readonly IScimStore _scim;
    private readonly Scim.ScimGroupRoleMapping _groupRoles;
    private readonly IUsageHistoryStore _historyStore;
    private readonly UsageHistoryBuffer _history = new();

    private Organisation? _organisation;
    private Entitlements? _entitlements;
    private long _appliedCatalogVersion;
    private string? _blockedReason;
    private bool _fenced;
    private IGrainTimer? _flushTimer;

    public OrganisationGrain(
        [PersistentState("usage", ProviderNames.UsageStorage)] IPersistentState<UsageState> usage,
        IOrganisationStore organisations, IUsageStore store, CatalogCache catalog, QuotaRuntime runtime,
        IScimStore scim, Scim.ScimGroupRoleMapping groupRoles, IUsageHistoryStore historyStore)
    {
        _historyStore = historyStore;
        _scim = scim;
        _groupRoles = groupRoles;
        _usage = usage;
        _organisations = organisations;
        _store = store;
        _catalog = catalog;
        _runtime = runtime;
        _counters = Metrics.All.Select(m => new MetricCounter(m)).ToArray();
    }

    private string OrgId => this.GetPrimaryKeyString();

    private MetricCounter Seats => _counters[MetricIndex(Metrics.Seats)];

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _runtime.Metrics.Activated();
        if (!_catalog.IsLoaded) await _catalog.ReloadAsync(cancellationToken);
        _organisation = await _organisations.GetAsync(OrgId, cancellationToken);
        if (_organisation is null)
        {
            this.RegisterGrainTimer(() => { if (_organisation is null) DeactivateOnIdle(); return Task.CompletedTask; },
                new GrainTimerCreationOptions(NotFoundLifetime, Timeout.InfiniteTimeSpan));
            return;
        }
        await StartCountingAsync(cancellationToken);
        QuotaLog.Activated(_runtime.Logger, OrgId, _organisation.Version);
    }

    private async Task StartCountingAsync(CancellationToken ct)
    {
        var now = _runtime.Clock.GetUtcNow();
        ApplySettings(now);
        foreach (var counter in _counters)
        {
            if (counter.Metric == Metrics.Seats) continue;
            counter.Restore(_usage.State.Counters.GetValueOrDefault(counter.Metric));
        }
        Seats.Used = Seats.Reserved = Seats.PersistedUsed = await _store.CountMembersAsync(OrgId, ct);
    }

    /// <summary>The flush timer runs only while a reservation is held: an idle organisation costs no ticks.</summary>
    private void EnsureFlushTimer()
    {
        var interval = _runtime.Options.FlushInterval;
        _flushTimer ??= this.RegisterGrainTimer(TimerTickAsync, new GrainTimerCreationOptions(interval, interval));
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _runtime.Metrics.Deactivated();
        if (_organisation is null || _fenced) return;
        // Gives the reservation back: the next activation starts exactly where this one stopped.
        await WriteUsageAsync(WriteReason.Deactivating);
        await WriteHistoryAsync();
    }

    // ---- Settings -----------------------------------------------------------------------------------

    public ValueTask<Organisation?> GetOrganisationAsync() => ValueTask.FromResult(_organisation);

    public ValueTask<Entitlements?> GetEntitlementsAsync()
    {
        RefreshIfCatalogChanged();
        return ValueTask.FromResult(_entitlements);
    }

    public async ValueTask<WriteResult<Organisation>> CreateAsync(Organisation organisation, AuditRecord audit, ChangeContext context)
    {
        if (_organisation is not null) return new WriteResult<Organisation>(WriteStatus.Conflict, null);
        var result = await _organisations.CreateAsync(organisation, audit, context);
        if (result.Status == WriteStatus.Done)
        {
            _organisation = result.Value!;
            _usage.State = new UsageState();
            await StartCountingAsync(CancellationToken.None);
        }
        return result;
    }

    public async ValueTask<WriteResult<Organisation>> CommitAsync(long baseVersion, Organisation updated, AuditRecord audit, ChangeContext context)
    {
        if (_organisation is null) return WriteResult<Organisation>.NotFound;
        if (baseVersion != _organisation.Version) return new WriteResult<Organisation>(WriteStatus.VersionMismatch, _organisation);

        var result = await _organisations.CommitAsync(baseVersion, updated, audit, context);
        if (result.Status is WriteStatus.Done or WriteStatus.VersionMismatch && result.Value is { } stored)
        {
            _organisation = stored;
            ApplySettings(_runtime.Clock.GetUtcNow());
        }
        return result;
    }

    /// <summary>Entitlements, block and limits from settings and catalog. A changed limit takes effect at once.</summary>
    private void ApplySettings(DateTimeOffset now)
    {
        var organisation = _organisation!;
        var snapshot = _catalog.Current;
        _entitlements = EntitlementCalculator.Calculate(organisation, snapshot);
        _appliedCatalogVersion = snapshot.Version;
        _blockedReason = organisation.Offboarding is not null ? UsageReason.OrganisationOffboarding : organisation.Status switch
        {
            OrganisationStatus.Suspended => UsageReason.OrganisationSuspended,
            OrganisationStatus.Cancelled => UsageReason.OrganisationCancelled,
            _ => null,
        };
        foreach (var counter in _counters)
        {
            var limit = _entitlements.Limits[counter.Metric];
            counter.Limit = limit.Limit;
            counter.Soft = limit.Policy == LimitPolicy.Soft && counter.Metric != Metrics.Seats;
            if (counter.PeriodKey.Length == 0) counter.EnterPeriod(organisation.BillingAnchor, now);
            else if (counter.Kind == MetricKind.Periodic && BillingPeriod.For(organisation.BillingAnchor, now).Key != counter.PeriodKey)
                counter.PeriodEndTicks = now.UtcTicks; // the anchor moved: the next use enters the new period
        }
    }

    private void RefreshIfCatalogChanged()
    {
        if (_organisation is not null && _appliedCatalogVersion != _catalog.Current.Version) ApplySettings(_runtime.Clock.GetUtcNow());
    }

    // ---- The hot path -------------------------------------------------------------------------------

    public ValueTask<UsageResult> ConsumeAsync(string metric, long amount)
    {
        if (_organisation is null) return ValueTask.FromResult(NotFound(metric));
        RefreshIfCatalogChanged();
        var counter = _counters[MetricIndex(metric)];
        if (_blockedReason is { } blocked) return ValueTask.FromResult(counter.Denied(blocked));
        if (_fenced) return ValueTask.FromResult(counter.Denied(UsageReason.LedgerUnavailable));
        return counter.TryAdmit(amount, _runtime.Clock.GetUtcNow().UtcTicks, out var result)
            ? ValueTask.FromResult(result)
            : new ValueTask<UsageResult>(ConsumeSlowAsync(counter, amount));
    }

    /// <summary>A new period, or a reservation too small: write a larger reservation first, then admit from it.</summary>
    private async Task<UsageResult> ConsumeSlowAsync(MetricCounter counter, long amount)
    {
        var now = _runtime.Clock.GetUtcNow();
        if (now.UtcTicks >= counter.PeriodEndTicks)
        {
            _history.Capture(_counters, now); // the ending period's last use, before the counter starts from nothing
            counter.PeriodKey = "";
            counter.EnterPeriod(_organisation!.BillingAnchor, now);
        }
        if (!counter.Soft && counter.Used + amount > counter.Limit) return counter.Denied(UsageReason.LimitReached);

        var reserved = counter.Reserved;
        counter.Reserved = counter.ReservationFor(amount, _runtime.Options.MaxLease);
        if (!await TryWriteAsync(counter))
        {
            counter.Reserved = reserved;
            return counter.Denied(UsageReason.LedgerUnavailable);
        }
        EnsureFlushTimer();
        return counter.TryAdmit(amount, now.UtcTicks, out var result) ? result : counter.Denied(UsageReason.LimitReached);
    }

    public async ValueTask<UsageResult> ConsumeOnceAsync(string metric, long amount, string idempotencyKey)
    {
        if (_organisation is null) return NotFound(metric);
        var counter = _counters[MetricIndex(metric)];
        try
        {
            if (await _store.FindConsumeKeyAsync(OrgId, idempotencyKey) is { } earlier) return Replay(counter, earlier, metric, amount);

            var result = await ConsumeAsync(metric, amount);
            if (result.Reason == UsageReason.LedgerUnavailable) return result;
            // Recorded before the answer: a retry with this key, on any silo, replays it.
            if (await _store.AddConsumeKeyAsync(OrgId, idempotencyKey, new ConsumeKeyRecord(metric, amount, result.Allowed))) return result;

            // Another activation recorded the key first (a duplicate during a membership change): take ours back.
            if (result.Allowed) counter.Used -= amount;
            var recorded = await _store.FindConsumeKeyAsync(OrgId, idempotencyKey);
            return recorded is null ? counter.Denied(UsageReason.LedgerUnavailable) : Replay(counter, recorded, metric, amount);
        }
        catch (Exception ex) when (IsStorageFailure(ex))
        {
            QuotaLog.StorageUnavailable(_runtime.Logger, ex, OrgId, metric);
            return counter.Denied(UsageReason.LedgerUnavailable);
        }
    }

    private static UsageResult Replay(MetricCounter counter, ConsumeKeyRecord earlier, string metric, long amount)
    {
        if (earlier.Metric != metric || earlier.Amount != amount) return counter.Denied(UsageReason.IdempotencyKeyConflict);
        return earlier.Allowed ? counter.Allowed() : counter.Denied(UsageReason.LimitReached);
    }

    public async ValueTask<UsageResult[]> DecideManyAsync(UsageRequest[] requests)
    {
        var results = new UsageResult[requests.Length];
        for (var i = 0; i < requests.Length; i++)
        {
            var (op, metric, amount) = requests[i];
            results[i] = op switch
            {
                "check" => await CheckAsync(metric, amount),
                "release" => await ReleaseAsync(metric, amount),
                _ => await ConsumeAsync(metric, amount),
            };
        }
        return results;
    }

    public ValueTask<UsageResult> CheckAsync(string metric, long amount)
    {
        if (_organisation is null) return ValueTask.FromResult(NotFound(metric));
        RefreshIfCatalogChanged();
        var counter = _counters[MetricIndex(metric)];
        if (_blockedReason is { } blocked) return ValueTask.FromResult(counter.Denied(blocked));
        var now = _runtime.Clock.GetUtcNow();
        if (now.UtcTicks >= counter.PeriodEndTicks)
        {
            // A new period starts with nothing used; the counter moves there on its next consume.
            var fresh = BillingPeriod.For(_organisation.BillingAnchor, now);
            var fits = counter.Soft || amount <= counter.Limit;
            return ValueTask.FromResult(new UsageResult(fits, counter.Limit, counter.Limit, 0, fresh.End, fits ? UsageReason.Ok : UsageReason.LimitReached));
        }
        if (!counter.Soft && counter.Used + amount > counter.Limit) return ValueTask.FromResult(counter.Denied(UsageReason.LimitReached));
        var reason = counter.Soft && counter.Used + amount > counter.Limit ? UsageReason.SoftLimitExceeded : UsageReason.Ok;
        return ValueTask.FromResult(counter.Allowed() with { Reason = reason });
    }

    public async ValueTask<UsageResult> ReleaseAsync(string metric, long amount)
    {
        if (_organisation is null) return NotFound(metric);
        var counter = _counters[MetricIndex(metric)];
        if (_fenced) return counter.Denied(UsageReason.LedgerUnavailable);
        var (used, reserved) = (counter.Used, counter.Reserved);
        counter.Used = Math.Max(0, counter.Used - amount);
        counter.Reserved = Math.Max(counter.Used, counter.Reserved - (used - counter.Used));
        // Written before the answer: an acknowledged release is never lost.
        if (!await TryWriteAsync(counter))
        {
            (counter.Used, counter.Reserved) = (used, reserved);
            return counter.Denied(UsageReason.LedgerUnavailable);
        }
        return counter.Allowed() with { Reason = UsageReason.Ok };
    }

    public ValueTask<IReadOnlyDictionary<string, UsageResult>?> GetUsageAsync()
    {
        if (_organisation is null) return ValueTask.FromResult<IReadOnlyDictionary<string, UsageResult>?>(null);
        RefreshIfCatalogChanged();
        var now = _runtime.Clock.GetUtcNow();
        var usage = new Dictionary<string, UsageResult>(StringComparer.Ordinal);
        foreach (var counter in _counters)
        {
            usage[counter.Metric] = now.UtcTicks >= counter.PeriodEndTicks
                ? new UsageResult(true, counter.Limit, counter.Limit, 0, BillingPeriod.For(_organisation.BillingAnchor, now).End, UsageReason.Ok)
                : counter.Allowed();
        }
        return ValueTask.FromResult<IReadOnlyDictionary<string, UsageResult>?>(usage);
    }

    // ---- Members (seats) ------------------------------------------------------------------------------

    public async ValueTask<SeatChange> AddMemberAsync(Member member, ChangeContext context)
    {
        if (_organisation is null) return SeatChange.NoSuchOrganisation;
        RefreshIfCatalogChanged();
        var (result, seats) = await _store.AddMemberAsync(member, Seats.Limit, context);
        SeatsChanged(seats);
        return result;
    }

    public async ValueTask<SeatChange> RemoveMemberAsync(string userId, ChangeContext context)
    {
        if (_organisation is null) return SeatChange.NoSuchOrganisation;
        var (result, seats) = await _store.RemoveMemberAsync(OrgId, userId, context);
        SeatsChanged(seats);
        return result;
    }

    public async ValueTask<SeatChange> ChangeMemberRoleAsync(string userId, string role, ChangeContext context)
    {
        if (_organisation is null) return SeatChange.NoSuchOrganisation;
        return await _store.ChangeMemberRoleAsync(OrgId, userId, role, context);
    }

    public async ValueTask<MemberRoleResult> SetMemberRoleAsync(MemberRoleRequest request, ChangeContext context)
    {
        if (_organisation is null) return new MemberRoleResult(MemberRoleStatus.NoSuchOrganisation, null, 0);
        // The grain's copy is the organisation's only one: a stale If-Match is refused here without a database trip.
        if (request.ExpectedVersion is { } expected && expected != _organisation.Version)
            return new MemberRoleResult(MemberRoleStatus.VersionMismatch, null, _organisation.Version);
        var result = await _store.SetMemberRoleAsync(OrgId, request, context);
        if (result.Status == MemberRoleStatus.Done && result.Version != _organisation.Version
            && await _organisations.GetAsync(OrgId, CancellationToken.None) is { } stored)
        {
            // The store bumped the version (and its time) in the role change's transaction: take them as stored.
            _organisation = stored;
            ApplySettings(_runtime.Clock.GetUtcNow());
        }
        return result;
    }

    /// <summary>The seats members hold now; the flush timer's next tick takes the level into the usage history.</summary>
    private void SeatsChanged(long seats)
    {
        Seats.Used = Seats.Reserved = Seats.PersistedUsed = seats;
        EnsureFlushTimer();
    }

    // ---- Writing usage --------------------------------------------------------------------------------

    public ValueTask<string> GetSiloAsync() => ValueTask.FromResult(RuntimeIdentity);

    public Task ForgetAsync()
    {
        _organisation = null; // OnDeactivateAsync writes nothing back for it, and every call answers "not found"
        _flushTimer?.Dispose();
        _flushTimer = null;
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public async Task FlushAsync()
    {
        if (_organisation is null || _fenced) return;
        await WriteUsageAsync(WriteReason.Asked);
        await WriteHistoryAsync();
    }

    private async Task TimerTickAsync()
    {
        await WriteUsageAsync(WriteReason.Timer);
        var stopping = _counters.All(c => c.Metric == Metrics.Seats || (c.Reserved == c.Used && c.SpentSinceFlush == 0));
        var now = _runtime.Clock.GetUtcNow();
        _history.Capture(_counters, now);
        // A busy organisation writes its history once per interval, not once per tick; a stopping timer writes what is left.
        if (!_fenced && (stopping || now - _history.LastWritten >= _runtime.Options.HistoryInterval)) await WriteHistoryAsync();
        if (stopping)
        {
            _flushTimer?.Dispose(); // nothing held: the next reservation starts it again
            _flushTimer = null;
        }
    }

    /// <summary>Writes the daily usage seen since the last write; on a storage failure it stays pending for the next one.</summary>
    private async Task WriteHistoryAsync()
    {
        var now = _runtime.Clock.GetUtcNow();
        _history.Capture(_counters, now);
        if (_history.IsEmpty) return;
        try
        {
            await _historyStore.RecordAsync(OrgId, _history.Pending());
            _history.Written(now);
        }
        catch (Exception ex) when (IsStorageFailure(ex))
        {
            QuotaLog.HistoryWriteFailed(_runtime.Logger, ex, OrgId);
        }
    }

    private enum WriteReason { Timer, Asked, Deactivating }

    /// <summary>
    /// Measures each counter's rate and writes when it matters. The timer writes only for an idle counter that still
    /// holds a reservation (it gives it back), so a busy organisation writes about once per reservation, a second of its
    /// traffic, and an idle one not at all. Asked (<see cref="FlushAsync"/>) writes what changed; deactivating writes
    /// the exact consumption and gives every reservation back.
    /// </summary>
    private async Task WriteUsageAsync(WriteReason reason)
    {
        var elapsed = _runtime.Options.FlushInterval.TotalSeconds;
        var changed = false;
        foreach (var counter in _counters)
        {
            if (counter.Metric == Metrics.Seats) continue;
            var idle = counter.SpentSinceFlush == 0;
            if (reason == WriteReason.Timer)
            {
                // Idle ticks keep the last busy rate: a burst after a pause reserves a second of it, not one unit at a time.
                if (!idle) counter.Rate = counter.Rate * 0.5 + counter.SpentSinceFlush / elapsed * 0.5;
                counter.SpentSinceFlush = 0;
            }
            var reserved = reason == WriteReason.Deactivating || (reason == WriteReason.Timer && idle) ? counter.Used : counter.Reserved;
            var due = reason == WriteReason.Timer ? reserved != counter.Reserved : counter.Used != counter.PersistedUsed || reserved != counter.Reserved;
            if (!due) continue;
            counter.Reserved = reserved;
            changed = true;
        }
        if (changed) await TryWriteAsync(null);
    }

    /// <summary>
    /// Writes every counter's used and reserved (one ETag-checked write of the grain state). A conflict means another
    /// activation wrote: this one stops admitting and deactivates. False when nothing was written.
    /// </summary>
    private async Task<bool> TryWriteAsync(MetricCounter? cause)
    {
        if (_fenced) return false;
        foreach (var counter in _counters)
        {
            if (counter.Metric == Metrics.Seats) continue;
            _usage.State.Counters[counter.Metric] = new CounterState { Period = counter.PeriodKey, Used = counter.Used, Reserved = counter.Reserved };
        }
        try
        {
            await _usage.WriteStateAsync();
            _runtime.Metrics.LedgerRoundTrip();
        }
        catch (InconsistentStateException)
        {
            _fenced = true;
            QuotaLog.Fenced(_runtime.Logger, OrgId);
            DeactivateOnIdle();
            return false;
        }
        catch (Exception ex) when (IsStorageFailure(ex))
        {
            QuotaLog.StorageUnavailable(_runtime.Logger, ex, OrgId, cause?.Metric ?? "*");
            _runtime.Metrics.FlushFailed();
            return false;
        }
        _runtime.Metrics.Flushed();
        foreach (var counter in _counters)
        {
            if (counter.Metric == Metrics.Seats) continue;
            counter.PersistedUsed = counter.Used;
            await RecordThresholdsAsync(counter);
        }
        return true;
    }

    private async Task RecordThresholdsAsync(MetricCounter counter)
    {
        if (counter.Limit <= 0 || counter.ThresholdRecorded >= 100) return;
        var next = counter.ThresholdRecorded switch { 0 => 75, 75 => 90, _ => 100 };
        if ((decimal)counter.Used * 100 < (decimal)next * counter.Limit) return;
        try
        {
            counter.ThresholdRecorded = await _store.RecordThresholdsAsync(new CounterKey(OrgId, counter.Metric, counter.PeriodKey), counter.Used, counter.Limit);
        }
        catch (Exception ex) when (IsStorageFailure(ex))
        {
            QuotaLog.FlushFailed(_runtime.Logger, ex, OrgId); // tried again at the next write
        }
    }

    private static UsageResult NotFound(string metric) => new(false, 0, 0, 0, null, UsageReason.OrganisationNotFound);

    internal static int MetricIndex(string metric) => metric switch
    {
        Metrics.AiCalls => 0,
        Metrics.StorageBytes => 1,
        Metrics.Seats => 2,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown metric."),
    };

    /// <summary>Failures of the database, not of our code: the answer is ledger_unavailable, not a 500.</summary>
    private static bool IsStorageFailure(Exception ex) =>
        ex is DbException or TimeoutException or IOException or OrleansException
        || ex is InvalidOperationException { InnerException: DbException or IOException or TimeoutException };
}
