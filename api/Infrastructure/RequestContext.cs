using Microsoft.AspNetCore.Http;
using Taskee.Api.Auth;
using Taskee.Grains.Interfaces;
using Taskee.Grains.Storage;

namespace Taskee.Api.Infrastructure;

public static class RequestContext
{
    public const string RequestIdHeader = "X-Request-Id";

    /// <summary>The caller, request id and address that a change's audit event records.</summary>
    public static ChangeContext ChangeContext(this HttpContext context)
    {
        var caller = Auth.Caller.From(context.User);
        var actor = caller is null ? AuditActor.System : new AuditActor(caller.Kind, caller.Id);
        return new ChangeContext(actor, context.TraceIdentifier, context.Connection.RemoteIpAddress?.ToString());
    }

    public static Caller Caller(this HttpContext context) =>
        Auth.Caller.From(context.User) ?? throw new InvalidOperationException("The endpoint requires authorization but has no caller.");
}
