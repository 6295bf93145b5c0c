using System.Collections.Immutable;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Taskee.Api.Auth;
using Taskee.Api.Infrastructure;
using Taskee.Grains.Catalog;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Api.Flags;

public sealed record FlagResponse(string Key, bool Enabled, decimal RolloutPercent, IReadOnlyList<string> Plans,
    IReadOnlyList<string> Allow, IReadOnlyList<string> Deny, long Version)
{
    public static FlagResponse From(Flag f) => new(f.Key, f.Enabled, f.RolloutPercent, f.Plans.ToList(), f.Allow.ToList(), f.Deny.ToList(), f.Version);
}

public sealed record FlagList(IReadOnlyList<FlagResponse> Items);

/// <summary>A global flag. <c>enabled:false</c> is the kill switch; lists default to empty.</summary>
/// <param name="Key">Read-only, accepted so a flag read with GET can be sent back: must be the key in the path.</param>
/// <param name="Version">Read-only: ignored.</param>
public sealed record PutFlagRequest(bool? Enabled, decimal? RolloutPercent, List<string>? Plans, List<string>? Allow, List<string>? Deny,
    string? Key = null, long? Version = null) : IValidatable
{
    public void Validate(ValidationErrors errors)
    {
        if (Enabled is null) errors.Add("enabled", "enabled is required: false is the kill switch.");
        if (RolloutPercent is null) errors.Add("rolloutPercent", "rolloutPercent is required: 0 to 100.");
        else if (RolloutPercent is < 0 or > 100 || decimal.Round(RolloutPercent.Value, 2) != RolloutPercent.Value)
            errors.Add("rolloutPercent", "rolloutPercent must be between 0 and 100 with at most two decimals.");
        CheckSlugs("allow", Allow, errors);
        CheckSlugs("deny", Deny, errors);
        CheckSlugs("plans", Plans, errors);
    }

    private static void CheckSlugs(string field, List<string>? values, ValidationErrors errors)
    {
        foreach (var value in values ?? [])
            if (!OrganisationId.IsValid(value)) errors.Add(field, $"'{value}' is not an id: 3 to 63 characters of a-z, 0-9 and '-'.");
        if (values is { Count: > 10_000 }) errors.Add(field, "At most 10,000 entries.");
    }
}

public static class FlagEndpoints
{
    public static void MapFlagEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/flags").WithTags("Flags");
        group.MapGet("/", List).RequireAuthorization(Permissions.FlagsRead).WithName("ListFlags");
        group.MapPut("/{flagKey}", PutAsync).RequireAuthorization(Permissions.FlagsWrite)
            .Validates<PutFlagRequest>().WithMetadata(new IdempotentMutationAttribute()).WithName("PutFlag");
    }

    public static Ok<FlagList> List(CatalogCache catalog) =>
        TypedResults.Ok(new FlagList(catalog.Current.Flags.Values.OrderBy(f => f.Key, StringComparer.Ordinal).Select(FlagResponse.From).ToList()));

    public static async Task<Results<Ok<FlagResponse>, Created<FlagResponse>, ValidationProblem>> PutAsync(
        string flagKey, PutFlagRequest request, ICatalogStore store, CatalogCache catalog, HttpContext http, CancellationToken ct)
    {
        if (!Features.IsValidKey(flagKey))
            return Problems.Validation("flagKey", "flagKey must be 2 to 64 characters of a-z, 0-9, '_', '-', '.', starting with a letter.");
        if (request.Key is not null && request.Key != flagKey)
            return Problems.Validation("key", $"key '{request.Key}' is not the flag in the path ('{flagKey}'); leave it out or send the same.");
        var unknownPlans = (request.Plans ?? []).Where(p => !catalog.Current.Plans.ContainsKey(p)).ToList();
        if (unknownPlans.Count > 0)
            return Problems.Validation("plans", $"Unknown plans: {string.Join(", ", unknownPlans)}; GET /v1/plans lists them.");

        var flag = new Flag(flagKey, request.Enabled!.Value, request.RolloutPercent!.Value,
            (request.Plans ?? []).ToImmutableSortedSet(StringComparer.Ordinal),
            (request.Allow ?? []).ToImmutableSortedSet(StringComparer.Ordinal),
            (request.Deny ?? []).ToImmutableSortedSet(StringComparer.Ordinal), Version: 0);

        var result = await store.UpsertFlagAsync(flag, Describe, http.ChangeContext(), ct);
        await catalog.ReloadAsync(ct);

        var stored = result.Value!;
        ETags.Set(http, ETags.Format(stored.Version));
        return stored.Version == 1 && result.Status == WriteStatus.Done
            ? TypedResults.Created($"/v1/flags/{flagKey}", FlagResponse.From(stored))
            : TypedResults.Ok(FlagResponse.From(stored));
    }

    private static AuditRecord? Describe(Flag? before, Flag after)
    {
        if (before is not null && Json(before with { Version = after.Version }) == Json(after)) return null;
        var action = before is null ? "flag.created"
            : before.Enabled && !after.Enabled ? "flag.killed"
            : "flag.updated";
        return new AuditRecord(action, $"flags/{after.Key}", before is null ? null : Json(before), Json(after));
    }

    private static string Json(Flag flag) => JsonSerializer.Serialize(FlagResponse.From(flag), AuditJsonOptions.Options);
}
