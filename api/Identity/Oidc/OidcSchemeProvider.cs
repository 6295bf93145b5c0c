using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;

namespace Taskee.Api.Identity.Oidc;

/// <summary>
/// The authentication schemes, with the organisations' OpenIdConnect schemes left out of the request handlers the
/// authentication middleware asks on every request. Each would otherwise be created and asked whether the request is
/// its callback (also its default <c>/signout-oidc</c> paths): a cost per request growing with the organisations that
/// have OIDC sign-in. <c>/oidc/{orgId}/callback</c> hands the response to its organisation's scheme itself
/// (<see cref="OidcEndpoints.CallbackAsync"/>); challenges and lookups by name are unchanged.
/// </summary>
public sealed class OidcSchemeProvider : AuthenticationSchemeProvider
{
    // Initialised before the base constructor runs, which adds the configured schemes through the overrides below.
    private readonly Lock _gate = new();
    private volatile AuthenticationScheme[] _requestHandlers = [];

    public OidcSchemeProvider(IOptions<AuthenticationOptions> options) : base(options) => Refresh();

    public override Task<IEnumerable<AuthenticationScheme>> GetRequestHandlerSchemesAsync() =>
        Task.FromResult<IEnumerable<AuthenticationScheme>>(_requestHandlers);

    public override bool TryAddScheme(AuthenticationScheme scheme)
    {
        var added = base.TryAddScheme(scheme);
        if (added) Refresh();
        return added;
    }

    public override void AddScheme(AuthenticationScheme scheme)
    {
        base.AddScheme(scheme);
        Refresh();
    }

    public override void RemoveScheme(string name)
    {
        base.RemoveScheme(name);
        Refresh();
    }

    /// <summary>Re-derived after every change, so a request reads one array and filters nothing.</summary>
    private void Refresh()
    {
        lock (_gate)
        {
            _requestHandlers = base.GetRequestHandlerSchemesAsync().GetAwaiter().GetResult()
                .Where(s => !typeof(OpenIdConnectHandler).IsAssignableFrom(s.HandlerType)).ToArray();
        }
    }
}
