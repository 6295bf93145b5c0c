using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Taskee.Api.Infrastructure;

namespace Taskee.Api.Sales;

/// <summary>
/// The public /enterprise page: the intake form (Dutch, with English), embedded like /ops and served by every node without
/// sign-in. It posts to <c>POST /v1/leads</c> and shows the API's field errors beside the fields. /enterprise/pricing is the
/// calculator: every change asks <c>POST /v1/quotes/calculate</c>, so the page never computes a price itself.
/// </summary>
public static class EnterprisePage
{
    private static readonly EmbeddedFiles Files = new("Sales.Page");

    public static void MapEnterprisePage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/enterprise", () => Files.Serve("index.html")).ExcludeFromDescription();
        app.MapGet("/enterprise/pricing", () => Files.Serve("pricing.html")).ExcludeFromDescription();
        app.MapGet("/enterprise/assets/{file}", (string file) => Files.Serve(file)).ExcludeFromDescription();
    }
}
