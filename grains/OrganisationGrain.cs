using System.Data.Common;
using Taskee.Grains.Catalog;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Quota;
using Taskee.Grains.Storage;

namespace Taskee.Grains;

/// <summary>
/// One organisation held in memory on this node: settings, entitlements and a usage counter per metric.
/// State changes happen under <see cref="_turn"/> and never await inside it (Orleans' one turn at a time);
/// ledger I/O is ordered by <see cref="_ledgerGate"/>, so one grain's lease and report writes never overlap.
/// </summary>
internal sealed class OrganisationGrain : IOrganisationGrain
{
    private readonly Lock _turn = new();
    private readonly SemaphoreSlim _ledgerGate = new(1, 1);
    private readonly CatalogCache _catalog;
    private readonly IQuotaLedger _ledger;
    private readonly QuotaRuntime _runtime;
    private readonly MetricCounter[] _counters;
    private readonly string _holder;

    private Organisation _organisation;
    private Entitlements _entitlements;
    private long _appliedCatalogVersion;
    private string? _blockedReason;
    private long _lastUsedTicks;

    private OrganisationGrain(Organisation organisation, CatalogCache catalog, IQuotaLedger ledger, QuotaRuntime runtime)
    {
        _organisation = organisation;
        _catalog = catalog;
        _ledger = ledger;
        _runtime = runtime;
        _holder = $"{runtime.Node.Id}/{Guid.NewGuid().ToString("N")[..8]}";
        _counters = Metrics.All.Select(m => new MetricCounter(m)).ToArray();
        _entitlements = null!;
        ApplySettings(_runtime.Clock.GetUtcNow());
        _lastUsedTicks = _runtime.Clock.GetUtcNow().UtcTicks;
    }

    /// <summary>Activation: the settings, and the ledger totals of the current period of every metric.</summary>
    public static async Task<OrganisationGrain> ActivateAsync(Organisation organisation, CatalogCache catalog, IQuotaLedger ledger, QuotaRuntime runtime)
    {
        var grain = new OrganisationGrain(organisation, catalog, ledger, runtime);
        foreach (var counter in grain._counters)
        {
            var totals = await ledger.ReadAsync(counter.Key(organisation.Id));
            runtime.Metrics.LedgerRoundTrip();
            lock (grain._turn) counter.Ledger = totals;
        }
        return grain;
    }

    public string OrgId => _organisation.Id;

    public long LastUsedTicks => Volatile.Read(ref _lastUsedTicks);

    public string PlanId
    {
        get { lock (_turn) return _organisation.PlanId; }
    }

    public long Version
    {
        get { lock (_turn) return _organisation.Version; }
    }

    public ValueTask<Organisation> GetOrganisationAsync()
    {
        Touch();
        lock (_turn) return ValueTask.FromResult(_organisation);
    }

    public ValueTask<Entitlements> GetEntitlementsAsync()
    {
        Touch();
        lock (_turn)
        {
            RefreshIfCatalogChanged();
            return ValueTask.FromResult(_entitlements);
        }
    }

    public ValueTask ApplyAsync(Organisation updated)
    {
        lock (_turn)
        {
            if (updated.Version <= _organisation.Version) return ValueTask.CompletedTask;
            _organisation = updated;
            ApplySettings(_runtime.Clock.GetUtcNow());
        }
        return ValueTask.CompletedTask;
    }

    // ---- The hot path -------------------------------------------------------------------------------

    /// <summary>
    /// The fast path: when the lease covers <paramref name="amount"/>, spend it and answer. No I/O, no await,
    /// no allocation. False when the slow path must decide (lease short or expired, period over, settings stale).
    /// </summary>
    internal bool TryConsume(int metricIndex, long amount, out UsageResult result)
    {
        var counter = _counters[metricIndex];
        var now = _runtime.Clock.GetUtcNow().UtcTicks;
        var prefetch = false;
        lock (_turn)
        {
            _lastUsedTicks = now;
            if (_appliedCatalogVersion != _catalog.Current.Version)
            {
                result = default;
                return false;
            }
            if (_blockedReason is { } blocked)
            {
                result = counter.Denied(blocked);
                return true;
            }
            if (amount > counter.Allowance || now >= counter.LeaseExpiresTicks || now >= counter.PeriodEndTicks)
            {
                result = default;
                return false;
            }

            counter.Allowance -= amount;
            counter.Unreported += amount;
            counter.SpentSinceFlush += amount;
            result = counter.Allowed();
            if (!counter.Prefetching && counter.Allowance * 4 < counter.LastLeaseSize)
            {
                counter.Prefetching = prefetch = true;
            }
        }
        if (prefetch) _ = PrefetchAsync(counter);
        return true;
    }

