using System.Collections.Concurrent;
using System.Net;
using StandardWebhooks;
using Taskee.Processes;

namespace Taskee.Chaos;

/// <summary>One message as received: its id, body, and whether one of its signatures verified (StandardWebhooks).</summary>
public sealed record ReceivedMessage(string Id, string Body, bool Verified);

/// <summary>
/// A webhook receiver on loopback (HttpListener) that answers every request 200 after a delay, so a silo can be killed
/// while a delivery is in flight; it records each request on arrival, before answering.
/// </summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<ReceivedMessage> _received = new();
    private readonly TimeSpan _answerAfter;
    private volatile string _secret = "";
    private int _inFlight;

    public WebhookReceiver(TimeSpan answerAfter)
    {
        _answerAfter = answerAfter;
        Url = $"http://127.0.0.1:{NodeProcess.FreePort()}/hook/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _ = Task.Run(AcceptAsync);
    }

    public string Url { get; }

    public int InFlight => Volatile.Read(ref _inFlight);

    public IReadOnlyList<ReceivedMessage> Received => _received.ToArray();

    public void Trust(string secret) => _secret = secret;

    private async Task AcceptAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (!_listener.IsListening)
            {
                return;
            }
            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        Interlocked.Increment(ref _inFlight);
        try
        {
            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            var id = context.Request.Headers["webhook-id"] ?? "";
            var timestamp = long.TryParse(context.Request.Headers["webhook-timestamp"], out var seconds) ? seconds : 0;
            var signatures = (context.Request.Headers["webhook-signature"] ?? "").Split(' ');
            var verified = _secret.Length > 0 && signatures.Contains(new StandardWebhook(_secret).Sign(id, DateTimeOffset.FromUnixTimeSeconds(timestamp), body));
            _received.Enqueue(new ReceivedMessage(id, body, verified));
            await Task.Delay(_answerAfter);
            context.Response.StatusCode = (int)HttpStatusCode.OK;
            context.Response.Close();
        }
        catch (Exception) when (!_listener.IsListening)
        {
            // stopped
        }
        catch (HttpListenerException)
        {
            // the sender died mid-request: it was recorded on arrival, which is what the scenario checks
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public void Dispose() => _listener.Close();
}
