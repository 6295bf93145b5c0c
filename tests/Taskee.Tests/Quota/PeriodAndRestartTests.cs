using Taskee.Tests.Infrastructure;

namespace Taskee.Tests.Quota;

public sealed class PeriodAndRestartTests
{
    [Fact]
    public async Task Ai_calls_reset_when_the_calendar_month_rolls_over()
    {
        await using var database = await TestDatabase.CreateAsync();
        var clock = new ManualClock(new DateTimeOffset(2026, 1, 31, 23, 59, 0, TimeSpan.Zero));
        await using var node = await new TaskeeNode(database, clock: clock).StartAsync();
        var admin = node.Admin();
        var id = TestApi.NewOrgId("p");
        await admin.CreateOrganisationAsync(id);
        await admin.SetLimitAsync(id, "ai_calls", 5);

        Assert.True((await admin.UsageAsync(id, "ai_calls", "consume", 5))["allowed"]!.GetValue<bool>());
        Assert.False((await admin.UsageAsync(id, "ai_calls", "consume", 1))["allowed"]!.GetValue<bool>());

        clock.Set(new DateTimeOffset(2026, 2, 1, 0, 0, 1, TimeSpan.Zero));
        var check = await admin.UsageAsync(id, "ai_calls", "check", 5);
        var next = await admin.UsageAsync(id, "ai_calls", "consume", 1);

        Assert.True(check["allowed"]!.GetValue<bool>());
        Assert.True(next["allowed"]!.GetValue<bool>());
        Assert.Equal(1, next["used"]!.GetValue<long>());
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), next["resetsAt"]!.GetValue<DateTimeOffset>());

        await node.FlushAsync();
        var stored = await node.StoredUsageAsync(id, "ai_calls");
        Assert.Equal("2026-02-01T00:00:00.000Z", stored!.Period);
        Assert.Equal(1, stored.Used);
    }

    [Fact]
    public async Task Ai_calls_reset_at_the_billing_anchor_and_storage_does_not_reset()
    {
        await using var database = await TestDatabase.CreateAsync();
        var clock = new ManualClock(new DateTimeOffset(2026, 2, 20, 8, 0, 0, TimeSpan.Zero));
        await using var node = await new TaskeeNode(database, clock: clock).StartAsync();
        var admin = node.Admin();
        var id = TestApi.NewOrgId("p");
        await admin.CreateOrganisationAsync(id);
        await admin.PatchAsync($"/v1/organisations/{id}", TestApi.Json(new { billingAnchor = "2026-01-15T12:00:00Z" }));

        var first = await admin.UsageAsync(id, "ai_calls", "consume", 3);
        await admin.UsageAsync(id, "storage_bytes", "consume", 100);
        Assert.Equal(new DateTimeOffset(2026, 3, 15, 12, 0, 0, TimeSpan.Zero), first["resetsAt"]!.GetValue<DateTimeOffset>());

        clock.Set(new DateTimeOffset(2026, 3, 15, 12, 0, 0, TimeSpan.Zero));
        var afterReset = await admin.UsageAsync(id, "ai_calls", "consume", 1);
        var storage = await admin.UsageAsync(id, "storage_bytes", "check", 1);

        Assert.Equal(1, afterReset["used"]!.GetValue<long>());
        Assert.Equal(new DateTimeOffset(2026, 4, 15, 12, 0, 0, TimeSpan.Zero), afterReset["resetsAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(100, storage["used"]!.GetValue<long>());
    }

    [Fact]
    public async Task Consumption_acknowledged_before_a_graceful_stop_is_all_there_after_restart()
    {
        await using var database = await TestDatabase.CreateAsync();
        var id = TestApi.NewOrgId("r");
        var acknowledged = 0L;
        await using (var first = await new TaskeeNode(database, new Dictionary<string, string?> { ["Quota:FlushInterval"] = "00:01:00" }).StartAsync())
        {
            var admin = first.Admin();
            await admin.CreateOrganisationAsync(id);
            for (var i = 0; i < 37; i++)
                if ((await admin.UsageAsync(id, "ai_calls", "consume", 3))["allowed"]!.GetValue<bool>()) acknowledged += 3;
            // A one-minute flush interval: nothing has been written but reservations; the graceful stop must write it.
        }

        await using var second = await new TaskeeNode(database).StartAsync();
        var usage = await second.Admin().GetJsonAsync($"/v1/organisations/{id}/entitlements");
        var period = BillingKey(DateTimeOffset.UtcNow);
        var stored = await second.StoredUsageAsync(id, "ai_calls");

        Assert.Equal(111, acknowledged);
        Assert.Equal(acknowledged, usage["usage"]!["ai_calls"]!["used"]!.GetValue<long>());
        Assert.Equal(period, stored!.Period);
        Assert.Equal(acknowledged, stored.Used);
        Assert.Equal(acknowledged, stored.Reserved); // the reservation was given back, not left to count as used
    }

    private static string BillingKey(DateTimeOffset now) => $"{now.Year:0000}-{now.Month:00}-01T00:00:00.000Z";
}