    public ValueTask<UsageResult> ConsumeAsync(string metric, long amount)
    {
        var index = MetricIndex(metric);
        return TryConsume(index, amount, out var result) ? ValueTask.FromResult(result) : new ValueTask<UsageResult>(ConsumeSlowAsync(index, amount));
    }

    /// <summary>The slow path: settle what is stale, lease enough for this request (and about one interval more), decide.</summary>
    private async Task<UsageResult> ConsumeSlowAsync(int index, long amount)
    {
        var counter = _counters[index];
        await _ledgerGate.WaitAsync();
        try
        {
            // Another waiter may already have brought a lease that covers this request.
            if (TryConsume(index, amount, out var result)) return result;

            lock (_turn) RefreshIfCatalogChanged();
            await SettleStaleLeaseAsync(counter);

            long need;
            lock (_turn)
            {
                if (_blockedReason is { } blocked) return counter.Denied(blocked);
                need = amount - counter.Allowance;
            }
            await AcquireAsync(counter, need);
            return TryConsume(index, amount, out result) ? result : Deny(counter, UsageReason.LimitReached);
        }
        catch (Exception ex) when (IsStorageFailure(ex))
        {
            LogLedgerUnavailable(ex, OrgId, counter.Metric);
            return Deny(counter, UsageReason.LedgerUnavailable);
        }
        finally
        {
            _ledgerGate.Release();
        }
    }

    private async Task PrefetchAsync(MetricCounter counter)
    {
        try
        {
            await _ledgerGate.WaitAsync();
            try
            {
                await SettleStaleLeaseAsync(counter);
                await AcquireAsync(counter, need: 1);
            }
            finally
            {
                _ledgerGate.Release();
            }
        }
        catch (Exception ex) when (IsStorageFailure(ex))
        {
            LogLedgerUnavailable(ex, OrgId, counter.Metric); // the fast path keeps serving what is left
        }
        finally
        {
            lock (_turn) counter.Prefetching = false;
        }
    }

    /// <summary>Takes a lease of at least <paramref name="need"/> units. Call inside the ledger gate.</summary>
    private async Task AcquireAsync(MetricCounter counter, long need)
    {
        CounterKey key;
        long epoch, limit, desired;
        bool soft;
        lock (_turn)
        {
            key = counter.Key(OrgId);
            epoch = counter.Epoch;
            limit = counter.Limit;
            soft = counter.Soft;
            // The last lease lasted this long: a burst shows here long before the next flush measures it.
            var sinceLastLease = TimeSpan.FromTicks(_runtime.Clock.GetUtcNow().UtcTicks - counter.LastLeaseAtTicks).TotalSeconds;
            if (counter.LastLeaseAtTicks > 0 && sinceLastLease > 0)
                counter.Rate = Math.Max(counter.Rate, counter.LastLeaseSize / sinceLastLease);
            desired = LeaseSizer.Desired(need, counter.Rate, _runtime.Options.FlushInterval, _runtime.Options.MaxLease);
        }
        if (need <= 0) return;

        var requestedAt = _runtime.Clock.GetUtcNow();
        var grant = await _ledger.AcquireAsync(key, _holder, epoch, need, desired, limit, soft,
            _runtime.Options.ShareDivisor, _runtime.Options.LeaseTtl);
        _runtime.Metrics.LedgerRoundTrip();

        lock (_turn)
        {
            if (counter.PeriodKey != key.Period) return; // the period moved on meanwhile; this grant is settled at the next flush
            counter.Ledger = grant.Totals;
            counter.Epoch = grant.Epoch;
            if (grant.Granted > 0 && (counter.Limit != limit || counter.Soft != soft))
            {
                // Granted under settings an admin has changed since: not spendable, given back at the next flush.
                counter.ReturnPending += grant.Granted;
            }
            else if (grant.Granted > 0)
            {
                counter.Allowance += grant.Granted;
                counter.LastLeaseSize = grant.Granted;
                _runtime.Metrics.LeaseGranted();
                counter.LastLeaseAtTicks = requestedAt.UtcTicks;
                // Counted from before the request: this node stops spending before the ledger may reclaim.
                counter.LeaseExpiresTicks = (requestedAt + _runtime.Options.LeaseTtl).UtcTicks;
            }
        }
    }

