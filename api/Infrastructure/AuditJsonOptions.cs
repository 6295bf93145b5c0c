using System.Text.Json;

namespace Taskee.Api.Infrastructure;

/// <summary>How before/after states are written into audit events: compact, camelCase, like the API.</summary>
public static class AuditJsonOptions
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
