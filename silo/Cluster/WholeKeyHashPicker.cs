using System.Buffers.Binary;
using System.Security.Cryptography;
using Orleans.Storage;

namespace Taskee.Silo.Cluster;

/// <summary>
/// Grain storage hashes that cover the whole grain key. The ADO.NET provider reads a string key that parses as
/// hexadecimal as a number, so organisations "020235" and "20235" would share one row under its default hasher.
/// Here every hash also mixes in the key's exact bytes. Changing the hasher orphans stored rows: keep this one.
/// </summary>
public sealed class WholeKeyHashPicker : IStorageHasherPicker
{
    public ICollection<IHasher> HashProviders { get; } = [];

    public IHasher? PickHasher<T>(string serviceId, string storageProviderInstanceName, string grainType, GrainId grainId,
        IGrainState<T> grainState, string? tag = null) => new WholeKeyHasher(grainId.Key.AsSpan().ToArray());

    private sealed class WholeKeyHasher(byte[] key) : IHasher
    {
        public string Description => "first 4 bytes of SHA-256(data, 0x00, grain key)";

        public int Hash(byte[] data)
        {
            var input = new byte[data.Length + 1 + key.Length];
            data.CopyTo(input, 0);
            key.CopyTo(input, data.Length + 1);
            return BinaryPrimitives.ReadInt32LittleEndian(SHA256.HashData(input));
        }
    }
}