    /// <summary>
    /// Before leasing: a period that ended, or a lease that expired locally, is reported and closed first.
    /// Call inside the ledger gate.
    /// </summary>
    private async Task SettleStaleLeaseAsync(MetricCounter counter)
    {
        var now = _runtime.Clock.GetUtcNow();
        bool periodOver, leaseExpired;
        lock (_turn)
        {
            periodOver = now.UtcTicks >= counter.PeriodEndTicks;
            leaseExpired = counter.Epoch != 0 && now.UtcTicks >= counter.LeaseExpiresTicks;
        }
        if (periodOver || leaseExpired) await ReportAsync(counter, final: true);
        if (periodOver)
        {
            lock (_turn) counter.EnterPeriod(_organisation.BillingAnchor, now);
            var totals = await _ledger.ReadAsync(counter.Key(OrgId));
            _runtime.Metrics.LedgerRoundTrip();
            lock (_turn) counter.Ledger = totals;
        }
    }

    // ---- Reporting ------------------------------------------------------------------------------------

    /// <summary>Reports every counter's consumption; returns idle allowance. Called every flush interval.</summary>
    public async Task FlushAsync(bool final)
    {
        await _ledgerGate.WaitAsync();
        try
        {
            foreach (var counter in _counters)
            {
                try
                {
                    await SettleStaleLeaseAsync(counter);
                    await ReportAsync(counter, final);
                }
                catch (Exception ex) when (IsStorageFailure(ex))
                {
                    LogLedgerUnavailable(ex, OrgId, counter.Metric);
                }
            }
        }
        finally
        {
            _ledgerGate.Release();
        }
    }

    /// <summary>
    /// Reports unreported use; gives back allowance that is idle, expired, pending return, or all of it when
    /// <paramref name="final"/>. On failure everything is put back, so nothing acknowledged is lost.
    /// </summary>
    private async Task ReportAsync(MetricCounter counter, bool final)
    {
        var now = _runtime.Clock.GetUtcNow();
        CounterKey key;
        long used, returned, epoch, limit;
        bool renew;
        lock (_turn)
        {
            var elapsed = _runtime.Options.FlushInterval.TotalSeconds;
            counter.Rate = counter.Rate * 0.5 + counter.SpentSinceFlush / elapsed * 0.5;
            var idle = counter.SpentSinceFlush == 0;
            counter.SpentSinceFlush = 0;
            if (counter.Epoch == 0) return; // nothing leased, nothing to report

            var expired = now.UtcTicks >= counter.LeaseExpiresTicks;
            used = counter.Unreported;
            returned = counter.ReturnPending + (final || idle || expired ? counter.Allowance : 0);
            if (final || idle || expired) counter.Allowance = 0;
            counter.ReturnPending = 0;
            counter.Unreported = 0;
            counter.Reporting = used;
            renew = !expired && counter.Allowance > 0;
            key = counter.Key(OrgId);
            epoch = counter.Epoch;
            limit = counter.Limit;
        }

        ReportOutcome outcome;
        try
        {
            outcome = await _ledger.ReportAsync(key, _holder, epoch, used, returned, renew, limit, _runtime.Options.LeaseTtl);
            _runtime.Metrics.LedgerRoundTrip();
        }
        catch
        {
            lock (_turn)
            {
                counter.Unreported += used;
                counter.Reporting = 0;
                counter.ReturnPending += returned;
            }
            throw;
        }

        lock (_turn)
        {
            counter.Ledger = outcome.Totals; // now includes what was reported (or the whole lease, if fenced)
            counter.Reporting = 0;
            if (outcome.Fenced)
            {
                // The ledger reclaimed this lease (counted as consumed): nothing of it may be spent any more.
                counter.Allowance = 0;
                counter.Epoch = 0;
                LogFenced(OrgId, counter.Metric, epoch);
            }
            else if (counter.Allowance == 0 && counter.Unreported == 0 && counter.ReturnPending == 0)
            {
                counter.Epoch = 0; // fully settled: the ledger deleted the lease
            }
            else if (renew)
            {
                counter.LeaseExpiresTicks = (now + _runtime.Options.LeaseTtl).UtcTicks;
            }
        }
    }

