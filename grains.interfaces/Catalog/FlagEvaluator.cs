using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Taskee.Grains.Interfaces;

namespace Taskee.Grains.Catalog;

/// <summary>Decides a global flag for one organisation. Pure: same inputs, same answer, on every node.</summary>
public static class FlagEvaluator
{
    public const int Buckets = 10_000;

    public static FeatureEntitlement Evaluate(Flag flag, string orgId, string planId)
    {
        if (!flag.Enabled) return new(false, FeatureReason.KillSwitch);
        if (flag.Deny.Contains(orgId)) return new(false, FeatureReason.DenyList);
        if (flag.Allow.Contains(orgId)) return new(true, FeatureReason.AllowList);
        if (flag.Plans.Count > 0 && !flag.Plans.Contains(planId)) return new(false, FeatureReason.PlanNotTargeted);

        var threshold = (int)(flag.RolloutPercent * 100m);
        return Bucket(flag.Key, orgId) < threshold
            ? new(true, FeatureReason.FlagRollout)
            : new(false, FeatureReason.FlagRolloutExcluded);
    }

    /// <summary>
    /// The organisation's bucket for a flag, 0..9999: the first 8 bytes of SHA-256("key:orgId") modulo 10,000.
    /// Keyed by the flag so one organisation is not first in every roll-out.
    /// </summary>
    public static int Bucket(string flagKey, string orgId)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{flagKey}:{orgId}"), hash);
        return (int)(BinaryPrimitives.ReadUInt64BigEndian(hash) % Buckets);
    }
}
