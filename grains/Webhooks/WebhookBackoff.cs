namespace Taskee.Grains.Webhooks;

/// <summary>
/// When a failing head message is tried again: 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, 8 h after the 1st to 9th
/// failed attempt, then every 12 h; each delay times a random factor in [0.8, 1.2) so endpoints that failed together do
/// not retry together. The last attempt is made when the retry window closes, never after.
/// </summary>
public static class WebhookBackoff
{
    private static readonly TimeSpan[] Delays =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(4), TimeSpan.FromHours(8), TimeSpan.FromHours(12),
    ];

    /// <summary>The delay after failed attempt number <paramref name="attempt"/> (1 = the first), before jitter.</summary>
    public static TimeSpan Delay(int attempt) => Delays[Math.Clamp(attempt, 1, Delays.Length) - 1];

    /// <summary>
    /// When to try again after failed attempt <paramref name="attempt"/> at <paramref name="now"/>; null when the retry window
    /// (from <paramref name="failingSince"/>) is over and the endpoint is to be disabled.
    /// </summary>
    /// <param name="jitter">A value in [0, 1): the random part.</param>
    public static DateTimeOffset? NextAttempt(int attempt, DateTimeOffset now, DateTimeOffset failingSince, TimeSpan retryWindow, double jitter)
    {
        var windowEnd = failingSince + retryWindow;
        if (now >= windowEnd) return null;
        var next = now + Delay(attempt) * (0.8 + 0.4 * jitter);
        return next < windowEnd ? next : windowEnd;
    }
}