    // ---- Other usage operations -----------------------------------------------------------------------

    public async ValueTask<UsageResult> ConsumeOnceAsync(string metric, long amount, string idempotencyKey)
    {
        Touch();
        var counter = _counters[MetricIndex(metric)];
        CounterKey key;
        long limit;
        bool soft;
        lock (_turn)
        {
            RefreshIfCatalogChanged();
            if (_blockedReason is { } blocked) return counter.Denied(blocked);
            key = counter.Key(OrgId);
            limit = counter.Limit;
            soft = counter.Soft;
        }
        try
        {
            var outcome = await _ledger.ConsumeOnceAsync(key, idempotencyKey, amount, limit, soft);
            _runtime.Metrics.LedgerRoundTrip();
            if (outcome.KeyConflict) throw new IdempotencyKeyConflictException(idempotencyKey);
            lock (_turn)
            {
                if (counter.PeriodKey == key.Period) counter.Ledger = outcome.Totals;
                return outcome.Allowed ? counter.Allowed() : counter.Denied(UsageReason.LimitReached);
            }
        }
        catch (Exception ex) when (IsStorageFailure(ex))
        {
            LogLedgerUnavailable(ex, OrgId, metric);
            return Deny(counter, UsageReason.LedgerUnavailable);
        }
    }

    public ValueTask<UsageResult> CheckAsync(string metric, long amount)
    {
        Touch();
        var counter = _counters[MetricIndex(metric)];
        var now = _runtime.Clock.GetUtcNow();
        lock (_turn)
        {
            RefreshIfCatalogChanged();
            if (_blockedReason is { } blocked) return ValueTask.FromResult(counter.Denied(blocked));
            if (now.UtcTicks >= counter.PeriodEndTicks)
            {
                // A new period starts with nothing used; the counter moves there on its next consume.
                var fresh = BillingPeriod.For(_organisation.BillingAnchor, now);
                var allowed = counter.Soft || amount <= counter.Limit;
                return ValueTask.FromResult(new UsageResult(allowed, counter.Limit, counter.Limit, 0, fresh.End,
                    allowed ? UsageReason.Ok : UsageReason.LimitReached));
            }
            var fits = counter.Soft || amount <= counter.Remaining;
            return ValueTask.FromResult(fits ? counter.Allowed() with { Reason = CheckReason(counter, amount) } : counter.Denied(UsageReason.LimitReached));
        }
    }

    public async ValueTask<UsageResult> ReleaseAsync(string metric, long amount)
    {
        Touch();
        var counter = _counters[MetricIndex(metric)];
        await _ledgerGate.WaitAsync();
        try
        {
            // Report first, so a release never finds the ledger behind this node's own consumption.
            await ReportAsync(counter, final: false);
            var totals = await _ledger.ReleaseAsync(counter.Key(OrgId), amount);
            _runtime.Metrics.LedgerRoundTrip();
            lock (_turn)
            {
                counter.Ledger = totals;
                return counter.Allowed() with { Reason = UsageReason.Ok };
            }
        }
        catch (Exception ex) when (IsStorageFailure(ex))
        {
            LogLedgerUnavailable(ex, OrgId, metric);
            return Deny(counter, UsageReason.LedgerUnavailable);
        }
        finally
        {
            _ledgerGate.Release();
        }
    }

    public async ValueTask<SeatChange> AddMemberAsync(Member member, ChangeContext context)
    {
        Touch();
        var seats = _counters[MetricIndex(Metrics.Seats)];
        long limit;
        lock (_turn)
        {
            RefreshIfCatalogChanged();
            limit = seats.Limit;
        }
        var (result, totals) = await _ledger.AddMemberAsync(member, limit, context);
        _runtime.Metrics.LedgerRoundTrip();
        lock (_turn) seats.Ledger = totals;
        return result;
    }

    public async ValueTask<SeatChange> RemoveMemberAsync(string userId, ChangeContext context)
    {
        Touch();
        var seats = _counters[MetricIndex(Metrics.Seats)];
        var (result, totals) = await _ledger.RemoveMemberAsync(OrgId, userId, context);
        _runtime.Metrics.LedgerRoundTrip();
        lock (_turn) seats.Ledger = totals;
        return result;
    }

