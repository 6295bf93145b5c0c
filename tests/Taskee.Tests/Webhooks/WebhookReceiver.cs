using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StandardWebhooks;

namespace Taskee.Tests.Webhooks;

/// <summary>How the receiver answers the next requests.</summary>
public enum ReceiverMode
{
    Ok,
    Error,
    Slow,
    Hang,
    Redirect,
}

/// <summary>One request as received, with what its signatures proved.</summary>
/// <param name="SignedWith">The receiver's secrets that one of the <c>v1</c> signatures matched (StandardWebhooks' signer).</param>
/// <param name="Answered">The status the receiver answered; 0 when it never answered (hung up on).</param>
public sealed record ReceivedWebhook(string Id, long Timestamp, string Signature, string Body, IReadOnlyList<string> SignedWith, int Answered)
{
    public JsonNode Json => JsonNode.Parse(Body)!;

    public string Type => Json["type"]!.GetValue<string>();

    public long Seq => Json["data"]!["seq"]!.GetValue<long>();

    /// <summary>Every signature in the header matched one of the secrets, and each secret signed.</summary>
    public bool SignaturesVerified(params string[] secrets) =>
        Signature.Split(' ').Length == secrets.Length && secrets.All(SignedWith.Contains);
}

/// <summary>
/// A webhook receiver on loopback (Kestrel) that verifies every signature with the StandardWebhooks package and answers as
/// told: 2xx, 500, slowly, not at all (holding the request open), or with a redirect.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private volatile string[] _secrets = [];

    private WebhookReceiver(WebApplication app) => _app = app;

    public ReceiverMode Mode { get; set; } = ReceiverMode.Ok;

    /// <summary>How long <see cref="ReceiverMode.Slow"/> waits before answering 200.</summary>
    public TimeSpan SlowFor { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Requests being held open by <see cref="ReceiverMode.Hang"/> right now.</summary>
    public int Hanging => _hanging;

    private int _hanging;

    /// <summary>Requests that arrived at the target of <see cref="ReceiverMode.Redirect"/>: a sender that follows redirects.</summary>
    public int RedirectsFollowed => _redirectsFollowed;

    private int _redirectsFollowed;

    public string Url => Base + "/hook";

    public string Base { get; private set; } = "";

    public IReadOnlyList<ReceivedWebhook> Received => _received.ToArray();

    /// <summary>Requests answered 2xx, in arrival order.</summary>
    public IReadOnlyList<ReceivedWebhook> Accepted => _received.Where(r => r.Answered is >= 200 and < 300).ToArray();

    /// <summary>The secrets signatures are checked against (the endpoint's current one, and during a rotation the previous).</summary>
    public void Trust(params string[] secrets) => _secrets = secrets;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", receiver.HandleAsync);
        app.MapPost("/elsewhere", (HttpContext _) =>
        {
            Interlocked.Increment(ref receiver._redirectsFollowed);
            return Results.Ok();
        });
        await app.StartAsync();
        receiver.Base = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return receiver;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var id = context.Request.Headers["webhook-id"].ToString();
        var timestamp = long.TryParse(context.Request.Headers["webhook-timestamp"], out var seconds) ? seconds : 0;
        var signature = context.Request.Headers["webhook-signature"].ToString();
        var signedWith = _secrets.Where(secret =>
            signature.Split(' ').Contains(new StandardWebhook(secret).Sign(id, DateTimeOffset.FromUnixTimeSeconds(timestamp), body))).ToList();

        var mode = Mode;
        var status = signedWith.Count == 0 ? StatusCodes.Status401Unauthorized : mode switch
        {
            ReceiverMode.Error => StatusCodes.Status500InternalServerError,
            ReceiverMode.Redirect => StatusCodes.Status302Found,
            _ => StatusCodes.Status200OK,
        };
        if (mode == ReceiverMode.Hang)
        {
            Interlocked.Increment(ref _hanging);
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                _received.Enqueue(new ReceivedWebhook(id, timestamp, signature, body, signedWith, 0));
                return;
            }
            finally
            {
                Interlocked.Decrement(ref _hanging);
            }
        }
        if (mode == ReceiverMode.Slow)
        {
            try
            {
                await Task.Delay(SlowFor, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                _received.Enqueue(new ReceivedWebhook(id, timestamp, signature, body, signedWith, 0));
                return;
            }
        }
        _received.Enqueue(new ReceivedWebhook(id, timestamp, signature, body, signedWith, status));
        context.Response.StatusCode = status;
        if (status == StatusCodes.Status302Found) context.Response.Headers.Location = Base + "/elsewhere";
        await context.Response.WriteAsync(status == 200 ? "thanks" : "no");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
