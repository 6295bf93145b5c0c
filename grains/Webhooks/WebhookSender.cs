using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Options;
using StandardWebhooks;
using Taskee.Grains.Interfaces;

namespace Taskee.Grains.Webhooks;

/// <summary>
/// Makes one attempt: signs the message by the Standard Webhooks scheme (one <c>v1,</c> signature per secret), posts it,
/// and reads the status and at most the first 1 KB of the answer, all within <c>Webhooks:Timeout</c>. Never throws for
/// what the receiver or the network did: that is the attempt's outcome.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory clients, IOptions<WebhookOptions> options, TimeProvider clock, WebhookMetrics metrics)
{
    public const string ClientName = "taskee-webhooks";
    public const int ExcerptBytes = 1024;
    private const int MaxErrorLength = 500;

    public async Task<WebhookAttemptResult> SendAsync(string url, WebhookMessage message, IReadOnlyList<string> secrets, string trigger,
        CancellationToken ct = default)
    {
        var started = Stopwatch.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Value.Timeout);
        var result = await AttemptAsync(url, message, secrets, timeout, ct, started);
        metrics.Attempted(result, trigger);
        return result;
    }

    private async Task<WebhookAttemptResult> AttemptAsync(string url, WebhookMessage message, IReadOnlyList<string> secrets,
        CancellationTokenSource timeout, CancellationToken ct, long started)
    {
        if (!Allowed(url)) return new(WebhookOutcome.Blocked, null, Elapsed(started), null,
            "The URL is not https; http targets are sent to only with Webhooks:AllowInsecureUrls=true (development only).");
        var sentAt = clock.GetUtcNow();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(message.Body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("webhook-id", message.Id);
        request.Headers.TryAddWithoutValidation("webhook-timestamp", sentAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("webhook-signature", Sign(message, sentAt, secrets));
        request.Headers.UserAgent.ParseAdd("Taskee-Webhooks/1");
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var excerpt = await ReadExcerptAsync(response.Content, timeout.Token);
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode
                ? new(WebhookOutcome.Succeeded, status, Elapsed(started), excerpt, null)
                : new(WebhookOutcome.Failed, status, Elapsed(started), excerpt,
                    status is >= 300 and < 400 ? $"The receiver answered {status} (a redirect); redirects are not followed, so give the final URL." : null);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return new(WebhookOutcome.Timeout, null, Elapsed(started), null,
                $"No complete answer within {options.Value.Timeout.TotalSeconds:0.#} s (Webhooks:Timeout).");
        }
        catch (HttpRequestException ex) when (Find<WebhookTargetRefusedException>(ex) is { } refused)
        {
            return new(WebhookOutcome.Blocked, null, Elapsed(started), null, Shorten(refused.Message));
        }
        catch (HttpRequestException ex)
        {
            var socket = Find<SocketException>(ex);
            return new(WebhookOutcome.Refused, null, Elapsed(started), null, Shorten(socket?.Message ?? ex.Message));
        }
        catch (IOException ex) // the connection broke while the answer was read
        {
            return new(WebhookOutcome.Refused, null, Elapsed(started), null, Shorten(ex.Message));
        }
    }

    /// <summary>https, or http when the configuration allows it; checked at every attempt, so a tightened setting applies to saved endpoints too.</summary>
    private bool Allowed(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && options.Value.AllowInsecureUrls));

    /// <summary>The <c>webhook-signature</c> header: "v1,&lt;base64 HMAC-SHA256 of id.timestamp.body&gt;" for each secret, space-separated.</summary>
    public static string Sign(WebhookMessage message, DateTimeOffset at, IReadOnlyList<string> secrets) =>
        string.Join(' ', secrets.Select(secret =>
            new StandardWebhook(Convert.FromBase64String(secret[WebhookSecrets.Prefix.Length..])).Sign(message.Id, at, message.Body)));

    /// <summary>Reads at most <see cref="ExcerptBytes"/> and stops: a receiver streaming an endless answer costs 1 KB.</summary>
    private static async Task<string?> ReadExcerptAsync(HttpContent content, CancellationToken ct)
    {
        await using var stream = await content.ReadAsStreamAsync(ct);
        var buffer = new byte[ExcerptBytes];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), ct)) > 0) read += n;
        if (read == 0) return null;
        // Text as the receiver meant it where it can be; a NUL (which PostgreSQL text cannot hold) becomes U+FFFD.
        return Encoding.UTF8.GetString(buffer, 0, read).Replace('\0', '\uFFFD');
    }

    private static T? Find<T>(Exception exception) where T : Exception
    {
        for (var e = exception; e is not null; e = e.InnerException)
            if (e is T found) return found;
        return null;
    }

    private static string Shorten(string text) => text.Length <= MaxErrorLength ? text : text[..MaxErrorLength];

    private static long Elapsed(long started) => (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
}