    public ValueTask<IReadOnlyDictionary<string, UsageResult>> GetUsageAsync()
    {
        Touch();
        var now = _runtime.Clock.GetUtcNow().UtcTicks;
        lock (_turn)
        {
            RefreshIfCatalogChanged();
            var usage = new Dictionary<string, UsageResult>(StringComparer.Ordinal);
            foreach (var counter in _counters)
            {
                usage[counter.Metric] = now >= counter.PeriodEndTicks
                    ? new UsageResult(true, counter.Limit, counter.Limit, 0, BillingPeriod.For(_organisation.BillingAnchor, new DateTimeOffset(now, TimeSpan.Zero)).End, UsageReason.Ok)
                    : counter.Allowed();
            }
            return ValueTask.FromResult<IReadOnlyDictionary<string, UsageResult>>(usage);
        }
    }

    // ---- Settings -------------------------------------------------------------------------------------

    /// <summary>
    /// Applies settings and catalog to the counters, under the lock. A changed limit or policy takes effect at
    /// once: this node's unspent allowance is set aside and returned at the next flush.
    /// </summary>
    private void ApplySettings(DateTimeOffset now)
    {
        var snapshot = _catalog.Current;
        _entitlements = EntitlementCalculator.Calculate(_organisation, snapshot);
        _appliedCatalogVersion = snapshot.Version;
        _blockedReason = _organisation.Status switch
        {
            OrganisationStatus.Suspended => UsageReason.OrganisationSuspended,
            OrganisationStatus.Cancelled => UsageReason.OrganisationCancelled,
            _ => null,
        };

        foreach (var counter in _counters)
        {
            var limit = _entitlements.Limits[counter.Metric];
            var soft = limit.Policy == LimitPolicy.Soft;
            if (counter.Limit != limit.Limit || counter.Soft != soft)
            {
                counter.ReturnPending += counter.Allowance;
                counter.Allowance = 0;
                counter.Limit = limit.Limit;
                counter.Soft = soft;
            }
            if (counter.Kind == MetricKind.Periodic && counter.PeriodKey.Length > 0
                && BillingPeriod.For(_organisation.BillingAnchor, now).Key != counter.PeriodKey)
            {
                counter.PeriodEndTicks = now.UtcTicks; // the anchor moved: the next use settles and enters the new period
            }
            else if (counter.PeriodKey.Length == 0)
            {
                counter.EnterPeriod(_organisation.BillingAnchor, now);
            }
        }
    }

    private void RefreshIfCatalogChanged()
    {
        if (_appliedCatalogVersion != _catalog.Current.Version) ApplySettings(_runtime.Clock.GetUtcNow());
    }

    private UsageResult Deny(MetricCounter counter, string reason)
    {
        lock (_turn) return counter.Denied(reason);
    }

    private static string CheckReason(MetricCounter counter, long amount) =>
        counter.Soft && counter.Used + amount > counter.Limit ? UsageReason.SoftLimitExceeded : UsageReason.Ok;

    internal static int MetricIndex(string metric) => metric switch
    {
        Metrics.AiCalls => 0,
        Metrics.StorageBytes => 1,
        Metrics.Seats => 2,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown metric."),
    };

    private void Touch() => Volatile.Write(ref _lastUsedTicks, _runtime.Clock.GetUtcNow().UtcTicks);

    /// <summary>Failures of the database, not of our code: the answer is ledger_unavailable, not a 500.</summary>
    private static bool IsStorageFailure(Exception ex) =>
        ex is DbException or TimeoutException or IOException
        || ex is InvalidOperationException { InnerException: DbException or IOException or TimeoutException };

    private void LogLedgerUnavailable(Exception exception, string orgId, string metric) =>
        QuotaLog.LedgerUnavailable(_runtime.Logger, exception, orgId, metric);

    private void LogFenced(string orgId, string metric, long epoch) => QuotaLog.LeaseFenced(_runtime.Logger, orgId, metric, epoch);
}

/// <summary>An idempotency key reused for a different metric or amount.</summary>
public sealed class IdempotencyKeyConflictException(string key)
    : InvalidOperationException($"Idempotency-Key '{key}' was already used for a different metric or amount.");
