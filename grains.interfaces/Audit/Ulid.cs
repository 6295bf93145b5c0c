using System.Security.Cryptography;

namespace Taskee.Grains.Audit;

/// <summary>
/// ULIDs: 48-bit millisecond time and 80 random bits in Crockford base32, so ids sort by time. Monotonic within the
/// process (the ULID specification's monotonic mode): an id made in the same millisecond as the one before it, or under
/// a clock that went back, takes the earlier time and its random part plus one, so ids listed by id are in the order
/// they were made even when many are made within a millisecond or the clock is held still (tests).
/// </summary>
public static class Ulid
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static readonly UInt128 RandomMask = (UInt128.One << 80) - 1;

    private static readonly Lock Gate = new();
    private static ulong _lastMs;
    private static UInt128 _lastRandom;

    public static string NewUlid(DateTimeOffset at)
    {
        var ms = (ulong)Math.Max(0, at.ToUnixTimeMilliseconds());
        UInt128 random;
        lock (Gate)
        {
            if (ms > _lastMs || _lastRandom == RandomMask)
            {
                _lastMs = Math.Max(ms, _lastMs + (_lastRandom == RandomMask ? 1UL : 0UL));
                _lastRandom = Fresh();
            }
            else
            {
                _lastRandom++;
            }
            (ms, random) = (_lastMs, _lastRandom);
        }

        // 128 bits as 26 base32 digits: the first digit carries the top 3 bits.
        var value = ((UInt128)ms << 80) | random;
        Span<char> chars = stackalloc char[26];
        for (var i = 25; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(value & 31)];
            value >>= 5;
        }
        return new string(chars);
    }

    private static UInt128 Fresh()
    {
        Span<byte> bytes = stackalloc byte[10];
        RandomNumberGenerator.Fill(bytes);
        UInt128 value = 0;
        foreach (var b in bytes) value = (value << 8) | b;
        return value;
    }
}
