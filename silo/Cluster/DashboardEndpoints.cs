using Orleans.Dashboard;
using Taskee.Api.Auth;

namespace Taskee.Silo.Cluster;

public static class DashboardEndpoints
{
    public const string RoutePrefix = "/dashboard";

    /// <summary>
    /// Orleans' own dashboard (silos, grain types, activations, call rates) for platform admins, with the API's
    /// credentials: a bearer key or token, or the browser session the /ops sign-in sets. Without them: 401, never the page.
    /// </summary>
    public static WebApplication MapTaskeeDashboard(this WebApplication app)
    {
        app.MapOrleansDashboard(routePrefix: RoutePrefix).RequireAuthorization(Permissions.ClusterDashboard);
        return app;
    }
}
